import { t } from '../i18n.js';
import { failureText, say, whileBusy } from './form.js';

export interface NoteForm {
  open: HTMLElement;
  form: HTMLFormElement;
  note: HTMLInputElement | HTMLTextAreaElement;
  submit: HTMLButtonElement;
  cancel: HTMLElement;
  error: HTMLElement;
  /** Shown when the note is too short: a person closing an alert says what was done. */
  needNote: string;
  noteLabel: string;
  send: (text: string) => Promise<void>;
}

/** A button that opens a "say what was done" form: cancel, a required note, submit once. */
export function wireNoteForm(f: NoteForm): void {
  f.open.addEventListener('click', () => {
    f.form.hidden = false;
    f.open.hidden = true;
    f.note.focus();
  });
  f.cancel.addEventListener('click', () => {
    f.form.hidden = true;
    f.open.hidden = false;
    say(f.error, undefined);
  });
  f.form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const text = f.note.value.trim();
    if (text.length < 2) return (say(f.error, f.needNote), f.note.focus());
    void whileBusy(f.submit, t('busy'), async () => {
      try {
        await f.send(text);
      } catch (err) {
        say(f.error, failureText(err, { note: f.noteLabel }));
      }
    });
  });
}
