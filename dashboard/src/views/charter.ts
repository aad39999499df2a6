import { charterApi } from '../api-estate.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { day } from '../format.js';
import type { CharterVersion } from '../types-estate.js';
import { diffList } from './charter-diff.js';
import { charterRules } from './charter-rules.js';
import { estatePicker } from './estate-picker.js';
import { errorLine, failureText, labelled, say } from './form.js';
import { section, type PageDeps, type PageView } from './page.js';

type Status = 'inForce' | 'upcoming' | 'old';

/** The version in force is the latest that has taken effect; later ones are upcoming. */
function statuses(versions: CharterVersion[], now = Date.now()): Map<number, Status> {
  const started = versions.filter((v) => Date.parse(v.effectiveFrom) <= now).sort((a, b) => Date.parse(a.effectiveFrom) - Date.parse(b.effectiveFrom) || a.version - b.version);
  const current = started.at(-1)?.version;
  return new Map(versions.map((v) => [v.version, v.version === current ? 'inForce' : Date.parse(v.effectiveFrom) > now ? 'upcoming' : 'old']));
}

/** 赞成 / 反对 / 弃权 as one bar of all households: who did not vote is the empty rest. */
function voteBar(a: CharterVersion['adoption']): HTMLElement {
  const part = (cls: string, n: number) => {
    const el = h('span', { class: `vote__part vote__part--${cls}` });
    el.style.width = `${(100 * n) / a.householdsTotal}%`;
    return el;
  };
  return h('div', { testid: 'vote-bar', class: 'vote', attrs: { 'aria-hidden': 'true' } }, part('for', a.householdsFor), part('against', a.householdsAgainst), part('abstain', a.householdsAbstaining));
}

function versionRow(v: CharterVersion, status: Status): HTMLElement {
  const a = v.adoption;
  const li = h(
    'li',
    { testid: 'charter-version', class: 'row' },
    h('div', { class: 'row__head' }, h('span', { class: 'row__title' }, t('charter.version', { n: v.version })), h('span', { testid: 'charter-status', class: `tag tag--${status}` }, t(`charter.${status}`)), h('span', { class: 'muted' }, t('charter.effective', { d: day(v.effectiveFrom) }))),
    h('p', { testid: 'charter-vote', class: 'vote__text' }, t('charter.vote', { d: a.date, for: a.householdsFor, against: a.householdsAgainst, abstain: a.householdsAbstaining, total: a.householdsTotal }), ' ', h('strong', {}, t('charter.votePct', { p: Math.round((100 * a.householdsFor) / a.householdsTotal) }))),
    voteBar(a),
  );
  li.dataset.version = String(v.version);
  li.dataset.status = status;
  return li;
}

/** 公约: every version with its vote, the parking rules in force in words, and what changed between two versions. */
export function charterView(deps: PageDeps): PageView {
  const body = h('div', { class: 'sections' });
  const alert = errorLine('charter-error');
  let seq = 0;

  function diffControls(estateId: string, versions: CharterVersion[]): HTMLElement {
    const out = h('div', { testid: 'diff-result' });
    if (versions.length < 2) return h('p', { class: 'hint' }, t('diff.needTwo'));
    const picker = (testid: string, chosen: number) => h('select', { testid }, ...versions.map((v) => h('option', { value: String(v.version), selected: v.version === chosen }, t('charter.version', { n: v.version }))));
    const from = picker('diff-from', versions.at(-2)!.version);
    const to = picker('diff-to', versions.at(-1)!.version);
    const compare = async () => {
      try {
        out.replaceChildren(diffList((await charterApi(deps.api, estateId).diff(Number(from.value), Number(to.value))).changes));
      } catch (err) {
        out.replaceChildren(h('p', { class: 'form__error', attrs: { role: 'alert' } }, failureText(err)));
      }
    };
    const button = h('button', { type: 'button', testid: 'diff-compare', class: 'btn btn--small', on: { click: () => void compare() } }, t('diff.compare'));
    void compare();
    return h('div', {}, h('div', { class: 'diff__pick' }, labelled(t('diff.from'), from), labelled(t('diff.to'), to), button), out);
  }

  async function select(estateId: string): Promise<void> {
    const mine = ++seq;
    body.replaceChildren(h('p', { class: 'hint' }, t('list.loading')));
    try {
      const { items } = await charterApi(deps.api, estateId).versions();
      if (mine !== seq) return;
      say(alert, undefined);
      if (!items.length) return void body.replaceChildren(h('p', { testid: 'charter-none', class: 'hint' }, t('charter.none')));
      const status = statuses(items);
      const current = items.find((v) => status.get(v.version) === 'inForce');
      const parts = [
        section('charter-versions', t('charter.versions'), h('ul', { testid: 'charter-list', class: 'rows' }, ...[...items].reverse().map((v) => versionRow(v, status.get(v.version)!)))),
        current ? section('charter-rules-section', t('rules.title', { n: current.version }), charterRules(current.document.parking)) : undefined,
        section('charter-diff', t('diff.title'), diffControls(estateId, items)),
      ];
      body.replaceChildren(...parts.filter((p): p is HTMLElement => p !== undefined));
    } catch (err) {
      if (mine === seq) (say(alert, failureText(err)), body.replaceChildren());
    }
  }

  const el = h('main', { class: 'page', testid: 'charter-page' }, h('div', { class: 'toolbar' }, estatePicker(deps.api, (id) => void select(id))), alert, h('h1', { class: 'summary__title' }, t('nav.charter')), body);
  return { el, destroy: () => void (seq += 1) };
}
