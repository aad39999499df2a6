import { h } from '../dom.js';
import { t, type MessageKey } from '../i18n.js';
import type { Role } from '../types.js';
import type { PageDeps, PageView } from './page.js';

type Create = (deps: PageDeps) => PageView;

/**
 * Every page, its label in the nav, and how to load it. The URL hash names the
 * page (#/lanes). Pages are loaded when first shown (each is its own chunk), so
 * a phone downloads only what its person uses.
 */
const PAGES = {
  devices: { label: 'nav.devices', load: () => import('./devices.js').then((m) => m.devicesView) },
  lanes: { label: 'nav.lanes', load: () => import('./lanes.js').then((m) => m.lanesView) },
  register: { label: 'nav.register', load: () => import('./register.js').then((m) => m.registerView) },
  charter: { label: 'nav.charter', load: () => import('./charter.js').then((m) => m.charterView) },
  'manual-opens': { label: 'nav.manualOpens', load: () => import('./manual-opens.js').then((m) => m.manualOpensView) },
  'my-vehicles': { label: 'nav.myVehicles', load: () => import('./my-vehicles.js').then((m) => m.myVehiclesView) },
  'my-visitors': { label: 'nav.myVisitors', load: () => import('./my-visitors.js').then((m) => m.myVisitorsView) },
  'my-stays': { label: 'nav.myStays', load: () => import('./my-stays.js').then((m) => m.myStaysView) },
  'my-charging': { label: 'nav.myCharging', load: () => import('./my-charging.js').then((m) => m.myChargingView) },
  sheds: { label: 'nav.sheds', load: () => import('./sheds-admin.js').then((m) => m.shedsAdminView) },
  elevators: { label: 'nav.elevators', load: () => import('./elevators.js').then((m) => m.elevatorsView) },
  duty: { label: 'nav.duty', load: () => import('./duty.js').then((m) => m.dutyView) },
  roster: { label: 'nav.roster', load: () => import('./roster.js').then((m) => m.rosterView) },
  uptime: { label: 'nav.uptime', load: () => import('./uptime.js').then((m) => m.uptimeView) },
  usage: { label: 'nav.usage', load: () => import('./usage.js').then((m) => m.usageView) },
  accounts: { label: 'nav.accounts', load: () => import('./accounts.js').then((m) => m.accountsView) },
  audit: { label: 'nav.audit', load: () => import('./audit.js').then((m) => m.auditView) },
  'notice-board': { label: 'nav.noticeBoard', load: () => import('./notice-board.js').then((m) => m.noticeBoardView) },
  people: { label: 'nav.people', load: () => import('./people.js').then((m) => m.peopleView) },
} satisfies Record<string, { label: MessageKey; load(): Promise<Create> }>;

export type PageId = keyof typeof PAGES;

/** Who sees which pages, the first one being where they land: a guard lands on the lanes, a resident on their cars. */
const BY_ROLE: Record<Role, PageId[]> = {
  committee: ['devices', 'lanes', 'register', 'charter', 'manual-opens', 'sheds', 'elevators', 'duty', 'roster', 'uptime', 'usage', 'accounts', 'audit', 'notice-board', 'people'],
  // A volunteer lands on 值班: what needs them now.
  volunteer: ['duty', 'roster', 'devices', 'elevators', 'notice-board'],
  // A guard sees the elevators (a trapped passenger is often reported at the gatehouse) but closes nothing.
  guard: ['lanes', 'devices', 'elevators', 'notice-board'],
  // 公示栏 is for everyone: the published accounts of what the households paid for.
  resident: ['my-vehicles', 'my-visitors', 'my-stays', 'my-charging', 'charter', 'notice-board'],
};

/** The page the hash asks for, when this role has it; else the role's first page. */
export function pageFor(role: Role, hash: string): PageId {
  const pages = BY_ROLE[role] ?? ['devices'];
  const asked = hash.replace(/^#\/?/, '') as PageId;
  return pages.includes(asked) ? asked : pages[0]!;
}

export function loadPage(id: PageId): Promise<Create> {
  return PAGES[id].load();
}

/** The tabs under the header; none for a role with one page. Plain links: the back button works. */
export function nav(role: Role, current: PageId): HTMLElement | undefined {
  const pages = BY_ROLE[role] ?? [];
  if (pages.length < 2) return undefined;
  return h(
    'nav',
    { testid: 'nav', class: 'nav', attrs: { 'aria-label': t('nav.label') } },
    ...pages.map((id) =>
      h('a', { testid: `nav-${id}`, class: 'nav__item', href: `#/${id}`, attrs: { 'aria-current': id === current ? 'page' : undefined } }, t(PAGES[id].label)),
    ),
  );
}
