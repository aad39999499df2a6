import type { Api } from '../api.js';
import { append, h } from '../dom.js';
import { kindLabel, t } from '../i18n.js';
import { dictionary, lang } from '../lang.js';
import { errorLine, failureText, labelled, say, whileBusy } from './form.js';

/*
 * 登记设备, on the committee's devices page: a device built to the Linli contract
 * or one bought from a vendor (臻识, 海康威视, JUY, 电梯监测盒). The answer's secret
 * and `connect` — the push URL and, in Chinese, what to type on the device's own
 * page — are shown once, here. Loaded when the committee opens the form.
 */

const zh = {
  title: '登记设备',
  id: '设备编号',
  name: '名称（可不填）',
  kind: '类型',
  vendor: '厂家 / 协议',
  serialNo: '设备序列号',
  transport: '连接方式',
  auto: '按厂家默认',
  faultSource: '故障编号（向监测盒厂家确认）',
  gateId: '所在车道的道闸编号',
  direction: '车道方向',
  in: '入口',
  out: '出口',
  submit: '登记',
  done: '{id} 已登记。以下内容只显示这一次：',
  secret: '设备密钥',
  pushUrl: '推送地址',
  serves: '相机同时驱动道闸 {gate}（已一并登记）。',
  copy: '复制',
} as const;
type Key = keyof typeof zh;
const en: Record<Key, string> = {
  title: 'Register a device',
  id: 'Device id',
  name: 'Name (optional)',
  kind: 'Kind',
  vendor: 'Vendor / protocol',
  serialNo: 'Serial number',
  transport: 'Connection',
  auto: 'Vendor default',
  faultSource: 'Fault numbering (ask the box’s vendor)',
  gateId: 'Gate id of its lane',
  direction: 'Lane direction',
  in: 'Entry',
  out: 'Exit',
  submit: 'Register',
  done: '{id} is registered. What follows is shown only this once:',
  secret: 'Device secret',
  pushUrl: 'Push URL',
  serves: 'The camera also drives gate {gate} (registered with it).',
  copy: 'Copy',
};
const tr = dictionary(zh, en);

const VENDORS: [string, string, string][] = [
  ['linli', '邻里协议（MQTT）', 'Linli contract (MQTT)'],
  ['vzenith', '臻识 Vzenith 车牌相机', 'Vzenith plate camera'],
  ['hikvision', '海康威视 车牌相机', 'Hikvision plate camera'],
  ['juy', 'JUY 充电棚控制器', 'JUY shed controller'],
  ['elevatorcloud', '电梯监测盒', 'Elevator monitoring box'],
];

/** Whose numbering an elevator box's fault codes are in (server: ElevatorboxSettings.faultSource): the same number means different faults per source. */
const FAULT_SOURCES: [string, string, string][] = [
  ['elevatorcloud', 'elevatorcloud 协议编号（1–8，默认）', 'elevatorcloud protocol (1–8, default)'],
  ['firmware', '监测盒固件编号（1–17）', 'Box firmware (1–17)'],
  ['chongqing', '重庆市电梯平台编号', 'Chongqing city platform'],
  ['shanghai', '上海市电梯平台（F/E 标志）', 'Shanghai city platform (F/E flags)'],
  ['shmashine', 'Shmashine 平台编号', 'Shmashine platform'],
];

interface Registered {
  id: string;
  secret: string;
  connect: { pushUrl?: string; instructions: { zh: string; en: string }; notice?: { zh: string; en: string } };
  serves?: { gateId: string; created: boolean };
}

/** A read-only value with a copy button (execCommand: the estate's server is often plain http, without the Clipboard API). */
function copyable(testid: string, value: string): HTMLElement {
  const input = h('input', { testid, readOnly: true, value });
  return h('div', { class: 'people__pw' }, input, h('button', { type: 'button', class: 'btn btn--small', on: { click: () => (input.select(), document.execCommand('copy')) } }, tr('copy')));
}

export function deviceRegisterForm(api: Api, estateId: () => string | undefined, onRegistered: () => void): HTMLElement {
  const id = h('input', { testid: 'register-id', attrs: { autocapitalize: 'none' } });
  const name = h('input', { testid: 'register-name' });
  const kind = h('select', { testid: 'register-kind' }, ...['camera', 'gate', 'charger', 'elevator'].map((k) => h('option', { value: k }, kindLabel(k))));
  const vendor = h('select', { testid: 'register-vendor' }, ...VENDORS.map(([v, z, e]) => h('option', { value: v }, lang() === 'zh' ? z : e)));
  const serialNo = h('input', { testid: 'register-serial', attrs: { autocapitalize: 'none' } });
  const transport = h('select', { testid: 'register-transport' }, h('option', { value: '' }, tr('auto')), ...['http', 'mqtt', 'tcp'].map((v) => h('option', { value: v }, v.toUpperCase())));
  const faultSource = h('select', { testid: 'register-fault-source' }, ...FAULT_SOURCES.map(([v, z, e]) => h('option', { value: v }, lang() === 'zh' ? z : e)));
  const boxFields = [labelled(tr('faultSource'), faultSource)];
  const gateId = h('input', { testid: 'register-gate', attrs: { autocapitalize: 'none' } });
  const direction = h('select', { testid: 'register-direction' }, h('option', { value: 'in' }, tr('in')), h('option', { value: 'out' }, tr('out')));
  const vendorFields = [labelled(tr('serialNo'), serialNo), labelled(tr('transport'), transport)];
  const laneFields = [labelled(tr('gateId'), gateId), labelled(tr('direction'), direction)];
  const error = errorLine('register-error');
  const result = h('div', { testid: 'register-result', class: 'form__ok', hidden: true });
  const submit = h('button', { type: 'submit', class: 'btn btn--action' }, tr('submit'));

  const shape = () => {
    for (const f of vendorFields) f.hidden = vendor.value === 'linli';
    for (const f of laneFields) f.hidden = kind.value !== 'camera';
    for (const f of boxFields) f.hidden = vendor.value !== 'elevatorcloud';
  };
  kind.addEventListener('change', shape);
  vendor.addEventListener('change', shape);
  shape();

  function show(r: Registered): void {
    const words = r.connect.instructions[lang()];
    const notice = r.connect.notice?.[lang()];
    result.replaceChildren();
    append(
      result,
      [h('p', {}, tr('done', { id: r.id })),
      labelled(tr('secret'), copyable('register-secret', r.secret)),
      r.connect.pushUrl ? labelled(tr('pushUrl'), copyable('register-push-url', r.connect.pushUrl)) : undefined,
      r.serves?.created ? h('p', {}, tr('serves', { gate: r.serves.gateId })) : undefined,
      notice ? h('p', { testid: 'register-notice', class: 'form__error' }, notice) : undefined,
      h('pre', { testid: 'register-instructions', class: 'register__words' }, words)],
    );
    result.hidden = false;
    result.scrollIntoView();
  }

  const form = h(
    'form',
    { class: 'form', testid: 'register-form', noValidate: true },
    labelled(tr('id'), id),
    labelled(tr('name'), name),
    labelled(tr('kind'), kind),
    labelled(tr('vendor'), vendor),
    ...vendorFields,
    ...boxFields,
    ...laneFields,
    error,
    submit,
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const estate = estateId();
    if (!estate) return;
    const body: Record<string, unknown> = { id: id.value.trim(), kind: kind.value, ...(name.value.trim() ? { name: name.value.trim() } : {}) };
    if (vendor.value !== 'linli') Object.assign(body, { vendor: vendor.value, serialNo: serialNo.value.trim(), ...(transport.value ? { transport: transport.value } : {}) });
    if (vendor.value === 'elevatorcloud') body.vendorSettings = { faultSource: faultSource.value };
    if (kind.value === 'camera') Object.assign(body, { gateId: gateId.value.trim(), direction: direction.value });
    void whileBusy(submit, t('busy'), () =>
      api.call<Registered>('POST', `/api/estates/${encodeURIComponent(estate)}/devices`, body).then(
        (r) => (say(error, undefined), show(r), form.reset(), shape(), onRegistered()),
        (err) => say(error, failureText(err, { id: tr('id'), serialNo: tr('serialNo'), gateId: tr('gateId'), transport: tr('transport'), vendor: tr('vendor') })),
      ),
    );
  });
  return h('div', {}, result, h('details', { class: 'card section', testid: 'register-device' }, h('summary', { class: 'open__summary' }, tr('title')), form));
}
