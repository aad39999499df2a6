import { h } from '../dom.js';
import { t, type MessageKey } from '../i18n.js';
import { clauseLabel, yuan } from '../format.js';
import type { ParkingSection } from '../types-estate.js';

/** One rule as a sentence, with the clause it comes from. */
function rule(testid: string, text: string, clause?: string): HTMLElement {
  return h('li', { testid, class: 'rule' }, h('span', {}, text), clause ? h('span', { class: 'clause' }, clauseLabel(clause)) : undefined);
}

/** A 一位多车 switch: on or off, in words, so nobody has to read a checkbox. */
function flag(testid: string, key: MessageKey, on: boolean): HTMLElement {
  const li = h('li', { testid, class: 'rule' }, h('span', {}, t(key)), h('span', { class: `switch ${on ? 'switch--on' : ''}` }, t(on ? 'yes' : 'no')));
  li.dataset.on = String(on);
  return li;
}

/** The parking section of the version in force, as residents would read it on the notice board. */
export function charterRules(p: ParkingSection): HTMLElement {
  const tf = p.tariff;
  const night = tf.night;
  const v = p.classes.visitor;
  const g = p.groups;
  return h(
    'ul',
    { testid: 'charter-rules', class: 'rules' },
    ...p.lots.map((lot) => rule('rule-lot', t('rules.lot', { name: lot.name, capacity: lot.capacity, reserved: lot.reservedForResidents }))),
    rule('rule-free', t('rules.free', { n: tf.freeMinutes }), tf.clause),
    rule('rule-first', t('rules.first', { m: tf.firstPeriod.minutes, price: yuan(tf.firstPeriod.priceFen) }), tf.clause),
    rule('rule-increment', t('rules.increment', { m: tf.increment.minutes, price: yuan(tf.increment.priceFen) }), tf.clause),
    night
      ? rule('rule-night', [t('rules.night', { from: night.from, to: night.to, m: night.unitMinutes, price: yuan(night.priceFen) }), night.capFen !== undefined ? t('rules.nightCap', { fee: yuan(night.capFen) }) : ''].filter(Boolean).join('，'), tf.clause)
      : undefined,
    tf.dailyCapFen !== undefined ? rule('rule-daily-cap', t('rules.dailyCap', { fee: yuan(tf.dailyCapFen) }), tf.clause) : undefined,
    tf.perVisitCapFen !== undefined ? rule('rule-visit-cap', t('rules.visitCap', { fee: yuan(tf.perVisitCapFen) }), tf.clause) : undefined,
    rule('rule-visitor', t('rules.visitor', { n: v.monthlyQuotaPerHousehold, h: v.maxPassHours }), v.clause),
    h('li', { class: 'rule rule--group' }, h('span', {}, t('rules.groups')), h('span', { class: 'clause' }, clauseLabel(g.clause))),
    flag('rule-overflow-enter', 'rules.overflowMayEnter', g.overflowMayEnter),
    flag('rule-overflow-pays', 'rules.overflowPays', g.overflowPaysTemporary),
    flag('rule-billing-stops', 'rules.billingStops', g.billingStopsWhenGroupCarLeaves),
    rule('rule-exit', t(p.exit.payment === 'before-open' ? 'rules.payBefore' : 'rules.payOwe'), p.exit.clause),
    rule('rule-unmatched', p.exit.unmatched === 'guard' ? t('rules.unmatchedGuard') : t('rules.unmatchedCharge', { fee: yuan(p.exit.unmatchedDefaultFeeFen) }), p.exit.clause),
    rule('rule-offline', t(p.offline.mode === 'whitelist' ? 'rules.offlineWhitelist' : 'rules.offlineClosed'), p.offline.clause),
  );
}
