import { createHash, randomBytes } from 'node:crypto';
import { networkInterfaces } from 'node:os';
import { pushesHttp, type VendorChoice } from './registration.js';

/**
 * What a committee types into a device after registering it: `connect` in the
 * answer of `POST /api/estates/{e}/devices` (and of rotate-secret), with the
 * words in Chinese and English. Where the server is reached from the estate's
 * network comes from `Endpoints` (server/app.ts).
 */
export interface Endpoints {
  /** Where devices reach the HTTP server, e.g. `http://192.168.1.10:3000` (no trailing slash). */
  httpBase: string;
  mqtt: { host: string; port: number };
  /** TCP listeners by vendor, once they run; a vendor without one gets no `connect.tcp`. */
  tcp: Partial<Record<string, { host: string; port: number }>>;
}

/** The path a vendor's HTTP pushes go to; the token is the device's credential. */
export const pushPath = (vendor: string, token: string) => `/vendor/${vendor}/${token}`;

/** 32 random bytes, base64url: 43 characters, unguessable. Only its digest is stored. */
export function newPushToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: tokenHash(token) };
}

export const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');
export const PUSH_TOKEN = /^[A-Za-z0-9_-]{43}$/;

/**
 * Where devices on the estate's network reach this server: `LINLI_PUBLIC_URL` when
 * set; otherwise the listen address, or, when it listens on every interface, the
 * machine's first LAN IPv4 address.
 */
export function httpBaseOf(publicUrl: string | undefined, host: string, port: number): string {
  if (publicUrl) return publicUrl.replace(/\/+$/, '');
  const wildcard = host === '0.0.0.0' || host === '::' || host === '';
  const lan = wildcard ? Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal)?.address : undefined;
  const h = wildcard ? (lan ?? '127.0.0.1') : host;
  return `http://${h.includes(':') ? `[${h}]` : h}:${port}`;
}

export interface Instructions {
  zh: string;
  en: string;
}

export interface Connect {
  pushUrl?: string;
  /** The push URL in the pieces a camera's web page asks for. */
  http?: { host: string; port: number; path: string; ssl: boolean };
  mqtt?: { host: string; port: number; clientId: string; username: string; password: string };
  tcp?: { host: string; port: number };
  instructions: Instructions;
  /** Set when this version cannot talk to the device over what it was registered with yet. */
  notice?: Instructions;
}

interface ConnectInput {
  id: string;
  secret: string;
  choice: Pick<VendorChoice, 'vendor' | 'transport' | 'serialNo' | 'settings'>;
  /** The push token (HTTP-pushing devices). */
  token?: string;
  /** The gate a camera drives (registered with it, or already there). */
  gateId?: string;
  endpoints: Endpoints;
  /** Transports this server runs (`vzenith-http`): others get a notice. */
  running: (name: string) => boolean;
}

export function connectFor(input: ConnectInput): Connect {
  const { id, secret, choice, endpoints: ep } = input;
  const name = `${choice.vendor}-${choice.transport}`;
  const notice = choice.vendor !== 'linli' && !input.running(name) ? notYet(choice.vendor, choice.transport) : undefined;
  if (pushesHttp(choice) && input.token) {
    const url = new URL(ep.httpBase);
    const path = pushPath(choice.vendor, input.token);
    const http = { host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)), path, ssl: url.protocol === 'https:' };
    const pushUrl = `${ep.httpBase}${path}`;
    const words = choice.vendor === 'vzenith' ? vzenithHttp(http, pushUrl, choice, input.gateId) : hikvisionHttp(http, pushUrl);
    return { pushUrl, http, instructions: words, ...(notice ? { notice } : {}) };
  }
  if (choice.transport === 'mqtt') {
    const mqtt = { host: ep.mqtt.host, port: ep.mqtt.port, ...mqttLogin(id, choice), password: secret };
    return { mqtt, instructions: mqttWords(mqtt, choice), ...(notice ? { notice } : {}) };
  }
  const tcp = ep.tcp[choice.vendor];
  if (tcp) return { tcp, instructions: tcpWords(tcp, choice), ...(notice ? { notice } : {}) };
  return { instructions: tcpWords(undefined, choice), notice: notice ?? notYet(choice.vendor, choice.transport) };
}

/**
 * A JUY board's MQTT user name and password are at most 10 ASCII bytes each (its document, 0x8C), and
 * it connects as its IMEI: client id the IMEI, user name the IMEI's last 10 digits, and a
 * 10-character password (`secretFor`). Every other device connects as its Linli id.
 */
export const JUY_MQTT_FIELD_MAX = 10;
export function mqttLogin(id: string, choice: Pick<VendorChoice, 'vendor' | 'transport' | 'serialNo'>): { clientId: string; username: string } {
  if (choice.vendor === 'juy' && choice.serialNo) return { clientId: choice.serialNo, username: juyMqttUsername(choice.serialNo) };
  return { clientId: id, username: id };
}
export const juyMqttUsername = (imei: string) => imei.slice(-JUY_MQTT_FIELD_MAX);

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/**
 * The device secret issued at registration (and rotation): 24 random bytes in base64url, or, for a
 * JUY board over MQTT, 10 letters and digits (≈59.5 bits: the most its 10-byte password field takes),
 * drawn without modulo bias. Either way only its scrypt hash is stored.
 */
export function secretFor(choice: Pick<VendorChoice, 'vendor' | 'transport'>, long: () => string): string {
  if (!(choice.vendor === 'juy' && choice.transport === 'mqtt')) return long();
  let out = '';
  while (out.length < JUY_MQTT_FIELD_MAX) {
    for (const b of randomBytes(16)) if (b < 248 && out.length < JUY_MQTT_FIELD_MAX) out += ALNUM[b % 62];
  }
  return out;
}

function notYet(vendor: string, transport: string): Instructions {
  return {
    zh: `本版本的邻里还不能接收 ${vendor} 设备通过 ${transport.toUpperCase()} 发来的数据：设备已登记，接入功能上线后即可使用，届时无需重新登记。`,
    en: `This version of Linli does not yet take ${vendor} devices over ${transport.toUpperCase()}: the device is registered and will work once that transport ships, without registering again.`,
  };
}

function vzenithHttp(http: { host: string; port: number; path: string }, pushUrl: string, choice: ConnectInput['choice'], gateId: string | undefined): Instructions {
  const comet = choice.settings.heartbeat !== 'plain';
  const zh = [
    `在浏览器打开相机网页（相机的 IP 地址），登录后进入 高级设置 → HTTP 推送：`,
    `1. 主服务器：地址填 ${http.host}，端口填 ${http.port}，不勾选 SSL；超时时间 3 秒或以上。`,
    `2. 勾选“推送车牌识别结果”，推送地址（URL）填 ${http.path}`,
    `3. 设备注册（心跳）选择“${comet ? 'comet 轮询' : '普通心跳'}”，地址同样填 ${http.path}${comet ? '' : '（普通心跳时，值班人员的远程开闸要等下一辆车的识别结果才能送到相机，建议选 comet 轮询）'}`,
    `4. 勾选“断线重传”，断网期间相机按离线白名单放行的记录在恢复后补传；不要勾选推送大图、小图（邻里不保存图片）。`,
    `5. 如接了地感线圈，勾选“端口触发信息推送”；需要时勾选“串口数据推送”，地址同样填 ${http.path}`,
    `6. 相机的序列号应为 ${choice.serialNo}；开闸输出在 输入输出 页面设置，LED 屏和语音板接相机的 485 口。`,
    `保存后一分钟内，设备页上这台相机${gateId ? `和它驱动的道闸 ${gateId}` : ''}显示为在线。`,
    `完整推送地址：${pushUrl}`,
    `推送地址里含有这台相机的密钥，请勿外传；遗失后在设备页“更换密钥”生成新的地址，旧地址立即作废。`,
  ].join('\n');
  const en = [
    `Open the camera's web page (its IP address) in a browser, sign in, then Advanced settings → HTTP push:`,
    `1. Main server: address ${http.host}, port ${http.port}, SSL off; timeout 3 s or more.`,
    `2. Tick "push plate results"; push URL ${http.path}`,
    `3. Device registration (heartbeat): "${comet ? 'comet polling' : 'normal heartbeat'}", URL ${http.path}${comet ? '' : ' (with a normal heartbeat a guard’s remote open reaches the camera only with the next plate read; comet polling is advised)'}`,
    `4. Tick "resend after disconnect" so whitelist opens made while offline are sent afterwards; leave large and small images off (Linli keeps no images).`,
    `5. With a loop detector, tick "IO trigger push"; serial data push if needed; URL ${http.path}`,
    `6. The camera's serial number must be ${choice.serialNo}; set the opening output on the I/O page, and wire the LED/voice board to the camera's RS-485 port.`,
    `Within a minute the devices page shows this camera${gateId ? ` and the gate it drives, ${gateId},` : ''} online.`,
    `Full push URL: ${pushUrl}`,
    `The push URL holds this camera's key: keep it private. If lost, "rotate secret" on the devices page makes a new one and the old stops working at once.`,
  ].join('\n');
  return { zh, en };
}

function hikvisionHttp(http: { host: string; port: number; path: string }, pushUrl: string): Instructions {
  const zh = [
    `在浏览器打开相机网页（相机的 IP 地址），登录后：`,
    `1. 配置 → 网络 → 高级配置 → HTTP 监听（报警主机）：IP 填 ${http.host}，端口填 ${http.port}，URL 填 ${http.path}，协议 HTTP；保存后点“测试”。`,
    `2. 配置 → 事件 → 车牌识别（或 道闸/出入口）→ 联动方式：勾选“上传中心”（通知监听主机）。上传图片可不勾选（邻里不保存图片）。`,
    `3. 邻里用登记时填写的用户名和密码调用相机（开闸、屏显、语音、白名单）：该用户需有远程控制权限；配置 → 系统 → 安全 → 认证，WEB 认证方式选 digest。`,
    `4. 屏显请设为平台控制模式；道闸接在相机的继电器输出上。`,
    `保存后一分钟内，设备页上这台相机和它驱动的道闸显示为在线；邻里会把本车道的离线白名单写入相机。`,
    `完整地址：${pushUrl}`,
    `地址里含有这台相机的密钥，请勿外传；遗失后在设备页“更换密钥”生成新的地址，旧地址立即作废。`,
  ].join('\n');
  const en = [
    `Open the camera's web page (its IP address) in a browser and sign in:`,
    `1. Configuration → Network → Advanced → HTTP listening (alarm host): IP ${http.host}, port ${http.port}, URL ${http.path}, protocol HTTP; save, then "Test".`,
    `2. Configuration → Event → ANPR (or barrier / entrance) → linkage: tick "Notify surveillance center" (upload to the listening host). Pictures may stay off (Linli keeps no pictures).`,
    `3. Linli calls the camera (open, screen, voice, whitelist) with the username and password given at registration: that user needs remote-control rights; Configuration → System → Security → Authentication: web authentication digest.`,
    `4. Set the screen to platform-control mode; the barrier is wired to the camera's relay output.`,
    `Within a minute the devices page shows this camera and the gate it drives online; Linli writes the lane's offline whitelist into the camera.`,
    `Full address: ${pushUrl}`,
    `The address holds this camera's key: keep it private. If lost, "rotate secret" on the devices page makes a new one and the old stops working at once.`,
  ].join('\n');
  return { zh, en };
}

function mqttWords(m: NonNullable<Connect['mqtt']>, choice: ConnectInput['choice']): Instructions {
  const base = {
    zh: `设备的 MQTT 设置：服务器 ${m.host}，端口 ${m.port}，客户端 ID ${m.clientId}，用户名 ${m.username}，密码为本次登记返回的密钥（只显示这一次）。`,
    en: `The device's MQTT settings: server ${m.host}, port ${m.port}, client id ${m.clientId}, username ${m.username}, password the secret in this answer (shown only this once).`,
  };
  if (choice.vendor === 'vzenith') {
    const layout = typeof choice.settings.topics === 'string' ? choice.settings.topics : 'device/{sn}';
    const prefix = layout.replace('{sn}', choice.serialNo ?? '{sn}');
    return {
      zh: `${base.zh}\n主题格式：${prefix}/message/up/…（上报）和 ${prefix}/message/down/…（下发）；相机固件的主题格式不同时，按实际格式重新登记。MQTT 协议版本 3.1.1。`,
      en: `${base.en}\nTopics: ${prefix}/message/up/… (up) and ${prefix}/message/down/… (down); if the camera's firmware uses another layout, register it again with that one. MQTT 3.1.1.`,
    };
  }
  if (choice.vendor === 'juy') {
    return {
      zh: `${base.zh}\n控制器以 IMEI 作为客户端 ID 连接，用户名和密码各 10 位（控制器最多接受 10 位）；主题 JUY/D2S/${choice.serialNo}/…/DEV 与 JUY/S2D/${choice.serialNo}/…/SERVER。`,
      en: `${base.en}\nThe controller connects with its IMEI as client id; user name and password are 10 characters each (the most it takes); topics JUY/D2S/${choice.serialNo}/…/DEV and JUY/S2D/${choice.serialNo}/…/SERVER.`,
    };
  }
  return base;
}

function tcpWords(tcp: { host: string; port: number } | undefined, choice: ConnectInput['choice']): Instructions {
  if (!tcp) {
    return {
      zh: `设备（${choice.serialNo ?? ''}）应连接邻里的 TCP 端口；本服务器尚未开启该端口，开启后设备页会显示地址。`,
      en: `The device (${choice.serialNo ?? ''}) connects to Linli's TCP port; this server does not listen on one yet, and the devices page will show the address once it does.`,
    };
  }
  if (choice.vendor === 'elevatorcloud') return elevatorboxWords(tcp, choice);
  return {
    zh: `在设备的平台设置里填写服务器 ${tcp.host}，端口 ${tcp.port}（TCP）。设备以 ${choice.serialNo} 登录。`,
    en: `In the device's platform settings, set server ${tcp.host}, port ${tcp.port} (TCP). It logs in as ${choice.serialNo}.`,
  };
}

/** An elevator monitoring box: where it connects, the eid it logs in with, and whose fault numbering its frames are read in. */
function elevatorboxWords(tcp: { host: string; port: number }, choice: ConnectInput['choice']): Instructions {
  const source = typeof choice.settings.faultSource === 'string' ? choice.settings.faultSource : 'elevatorcloud';
  return {
    zh: [
      `在电梯监测盒的平台（服务器）设置里：地址填 ${tcp.host}，端口填 ${tcp.port}（TCP），设备编号（eid）填 ${choice.serialNo}。`,
      `故障代码按“${source}”编号解读。同一个数字在不同厂家的编号里含义不同（如 1 可能是困人，也可能是冲顶）：请向监测盒厂家确认，编号不符时重新登记，否则困人可能被报成别的故障。`,
      `保存后监测盒连上并登录，设备页即显示这台电梯在线，楼层和故障实时显示。`,
    ].join('\n'),
    en: [
      `In the monitoring box's platform (server) settings: address ${tcp.host}, port ${tcp.port} (TCP), device id (eid) ${choice.serialNo}.`,
      `Fault codes are read in the "${source}" numbering. The same number means different faults in different vendors' numberings (1 may be a trapping or a top overrun): confirm with the box's vendor and register again if it differs, or a trapping may be reported as something else.`,
      `Once the box connects and logs in, the devices page shows this lift online, with its floor and faults live.`,
    ].join('\n'),
  };
}
