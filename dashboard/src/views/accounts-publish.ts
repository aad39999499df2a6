import { ApiError } from '../api.js';
import { h } from '../dom.js';
import { day } from '../format.js';
import { t } from '../i18n.js';
import { ta, type AccountsKey } from '../messages/accounts.js';
import type { Statement } from '../types-accounts.js';
import { errorLine, failureText, say, whileBusy } from './form.js';

/*
 * 公示: the committee records that a month's statement went on the notice
 * board. From then on nothing dated in that month can be added, so it asks
 * first; once published, the statement carries a badge saying when and by
 * whom, printed with it.
 */

const REFUSALS: Record<string, AccountsKey> = { ALREADY_PUBLISHED: 'pub.already', MONTH_NOT_OVER: 'pub.notOver', NOT_RECONCILED: 'pub.notReconciled' };

/** 已公示 2026-12-01 由 admin, or nothing for a month not published. */
export function publishedBadge(s: Statement): HTMLElement | undefined {
  if (!s.published) return undefined;
  const badge = h('span', { testid: 'statement-published', class: 'badge badge--published' }, ta('pub.badge', { date: day(s.published.at), by: s.published.by }));
  badge.dataset.digest = s.published.digest;
  return badge;
}

/**
 * 校验码 sha256:… under a published statement, printed with it: a resident who
 * opens 公示栏 on a phone can compare it with the paper by the door.
 */
export function publishedDigest(s: Statement): HTMLElement | undefined {
  return s.published ? h('p', { testid: 'statement-digest', class: 'statement__digest' }, ta('pub.digest', { hex: s.published.digest })) : undefined;
}

/** 公示 → what it means → 确认公示, for a month that is over (the server checks again) and not published yet. */
export function publishControl(s: Statement, publish: (() => Promise<void>) | undefined): HTMLElement | undefined {
  if (s.published || !publish || Date.now() < Date.parse(s.to)) return undefined;
  const open = h('button', { type: 'button', testid: 'statement-publish', class: 'btn btn--small' }, ta('pub.action'));
  const error = errorLine('publish-error');
  const submit = h('button', { type: 'button', testid: 'publish-submit', class: 'btn btn--action' }, ta('pub.submit'));
  const cancel = h('button', { type: 'button', testid: 'publish-cancel', class: 'btn btn--small' }, ta('rev.cancel'));
  const confirm = h('div', { testid: 'publish-confirm', class: 'form', hidden: true }, h('p', { class: 'publish__what' }, ta('pub.confirm', { month: s.month })), error, h('div', { class: 'close__actions' }, submit, cancel));
  const show = (asking: boolean) => {
    [confirm.hidden, open.hidden] = [!asking, asking];
    say(error, undefined);
  };
  open.addEventListener('click', () => show(true));
  cancel.addEventListener('click', () => show(false));
  submit.addEventListener('click', () => {
    void whileBusy(submit, t('busy'), async () => {
      try {
        await publish();
      } catch (err) {
        const key = err instanceof ApiError ? REFUSALS[err.code] : undefined;
        say(error, key ? ta(key) : failureText(err));
      }
    });
  });
  return h('div', { class: 'publish no-print' }, open, confirm);
}
