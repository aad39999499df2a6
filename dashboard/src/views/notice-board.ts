import { noticeBoardApi, type NoticeBoardApi, type NoticeItem } from '../api-notice-board.js';
import { h } from '../dom.js';
import { day, yuan } from '../format.js';
import { t } from '../i18n.js';
import { tn } from '../messages/notice-board.js';
import { estatePicker } from './estate-picker.js';
import { errorLine, failureText, say } from './form.js';
import { isAmount, parseCsv, sections } from './notice-board-csv.js';
import type { PageDeps, PageView } from './page.js';

/** -5000 → "-¥50": a deficit reads as minus money. */
const money = (fen: number) => (fen < 0 ? '-' : '') + yuan(Math.abs(fen));
const monthLabel = (month: string) => {
  const [y, mm] = month.split('-') as [string, string];
  return tn('nb.month', { y, m: Number(mm), mm });
};
const title = (n: NoticeItem) => `${monthLabel(n.month)} · ${n.assetName}`;

/** The statement writer puts ' before text that a spreadsheet would run as a formula (=, +, -, @); on screen it is text anyway. */
const shown = (cell: string) => cell.replace(/^'(?=[=+\-@\t\r])/, '');
/**
 * A short cell (a date, a room, a name, a plate, a column head) breaks at its spaces only: 2026-10-03 00:00 wraps at
 * its time, 3-2-501 and 王*芳 stay whole. A phrase (with Chinese punctuation, or long: a note) wraps as Chinese does.
 * Text and spans: the cell's textContent is the cell.
 */
const cellText = (c: string) => (c.length > 20 || /[\u3000-\u303f\uff00-\uffef]/.test(c) ? [c] : c.split(' ').flatMap((w, i) => [i ? ' ' : '', h('span', { class: 'nobr' }, w)]));

/** The published CSV as the paper copy reads: each section under its heading, a table each. */
function sheet(csv: string): HTMLElement {
  return h(
    'div',
    { testid: 'notice-sheet', class: 'notice__sheet' },
    ...sections(parseCsv(csv)).map((s) => {
      // The CSV leaves a row's empty tail out (期初余额,,,0.00 has four cells, a line five): padded, every row is ruled across.
      const width = Math.max(...[s.head ?? [], ...s.rows].map((r) => r.length));
      const tr = (tag: 'th' | 'td', cells: string[]) =>
        h('tr', {}, ...[...cells, ...Array<string>(width - cells.length).fill('')].map((c) => h(tag, { class: isAmount(c) ? 'num' : undefined }, ...cellText(shown(c)))));
      return h(
        'section',
        {},
        s.title ? h('h3', {}, s.title) : undefined,
        h('div', { class: 'table-wrap' }, h('table', { class: 'table' }, s.head ? h('thead', {}, tr('th', s.head)) : undefined, h('tbody', {}, ...s.rows.map((r) => tr('td', r))))),
      );
    }),
  );
}

/** Saves the very bytes shown (a Blob, fetched with the token, which a plain link could not send): its SHA-256 is the digest. */
function save(n: NoticeItem, csv: Blob): void {
  const link = h('a', { href: URL.createObjectURL(csv), download: `公开账目-${n.assetName}-${n.month}.csv` });
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

/**
 * 公示栏: the months the committee published (公示), for everyone signed in,
 * newest first; tapping one shows its statement from the CSV kept at 公示, as
 * the paper by the door has it, with the digest to check a copy against and
 * the file itself to download. Nothing unpublished is ever shown here.
 */
export function noticeBoardView(deps: PageDeps): PageView {
  let api: NoticeBoardApi | undefined;
  let seq = 0;
  const error = errorLine('notice-error');
  const list = h('ul', { testid: 'notices', class: 'rows' });
  const board = h('section', { class: 'card section' }, h('p', { class: 'hint notice__intro' }, tn('nb.intro')), list);
  // Back is there while the statement loads too: a slow link must not trap anyone on an empty page.
  const back = h('button', { type: 'button', testid: 'notice-back', class: 'btn btn--small', on: { click: () => ((seq += 1), showing(false)) } }, tn('nb.back'));
  const actions = h('div', { class: 'notice__actions' });
  const body = h('div', { class: 'notice__body' });
  const detail = h('section', { testid: 'notice', class: 'card section', hidden: true }, actions, body);
  const showing = (statement: boolean) => {
    [board.hidden, detail.hidden] = [statement, !statement];
    window.scrollTo(0, 0);
  };

  function row(n: NoticeItem): HTMLElement {
    const when = day(n.publishedAt);
    const open = h(
      'button',
      { type: 'button', testid: 'notice-open', class: 'notice__open', on: { click: () => void show(n) } },
      h('span', { class: 'row__title' }, title(n)),
      h('span', { class: 'muted' }, n.publishedBy ? tn('nb.publishedBy', { date: when, by: n.publishedBy }) : tn('nb.published', { date: when })),
      h('span', { class: 'notice__closing' }, tn('nb.closing', { fee: money(n.closingFen) })),
    );
    const li = h('li', { testid: 'notice-item', class: 'row' }, open);
    Object.assign(li.dataset, { assetId: n.assetId, month: n.month });
    return li;
  }

  async function show(n: NoticeItem): Promise<void> {
    if (!api) return;
    const mine = ++seq;
    say(error, undefined);
    actions.replaceChildren(back);
    body.replaceChildren(h('p', { class: 'hint' }, t('list.loading')));
    showing(true);
    try {
      const csv = await api.csv(n.assetId, n.month);
      const text = await csv.text();
      if (mine !== seq) return;
      actions.append(h('button', { type: 'button', testid: 'notice-csv', class: 'btn btn--small', on: { click: () => save(n, csv) } }, tn('nb.csv')));
      body.replaceChildren(
        h('h2', { testid: 'notice-title', class: 'section__title' }, title(n)),
        h('p', { testid: 'notice-closing', class: 'stat__big' }, tn('nb.closing', { fee: money(n.closingFen) })),
        sheet(text),
        h('p', { testid: 'notice-digest', class: 'notice__digest' }, tn('nb.digest', { hex: n.digest })),
        h('p', { class: 'hint' }, tn('nb.digestHint')),
      );
    } catch (err) {
      if (mine === seq) (showing(false), say(error, failureText(err)));
    }
  }

  async function load(estateId: string): Promise<void> {
    api = noticeBoardApi(deps.api, estateId);
    const mine = ++seq;
    showing(false);
    list.replaceChildren(h('li', { class: 'hint' }, t('list.loading')));
    try {
      const { items } = await api.list();
      if (mine !== seq) return;
      say(error, undefined);
      list.replaceChildren(...(items.length ? items.map(row) : [h('li', { testid: 'notices-empty', class: 'hint' }, tn('nb.none'))]));
    } catch (err) {
      if (mine === seq) (list.replaceChildren(), say(error, failureText(err)));
    }
  }

  const el = h(
    'main',
    { class: 'page', testid: 'notice-board-page' },
    h('div', { class: 'toolbar' }, estatePicker(deps.api, (id) => void load(id))),
    h('h1', { class: 'summary__title' }, t('nav.noticeBoard')),
    error,
    board,
    detail,
  );
  return { el, destroy: () => void (seq += 1) };
}
