import { accountsApi, type AccountsApi } from '../api-accounts.js';
import { h } from '../dom.js';
import { yuan } from '../format.js';
import { applyDocumentLang, t } from '../i18n.js';
import { labelOf, ta } from '../messages/accounts.js';
import type { AssetFund, Overview, Statement } from '../types-accounts.js';
import { assetForm, refundForm } from './accounts-admin.js';
import { contributionForm, costForm } from './accounts-forms.js';
import { statementTitle, statementView, type StatementActions } from './accounts-statement.js';
import { estatePicker } from './estate-picker.js';
import { errorLine, failureText, labelled, noteLine, say, whileBusy } from './form.js';
import { section, type PageDeps, type PageView } from './page.js';

const pad = (n: number) => String(n).padStart(2, '0');
const thisMonth = (d = new Date()) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}`;

function assetRow(a: AssetFund): HTMLElement {
  const balance = h('span', { testid: 'asset-balance', class: 'stat__big' }, ta('acc.balance', { fee: yuan(a.balanceFen) }));
  balance.dataset.fen = String(a.balanceFen);
  const li = h(
    'li',
    { testid: 'asset', class: 'row' },
    h('div', { class: 'row__head' }, h('span', { class: 'row__title' }, a.name), h('span', { class: 'tag' }, labelOf('kind', a.kind))),
    balance,
    h('span', { class: 'muted' }, ta('acc.line', { c: yuan(a.contributedFen), i: yuan(a.incomeFen), x: yuan(a.costsFen) })),
  );
  li.dataset.assetId = a.id;
  return li;
}

/**
 * 公开账目, the committee's page: each asset the households paid for with its
 * fund, one asset's month as a statement for the notice board (打印 on A4,
 * 导出 CSV, 公示 once it is up, 冲销 to correct a line), and the forms that
 * record a contribution, a cost, a new asset and a refund of prepaid money.
 */
export function accountsView(deps: PageDeps): PageView {
  let api: AccountsApi | undefined;
  let estateId = '';
  let estate = '';
  let overview: Overview | undefined;
  let seq = 0;
  const error = errorLine('accounts-error');
  const assets = h('ul', { testid: 'assets', class: 'rows' });
  const totals = h('p', { testid: 'accounts-totals', class: 'hint' });
  const pick = h('select', { testid: 'statement-asset' });
  const month = h('input', { testid: 'statement-month', type: 'month', value: thisMonth() });
  const statement = h('div', { testid: 'statement-area' });
  const notice = noteLine('statement-done');
  notice.classList.add('no-print');
  const formsFor = h('h2', { class: 'section__title' });
  const chosen = () => overview?.assets.find((a) => a.id === pick.value);
  const title = () => statementTitle(estate, chosen()?.name ?? '', month.value);

  const reload = () => void load();
  /** What the statement on screen lets the committee do: always on that statement's asset and month, whatever is picked since. */
  const actionsFor = (s: Statement, c: AccountsApi): StatementActions => ({
    async reverse(kind, lineId, reason) {
      await c.reverse(s.asset.id, kind, lineId, reason);
      say(notice, ta('rev.done'));
      reload();
    },
    // The statement comes back with its 已公示 badge: that says it.
    async publish() {
      await c.publish(s.asset.id, s.month);
      reload();
    },
  });
  const target = { api: () => api, asset: () => chosen()?.id, saved: reload };
  const create = assetForm(() => api, (id) => void load(id));
  const refund = refundForm(() => api, reload);

  async function loadStatement(): Promise<void> {
    const a = chosen();
    const c = api;
    if (!c || !a || !/^\d{4}-\d{2}$/.test(month.value)) return void statement.replaceChildren();
    const mine = ++seq;
    try {
      const s = await c.statement(a.id, month.value);
      if (mine === seq) (say(error, undefined), statement.replaceChildren(statementView(s, estate, actionsFor(s, c))));
    } catch (err) {
      if (mine === seq) (statement.replaceChildren(), say(error, failureText(err)));
    }
  }

  async function load(select?: string): Promise<void> {
    if (!api) return;
    const mine = ++seq;
    try {
      const [o, prepaid, devices] = await Promise.all([api.overview(), api.prepaid(), deps.api.devices(estateId)]);
      if (mine !== seq) return;
      overview = o;
      const keep = select ?? pick.value;
      assets.replaceChildren(...(o.assets.length ? o.assets.map(assetRow) : [h('li', { testid: 'assets-empty', class: 'hint' }, ta('acc.none'))]));
      totals.textContent = `${ta('acc.prepaid', { fee: yuan(o.prepaid.totalFen), n: o.prepaid.households })} · ${ta('acc.unallocated', { fee: yuan(o.unallocatedIncomeFen) })}`;
      pick.replaceChildren(...o.assets.map((a) => h('option', { value: a.id, selected: a.id === keep }, a.name)));
      formsFor.textContent = chosen() ? ta('f.for', { asset: chosen()!.name }) : ta('f.needAsset');
      create.show(devices.items);
      refund.show(prepaid);
      await loadStatement();
    } catch (err) {
      if (mine === seq) say(error, failureText(err));
    }
  }

  const print = h('button', { type: 'button', testid: 'statement-print', class: 'btn btn--small' }, ta('acc.print'));
  print.addEventListener('click', () => {
    document.title = title(); // what the printout (or its PDF) is named
    window.print();
    applyDocumentLang();
  });
  const csv = h('button', { type: 'button', testid: 'statement-csv', class: 'btn btn--small' }, ta('acc.csv'));
  csv.addEventListener('click', () => {
    const a = chosen();
    if (!api || !a) return;
    const c = api;
    void whileBusy(csv, t('busy'), async () => {
      try {
        const link = h('a', { href: URL.createObjectURL(await c.statementCsv(a.id, month.value)), download: `${title()}.csv` });
        link.click();
        setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
      } catch (err) {
        say(error, failureText(err));
      }
    });
  });
  pick.addEventListener('change', () => {
    formsFor.textContent = ta('f.for', { asset: chosen()?.name ?? '' });
    say(notice, undefined);
    void loadStatement();
  });
  month.addEventListener('change', () => (say(notice, undefined), void loadStatement()));

  const onEstate = (id: string, name: string) => {
    [estateId, estate, api] = [id, name, accountsApi(deps.api, id)];
    void load();
  };
  // Printed: the statement alone (styles.css, @media print); the rest is for the screen.
  const fundsSection = section('accounts-assets', ta('acc.assets'), assets, totals);
  fundsSection.classList.add('no-print');
  const statementSection = section('accounts-statement', ta('acc.statement'), h('div', { class: 'period no-print' }, labelled(ta('acc.asset'), pick), labelled(ta('acc.month'), month), print, csv), notice, statement);
  statementSection.classList.add('print-area');
  const el = h(
    'main',
    { class: 'page', testid: 'accounts-page' },
    h('div', { class: 'toolbar no-print' }, estatePicker(deps.api, onEstate)),
    h('h1', { class: 'summary__title no-print' }, t('nav.accounts')),
    error,
    fundsSection,
    statementSection,
    h('section', { class: 'card section no-print', testid: 'accounts-record' }, formsFor, h('div', { class: 'forms' }, contributionForm(target), costForm(target))),
    h('section', { class: 'card section no-print', testid: 'accounts-admin' }, h('div', { class: 'forms' }, create.el, refund.el)),
  );
  return { el, destroy: () => void (seq += 1) };
}
