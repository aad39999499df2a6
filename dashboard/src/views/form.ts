import { ApiError } from '../api.js';
import { h } from '../dom.js';
import { lang, t } from '../i18n.js';
import { describe, problemOf } from './errors.js';

/*
 * Form pieces the pages share: a labelled control, an error line, a busy
 * button, and reading the server's 400 answers (`body.plate: <why>`) so the
 * error shows beside the field it is about.
 */

export function labelled(label: string, control: HTMLElement, error?: HTMLElement): HTMLLabelElement {
  return h('label', { class: 'field' }, h('span', {}, label), control, error);
}

export function errorLine(testid: string): HTMLParagraphElement {
  return h('p', { testid, class: 'form__error', attrs: { role: 'alert' }, hidden: true });
}

export function noteLine(testid: string): HTMLParagraphElement {
  return h('p', { testid, class: 'form__ok', attrs: { role: 'status' }, hidden: true });
}

/** Shows `text` in a line, or hides it when there is none. */
export function say(el: HTMLElement, text: string | undefined): void {
  el.textContent = text ?? '';
  el.hidden = !text;
}

/**
 * The server's own words, readable: a leading `body.` with no field is dropped,
 * and a "中文 / English" message shows the half in the language in use.
 */
export function serverText(message: string): string {
  const text = message.replace(/^(body|querystring|params)\.(?![A-Za-z])/, '');
  const halves = text.split(' / ');
  if (halves.length === 2 && /[\u3400-\u9fff]/.test(halves[0]!)) return (lang() === 'zh' ? halves[0] : halves[1])!.trim();
  return text;
}

/** `body.plate: not a plate` → {field: 'plate', detail: 'not a plate'}; undefined when no field is named. */
export function fieldOf(err: unknown): { field: string; detail: string } | undefined {
  if (!(err instanceof ApiError) || err.status !== 400) return undefined;
  const m = /^body\.([A-Za-z]\w*)[\w.[\]]*: ([\s\S]+)$/.exec(err.message);
  return m ? { field: m[1]!, detail: m[2]! } : undefined;
}

/** What to tell the person about a failed call: the server's reason for a 400/409/422, else the usual problem. */
export function failureText(err: unknown, labels: Record<string, string> = {}): string {
  const f = fieldOf(err);
  if (f) return labels[f.field] ? t('err.field', { field: labels[f.field]!, detail: f.detail }) : serverText((err as ApiError).message);
  if (err instanceof ApiError && [400, 409, 422].includes(err.status)) return serverText(err.message);
  return describe(problemOf(err));
}

/** Runs `work` with the button showing it is busy; a second tap while busy does nothing. */
export async function whileBusy(button: HTMLButtonElement, busyText: string, work: () => Promise<void>): Promise<void> {
  if (button.disabled) return;
  const idle = button.textContent;
  button.disabled = true;
  button.textContent = busyText;
  try {
    await work();
  } finally {
    button.disabled = false;
    button.textContent = idle;
  }
}
