import { h } from '../dom.js';
import { t } from '../i18n.js';
import { classLabel } from '../format.js';
import type { Vehicle } from '../types-estate.js';

/** A registered car: plate, class in words, household, and until when a monthly pass runs. */
export function vehicleRow(v: Vehicle): HTMLElement {
  const li = h(
    'li',
    { testid: 'vehicle', class: 'row' },
    h(
      'div',
      { class: 'row__head' },
      h('span', { testid: 'vehicle-plate', class: 'plate' }, v.plate),
      h('span', { testid: 'vehicle-class', class: `tag tag--${v.class}` }, classLabel(v.class)),
      h('span', { class: 'muted' }, v.householdId ?? ''),
    ),
    v.validUntil ? h('span', { class: 'muted' }, t('veh.until', { d: v.validUntil })) : undefined,
  );
  li.dataset.plate = v.plate;
  return li;
}
