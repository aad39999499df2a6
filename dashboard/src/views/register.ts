import { registerApi } from '../api-estate.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import type { HouseholdSummary } from '../types-estate.js';
import { csvImport } from './csv-import.js';
import { estatePicker } from './estate-picker.js';
import { pagedList, section, type PagedList, type PageDeps, type PageView } from './page.js';
import { vehicleForm } from './vehicle-form.js';
import { vehicleRow } from './vehicle-row.js';

const PAGE_SIZE = 20;

function householdRow(hh: HouseholdSummary): HTMLElement {
  const li = h(
    'li',
    { testid: 'household', class: 'row' },
    h('div', { class: 'row__head' }, h('span', { testid: 'household-id', class: 'row__title' }, hh.id), h('span', { class: 'muted' }, t('hh.residents', { n: hh.residentCount }), ' · ', t('hh.spaces', { n: hh.parkingSpaces }))),
    hh.plates.length ? h('div', { class: 'plates' }, ...hh.plates.map((p) => h('span', { class: 'plate' }, p))) : undefined,
  );
  li.dataset.id = hh.id;
  return li;
}

/** 住户与车辆, the committee's register: households and vehicles page by page, adding a car, importing the spreadsheet. */
export function registerView(deps: PageDeps): PageView {
  const body = h('div', { class: 'sections' });
  let lists: PagedList[] = [];

  function select(estateId: string): void {
    const api = registerApi(deps.api, estateId);
    const households = pagedList({ testid: 'households', size: PAGE_SIZE, fetch: api.households, row: householdRow, empty: 'hh.none' });
    const vehicles = pagedList({ testid: 'vehicles', size: PAGE_SIZE, fetch: api.vehicles, row: vehicleRow, empty: 'veh.none' });
    lists = [households, vehicles];
    const reloadAll = () => void Promise.all(lists.map((l) => l.reload()));
    body.replaceChildren(
      section('households-section', t('hh.title'), households.el),
      section('vehicles-section', t('veh.title'), vehicles.el),
      section('vehicle-add', t('veh.add'), vehicleForm(api.addVehicle, () => void vehicles.reload())),
      section('csv-import', t('csv.title'), csvImport(api.importCsv, reloadAll)),
    );
    reloadAll();
  }

  const el = h('main', { class: 'page', testid: 'register-page' }, h('div', { class: 'toolbar' }, estatePicker(deps.api, select)), h('h1', { class: 'summary__title' }, t('nav.register')), body);
  return { el, destroy: () => (lists = []) };
}
