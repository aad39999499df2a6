/**
 * Every string the dashboard shows, one dictionary per language. Chinese is the
 * default: committees, volunteers and guards read it first; English is a switch
 * that is remembered on this phone (localStorage). The pages of issue 3 keep
 * their words in messages/, merged here.
 */
import { fill, htmlLang, lang, onLangChange, setLang, type Lang } from './lang.js';
import * as charterWords from './messages/charter.js';
import * as committeeWords from './messages/committee.js';
import * as commonWords from './messages/common.js';
import * as guardWords from './messages/guard.js';
import * as residentWords from './messages/resident.js';

const base = {
  appName: '邻里',
  appTagline: '小区设备管理',
  'lang.switch': 'English',
  'lang.switchLabel': '切换到英文',

  'login.title': '登录',
  'login.username': '用户名',
  'login.password': '密码',
  'login.submit': '登录',
  'login.busy': '正在登录…',
  'login.hint': '账号由小区自管委员会开通。',

  'pw.title': '请先修改密码',
  'pw.intro': '这是首次登录或管理员重置过的密码，请设一个只有你知道的新密码。',
  'pw.old': '当前密码',
  'pw.new': '新密码',
  'pw.confirm': '再输一次新密码',
  'pw.submit': '保存新密码',
  'pw.busy': '正在保存…',
  'pw.mismatch': '两次输入的新密码不一样，请重新输入。',
  'pw.same': '新密码不能和当前密码相同。',
  'pw.tooShort': '新密码至少 {n} 位。',
  'pw.wrongOld': '当前密码不对，请重新输入。',
  'pw.rejected': '新密码不符合要求：{detail}',
  'pw.changedSignIn': '密码已修改，请用新密码登录。',

  'err.badLogin': '用户名或密码错误，请重新输入。',
  'err.tooMany': '尝试次数太多，请过几分钟再试。',
  'err.network': '连不上服务器，请检查网络后再试。',
  'err.server': '服务器出错了，请稍后再试；一直这样请联系管理员。',
  'err.forbidden': '你的账号没有权限查看这里，请联系自管委员会。',
  'err.sessionExpired': '登录已过期，请重新登录。',
  'err.notFound': '没有找到，可能已被删除。',
  'err.generic': '出错了：{detail}',
  'err.required': '请填写{field}。',
  'err.pageLoad': '页面没有加载成功，可能系统刚更新过。请刷新后再试。',

  'header.logout': '退出',
  'header.user': '当前用户',
  'role.committee': '自管委',
  'role.volunteer': '维修志愿者',
  'role.guard': '门岗',
  'role.resident': '居民',

  'estate.label': '小区',
  'estate.none': '还没有小区。请自管委员会先登记小区。',
  'estate.loading': '正在加载小区…',

  'live.connecting': '正在连接实时数据…',
  'live.live': '实时',
  'live.reconnecting': '连接中断',
  'live.retryIn': '，{s} 秒后重连',
  'live.offline': '已断开',
  'live.retryNow': '立即重连',

  'devices.title': '设备',
  'devices.loading': '正在加载设备…',
  'devices.empty': '这个小区还没有登记设备。',
  'devices.online': '在线',
  'devices.offline': '离线',
  'devices.decommissioned': '已停用',
  'devices.countOnline': '在线 {n}',
  'devices.countOffline': '离线 {n}',
  'devices.lastSeen': '最近在线',
  'devices.lastEvent': '最近事件',
  'devices.never': '从未上线',
  'devices.noEvent': '暂无事件',
  'devices.fw': '固件',
  'devices.reload': '刷新',

  'time.now': '刚刚',
  'time.seconds': '{n} 秒前',
  'time.minutes': '{n} 分钟前',
  'time.hours': '{n} 小时前',
  'time.days': '{n} 天前',

  'event.gate.state': '道闸状态',
  'event.gate.passage': '车辆通行',
  'event.gate.manual': '手动开闸',
  'event.plate.read': '识别车牌',
  'event.port.state': '充电口状态',
  'event.port.request': '充电请求',
  'event.alarm': '告警',
  'event.card.swipe': '刷卡',
  'event.ride': '乘梯',
  'event.fault': '故障',
  'event.emergency.call': '紧急呼叫',
} as const;

const zh = { ...base, ...commonWords.zh, ...guardWords.zh, ...committeeWords.zh, ...charterWords.zh, ...residentWords.zh };
export type MessageKey = keyof typeof zh;
type Dictionary = Record<MessageKey, string>;

const baseEn: Record<keyof typeof base, string> = {
  appName: 'Linli',
  appTagline: 'Estate devices',
  'lang.switch': '中文',
  'lang.switchLabel': 'Switch to Chinese',

  'login.title': 'Sign in',
  'login.username': 'Username',
  'login.password': 'Password',
  'login.submit': 'Sign in',
  'login.busy': 'Signing in…',
  'login.hint': 'Accounts are opened by the estate committee.',

  'pw.title': 'Please change your password',
  'pw.intro': 'This is a first sign-in or a password an admin reset. Choose a new one only you know.',
  'pw.old': 'Current password',
  'pw.new': 'New password',
  'pw.confirm': 'New password again',
  'pw.submit': 'Save new password',
  'pw.busy': 'Saving…',
  'pw.mismatch': 'The two new passwords differ. Please type them again.',
  'pw.same': 'The new password must differ from the current one.',
  'pw.tooShort': 'The new password needs at least {n} characters.',
  'pw.wrongOld': 'The current password is wrong. Please type it again.',
  'pw.rejected': 'The new password was refused: {detail}',
  'pw.changedSignIn': 'Password changed. Please sign in with the new one.',

  'err.badLogin': 'Wrong username or password. Please try again.',
  'err.tooMany': 'Too many attempts. Please wait a few minutes and try again.',
  'err.network': 'Cannot reach the server. Check the network and try again.',
  'err.server': 'The server had a problem. Try again later; if it persists, tell the administrator.',
  'err.forbidden': 'Your account may not see this. Please ask the estate committee.',
  'err.sessionExpired': 'Your session has expired. Please sign in again.',
  'err.notFound': 'Not found; it may have been removed.',
  'err.generic': 'Something went wrong: {detail}',
  'err.required': 'Please fill in {field}.',
  'err.pageLoad': 'The page did not load; the system may just have been updated. Please reload.',

  'header.logout': 'Sign out',
  'header.user': 'Signed in as',
  'role.committee': 'Committee',
  'role.volunteer': 'Volunteer',
  'role.guard': 'Guard',
  'role.resident': 'Resident',

  'estate.label': 'Estate',
  'estate.none': 'No estates yet. The committee registers the estate first.',
  'estate.loading': 'Loading estates…',

  'live.connecting': 'Connecting to live updates…',
  'live.live': 'Live',
  'live.reconnecting': 'Disconnected',
  'live.retryIn': ', retrying in {s} s',
  'live.offline': 'Disconnected',
  'live.retryNow': 'Retry now',

  'devices.title': 'Devices',
  'devices.loading': 'Loading devices…',
  'devices.empty': 'No devices registered in this estate yet.',
  'devices.online': 'Online',
  'devices.offline': 'Offline',
  'devices.decommissioned': 'Decommissioned',
  'devices.countOnline': '{n} online',
  'devices.countOffline': '{n} offline',
  'devices.lastSeen': 'Last seen',
  'devices.lastEvent': 'Last event',
  'devices.never': 'Never seen',
  'devices.noEvent': 'No events yet',
  'devices.fw': 'Firmware',
  'devices.reload': 'Reload',

  'time.now': 'just now',
  'time.seconds': '{n} s ago',
  'time.minutes': '{n} min ago',
  'time.hours': '{n} h ago',
  'time.days': '{n} d ago',

  'event.gate.state': 'Gate state',
  'event.gate.passage': 'Vehicle passage',
  'event.gate.manual': 'Manual opening',
  'event.plate.read': 'Plate read',
  'event.port.state': 'Port state',
  'event.port.request': 'Charging request',
  'event.alarm': 'Alarm',
  'event.card.swipe': 'Card swipe',
  'event.ride': 'Ride',
  'event.fault': 'Fault',
  'event.emergency.call': 'Emergency call',
};

const en: Dictionary = { ...baseEn, ...commonWords.en, ...guardWords.en, ...committeeWords.en, ...charterWords.en, ...residentWords.en };

const DICTIONARIES: Record<Lang, Dictionary> = { zh, en };

export { lang, onLangChange, setLang, type Lang };

export function applyDocumentLang(): void {
  document.documentElement.lang = htmlLang();
  document.title = `${t('appName')} · ${t('appTagline')}`;
}
// The title follows a switch; registered here, so before any page's own listener.
onLangChange(applyDocumentLang);

export function t(key: MessageKey, params?: Record<string, string | number>): string {
  return fill(DICTIONARIES[lang()][key], params);
}

/** A kind's label from devices/kinds.ts; an unknown kind shows its code. */
export function kindLabel(kind: string): string {
  return __LINLI_KINDS__[kind]?.[lang()] ?? kind;
}

/** An event type's label when the dictionary has one, else undefined (the code is shown). */
export function eventLabel(type: string): string | undefined {
  const key = `event.${type}`;
  return key in zh ? t(key as MessageKey) : undefined;
}

export function roleLabel(role: string): string {
  const key = `role.${role}`;
  return key in zh ? t(key as MessageKey) : role;
}

/** "3 秒前" / "5 min ago"; coarse on purpose: people read it at a glance. */
export function relativeTime(iso: string, now = Date.now()): string {
  const seconds = Math.max(0, Math.floor((now - Date.parse(iso)) / 1000));
  if (seconds < 5) return t('time.now');
  if (seconds < 60) return t('time.seconds', { n: seconds });
  if (seconds < 3600) return t('time.minutes', { n: Math.floor(seconds / 60) });
  if (seconds < 86_400) return t('time.hours', { n: Math.floor(seconds / 3600) });
  return t('time.days', { n: Math.floor(seconds / 86_400) });
}

/** Full local time for a tooltip. */
export function absoluteTime(iso: string): string {
  return new Date(iso).toLocaleString(htmlLang(), { hour12: false });
}
