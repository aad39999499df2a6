import type { AccountsApi } from '../api-accounts.js';
import { ApiError } from '../api.js';
import { h } from '../dom.js';
import { fenOf, yuan } from '../format.js';
import { kindLabel, t } from '../i18n.js';
import { labelOf, ta } from '../messages/accounts.js';
import type { DeviceItem } from '../types.js';
import type { AssetKind, Prepaid } from '../types-accounts.js';
import { errorLine, failureText, labelled, noteLine, say, whileBusy } from './form.js';

const KINDS: AssetKind[] = ['gate', 'shed', 'elevator', 'other'];

function formParts(testid: string, submitText: string) {
  return { error: errorLine(`${testid}-error`), done: noteLine(`${testid}-done`), button: h('button', { type: 'submit', testid: `${testid}-submit`, class: 'btn btn--primary' }, submitText) };
}

/** 登记资产: a name, a kind, and the devices whose income is its own (a device counts for one asset only). */
export function assetForm(api: () => AccountsApi | undefined, saved: (id: string) => void): { el: HTMLElement; show(devices: DeviceItem[]): void } {
  const name = h('input', { testid: 'asset-name', attrs: { maxlength: 60, autocomplete: 'off' } });
  const kind = h('select', { testid: 'asset-kind' }, ...KINDS.map((k) => h('option', { value: k }, labelOf('kind', k))));
  const devices = h('div', { testid: 'asset-devices', class: 'checks' });
  const { error, done, button } = formParts('asset', ta('f.submit'));
  const el = h('form', { testid: 'asset-form', class: 'form', noValidate: true }, h('h3', { class: 'usage__title' }, ta('f.asset')), labelled(ta('f.name'), name), labelled(ta('f.kind'), kind), h('fieldset', { class: 'field' }, h('legend', {}, ta('f.devices')), devices), error, done, button);
  el.addEventListener('submit', (ev) => {
    ev.preventDefault();
    say(error, undefined);
    say(done, undefined);
    const c = api();
    const n = name.value.trim();
    if (!c) return;
    if (!n) return (say(error, t('err.required', { field: ta('f.name') })), name.focus());
    const deviceIds = [...devices.querySelectorAll<HTMLInputElement>('input:checked')].map((i) => i.value);
    void whileBusy(button, t('busy'), async () => {
      try {
        const added = await c.addAsset({ name: n, kind: kind.value as AssetKind, deviceIds });
        say(done, ta('f.assetAdded', { name: n }));
        name.value = '';
        saved(added.id);
      } catch (err) {
        say(error, err instanceof ApiError && err.code === 'DEVICE_IN_OTHER_ASSET' ? ta('f.deviceTaken') : failureText(err, { name: ta('f.name'), deviceIds: ta('f.devices') }));
      }
    });
  });
  return {
    el,
    show(list) {
      const active = list.filter((d) => d.status === 'active');
      devices.replaceChildren(
        ...(active.length
          ? active.map((d) => h('label', { class: 'check' }, h('input', { type: 'checkbox', value: d.id, testid: 'asset-device' }), `${d.name || d.id} · ${kindLabel(d.kind)}`))
          : [h('p', { class: 'hint' }, ta('f.noDevices'))]),
      );
    },
  };
}

/** 退还预存款: hand a household's prepaid money back; the server refuses more than the balance (409). */
export function refundForm(api: () => AccountsApi | undefined, saved: () => void): { el: HTMLElement; show(p: Prepaid): void } {
  let prepaid: Prepaid | undefined;
  const who = h('select', { testid: 'refund-household' });
  const amount = h('input', { testid: 'refund-amount', attrs: { inputmode: 'decimal', autocomplete: 'off' } });
  const note = h('input', { testid: 'refund-note', attrs: { maxlength: 200, autocomplete: 'off' } });
  const { error, done, button } = formParts('refund', ta('f.refundSubmit'));
  const el = h('form', { testid: 'refund-form', class: 'form', noValidate: true }, h('h3', { class: 'usage__title' }, ta('f.refund')), labelled(ta('f.refundWho'), who), labelled(ta('f.amount'), amount), labelled(ta('f.note'), note), error, done, button);
  el.addEventListener('submit', (ev) => {
    ev.preventDefault();
    say(error, undefined);
    say(done, undefined);
    const c = api();
    const hh = who.value;
    const fen = fenOf(amount.value);
    if (!c) return;
    if (!hh) return say(error, ta('f.refundPick'));
    if (fen === undefined) return (say(error, ta('f.badAmount')), amount.focus());
    void whileBusy(button, t('busy'), async () => {
      try {
        const r = await c.refund(hh, fen, note.value.trim() || undefined);
        say(done, ta('f.refunded', { hh, fee: yuan(fen), balance: yuan(r.balanceFen) }));
        amount.value = '';
        note.value = '';
        saved();
      } catch (err) {
        const balance = prepaid?.households.find((x) => x.householdId === hh)?.balanceFen;
        say(error, err instanceof ApiError && err.code === 'OVER_BALANCE' && balance !== undefined ? ta('f.tooMuch', { fee: yuan(balance) }) : failureText(err, { note: ta('f.note') }));
      }
    });
  });
  return {
    el,
    show(p) {
      prepaid = p;
      const chosen = who.value;
      who.replaceChildren(
        h('option', { value: '' }, p.households.length ? ta('f.refundPick') : ta('f.noPrepaid')),
        ...p.households.map((x) => h('option', { value: x.householdId, selected: x.householdId === chosen }, ta('f.refundOption', { label: x.label, name: x.name ?? '', fee: yuan(x.balanceFen) }))),
      );
    },
  };
}
