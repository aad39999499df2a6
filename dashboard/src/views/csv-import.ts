import { ApiError } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import type { ImportFailed, ImportOk } from '../types-estate.js';
import { errorLine, failureText, labelled, noteLine, say, whileBusy } from './form.js';

type Run = (file: File, dryRun: boolean) => Promise<ImportOk>;

/** The row errors of a 422, as a table a committee member can fix the spreadsheet from: line, column, problem. */
function errorTable(failed: ImportFailed): HTMLElement {
  const cell = (testid: string, text: string | number) => h('td', { testid }, String(text));
  return h(
    'table',
    { testid: 'csv-errors', class: 'table' },
    h('thead', {}, h('tr', {}, h('th', {}, t('csv.line')), h('th', {}, t('csv.field')), h('th', {}, t('csv.problem')))),
    h('tbody', {}, ...failed.errors.map((e) => h('tr', { testid: 'csv-error' }, cell('csv-error-line', e.line), cell('csv-error-field', e.field ?? '—'), cell('csv-error-message', e.message)))),
  );
}

/**
 * 导入住户表格: the file is checked first (`?dryRun=true`), its problems listed
 * by line and column; only a clean check offers the import itself, of the
 * same file. Any error means nothing was written: the server is all or nothing.
 */
export function csvImport(run: Run, onImported: () => void): HTMLElement {
  let checked: File | undefined;
  const file = h('input', { testid: 'csv-file', type: 'file', attrs: { accept: '.csv,text/csv' } });
  const check = h('button', { type: 'button', testid: 'csv-check', class: 'btn btn--primary' }, t('csv.check'));
  const confirm = h('button', { type: 'button', testid: 'csv-confirm', class: 'btn btn--primary', hidden: true }, t('csv.confirm'));
  const error = errorLine('csv-error-summary');
  const summary = noteLine('csv-summary');
  const details = h('div', { class: 'table-wrap' });

  const reset = () => {
    checked = undefined;
    confirm.hidden = true;
    say(error, undefined);
    say(summary, undefined);
    details.replaceChildren();
  };
  file.addEventListener('change', reset);

  check.addEventListener('click', () => {
    const chosen = file.files?.[0];
    reset();
    if (!chosen) return say(error, t('csv.pick'));
    void whileBusy(check, t('busy'), async () => {
      try {
        const ok = await run(chosen, true);
        const n = ok.imported;
        say(summary, [t('csv.ok', { h: n.households, r: n.residents, v: n.vehicles, c: n.cards }), ok.ignoredColumns.length ? t('csv.ignored', { cols: ok.ignoredColumns.join('、') }) : ''].join(' '));
        checked = chosen;
        confirm.hidden = false;
      } catch (err) {
        const failed = err instanceof ApiError && err.status === 422 ? (err.body as ImportFailed) : undefined;
        say(error, failed ? t('csv.errors', { n: failed.errorCount }) : failureText(err));
        if (failed) details.replaceChildren(errorTable(failed));
      }
    });
  });

  confirm.addEventListener('click', () => {
    if (!checked) return;
    const chosen = checked;
    void whileBusy(confirm, t('busy'), async () => {
      try {
        const ok = await run(chosen, false);
        say(summary, t('csv.done', { h: ok.imported.households, n: ok.created.households, v: ok.imported.vehicles }));
        confirm.hidden = true;
        checked = undefined;
        onImported();
      } catch (err) {
        say(error, failureText(err));
      }
    });
  });

  return h('div', { class: 'form' }, h('p', { class: 'hint' }, t('csv.hint')), labelled(t('csv.file'), file), check, error, summary, details, confirm);
}
