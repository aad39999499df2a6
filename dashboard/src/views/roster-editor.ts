import type { DutyApi } from '../api-duty.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { td } from '../messages/duty.js';
import { isRoster, readRoster, rosterText } from '../roster-text.js';
import type { Roster } from '../types-duty.js';
import { errorLine, failureText, labelled, noteLine, say, whileBusy } from './form.js';
import { section } from './page.js';

/**
 * The committee's roster editor: three boxes of plain lines (volunteers,
 * shifts, committee), filled with the saved roster, read back by
 * roster-text.ts and PUT whole. Swaps and the elevator company are kept.
 */
export function rosterEditor(o: { api(): DutyApi | undefined; saved(): void }): { el: HTMLElement; show(roster: Roster | null): void } {
  let current: Roster | null = null;
  const box = (testid: string, rows: number) => h('textarea', { testid, rows, class: 'roster-edit__text', attrs: { spellcheck: 'false', autocapitalize: 'off', autocomplete: 'off' } });
  const volunteers = box('edit-volunteers', 4);
  const shifts = box('edit-shifts', 4);
  const committee = h('input', { testid: 'edit-committee', attrs: { autocapitalize: 'off', autocomplete: 'off' } });
  const error = errorLine('edit-error');
  const ok = noteLine('edit-ok');
  const submit = h('button', { type: 'submit', testid: 'edit-save', class: 'btn btn--action' }, td('edit.save'));
  const form = h(
    'form',
    { testid: 'roster-edit', class: 'form', noValidate: true },
    h('p', { class: 'hint' }, td('edit.hint')),
    labelled(td('edit.volunteers'), volunteers),
    labelled(td('edit.shifts'), shifts),
    labelled(td('edit.committee'), committee),
    error,
    ok,
    submit,
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    say(ok, undefined);
    const read = readRoster({ volunteers: volunteers.value, shifts: shifts.value, committee: committee.value }, current);
    if (!isRoster(read)) return say(error, td(read.key, read.params));
    say(error, undefined);
    void whileBusy(submit, t('busy'), async () => {
      try {
        await o.api()?.saveRoster(read);
        say(ok, td('edit.saved'));
        o.saved();
      } catch (err) {
        say(error, failureText(err));
      }
    });
  });
  return {
    el: section('roster-edit-section', td('edit.title'), form),
    show(roster) {
      current = roster;
      const text = rosterText(roster);
      volunteers.value = text.volunteers;
      shifts.value = text.shifts;
      committee.value = text.committee;
    },
  };
}
