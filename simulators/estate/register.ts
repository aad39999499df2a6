import { randomPlate } from '../lib/plates.js';
import { createRng, type Rng } from '../lib/random.js';
import { estateLayout } from './layout.js';

/**
 * The demo estate's register (登记册): households, their residents and their
 * cars, as the committee's spreadsheet has them. It depends only on the estate
 * id (and today's date, for monthly passes), never on the run's seed, so every
 * demo run imports the same rows (the import upserts: a re-run changes nothing)
 * and the simulated residents drive exactly the plates that are registered.
 */
export type CarClass = 'resident' | 'monthly';

export interface HouseholdRow {
  building: string;
  unit: string;
  room: string;
  areaM2: number;
  parkingSpaces: number;
  name: string;
  phone: string;
  plates: string[];
  vehicleClass: CarClass;
  /** Monthly passes: the last day they run (inclusive, YYYY-MM-DD). */
  validUntil?: string;
  note?: string;
  /** Access cards (门禁卡) registered to the household: charging sheds and elevators. */
  cards: string[];
}

/** A card the household's e-bike rider swipes at the sheds. */
export interface BikerCard {
  cardId: string;
  householdId: string;
}

/** A card a resident of an elevator's building and unit swipes in the lobby. */
export interface RiderCard {
  cardId: string;
  householdId: string;
  /** Index of the elevator (in the `lifts` given to `estateRegister`). */
  lift: number;
  /** The household's floor, from its room number (501 → 5). */
  floor: number;
}

/** Where an elevator stands, for its riders. */
export interface LiftPlace {
  building: string;
  unit: string;
  highestFloor: number;
}

export interface RegisteredCar {
  plate: string;
  householdId: string;
  class: CarClass;
  validUntil?: string;
}

export interface EstateRegister {
  households: HouseholdRow[];
  /** Cars of the estate's people, as the simulated residents drive them. */
  cars: RegisteredCar[];
  /** 一位多车: households with one space and two cars. */
  groups: string[];
  /** A car the owners' meeting banned (no household), registered as blacklist. */
  banned: { plate: string; note: string };
  /** Households whose resident gets a login and registers visitors' cars. */
  hosts: string[];
  /** E-bike riders' cards (90), each registered to a household. */
  bikers: BikerCard[];
  /** Elevator riders' cards (a dozen per elevator), registered to households of that building and unit above the ground floor. */
  riders: RiderCard[];
}

// Six-storey walk-ups, two flats a landing: the numbers old Wuhan estates have.
const BUILDINGS = 8;
const UNITS = 2;
const FLOORS = 6;
const FLATS_PER_FLOOR = 2;
const ONE_CAR = 34;
const TWO_CARS = 3;
const MONTHLY = 5;
const BIKERS = 90;
const RIDERS_PER_LIFT = 12;

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕';
const GIVEN = ['建国', '秀英', '桂兰', '志强', '丽华', '海燕', '文博', '晓东', '春梅', '国庆', '红霞', '伟', '敏', '静', '磊', '洋', '芳', '军', '勇', '艳', '杰', '娟', '涛', '明', '超', '霞', '平', '刚', '桂芳'];

export const householdIdOf = (h: { building: string; unit: string; room: string }) => `${h.building}-${h.unit}-${h.room}`;

/** FNV-1a: a stable seed from the estate id. */
function seedOf(text: string): number {
  let h = 0x811c9dc5;
  for (const ch of text) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

const isoDate = (d: Date) => d.toISOString().slice(0, 10);
const addDays = (d: Date, days: number) => new Date(d.getTime() + days * 86_400_000);

function phone(rng: Rng): string {
  return `1${rng.pick(['38', '39', '58', '86', '87', '35'])}${String(rng.int(0, 99_999_999)).padStart(8, '0')}`;
}

/**
 * `lifts`: where the elevators stand (default: the demo layout's), so their riders
 * live in that building and unit.
 */
export function estateRegister(estateId: string, today: Date = new Date(), lifts: LiftPlace[] = estateLayout(estateId).lifts): EstateRegister {
  const rng = createRng(seedOf(`linli-register:${estateId}`));
  const households: HouseholdRow[] = [];
  for (let b = 1; b <= BUILDINGS; b++) {
    for (let u = 1; u <= UNITS; u++) {
      for (let f = 1; f <= FLOORS; f++) {
        for (let n = 1; n <= FLATS_PER_FLOOR; n++) {
          households.push({
            building: String(b),
            unit: String(u),
            room: `${f}0${n}`,
            areaM2: Math.round(rng.between(48, 96) * 10) / 10,
            parkingSpaces: 0,
            name: rng.pick([...SURNAMES]) + rng.pick(GIVEN),
            phone: phone(rng),
            plates: [],
            vehicleClass: 'resident',
            cards: [],
          });
        }
      }
    }
  }

  const used = new Set<string>();
  const plate = () => {
    for (;;) {
      const p = randomPlate(rng, rng.chance(0.9) ? '鄂A' : rng.pick(['鄂K', '鄂F', '湘A']));
      if (!used.has(p)) return used.add(p), p;
    }
  };
  // Shuffle once, then hand out cars in order: who has one is random but stable.
  const order = [...households];
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  let next = 0;
  const take = () => order[next++]!;

  for (let i = 0; i < ONE_CAR; i++) Object.assign(take(), { parkingSpaces: 1, plates: [plate()] });
  const groups: string[] = [];
  for (let i = 0; i < TWO_CARS; i++) {
    const h = Object.assign(take(), { parkingSpaces: 1, plates: [plate(), plate()], note: '一位多车' });
    groups.push(householdIdOf(h));
  }
  // Tenants renting a space by the month: most paid up, one a few days late (in the grace
  // period), one lapsed weeks ago (a temporary car again until they renew).
  const monthlyUntil = [addDays(today, 25), addDays(today, 58), addDays(today, 120), addDays(today, -3), addDays(today, -40)];
  for (let i = 0; i < MONTHLY; i++) {
    Object.assign(take(), { plates: [plate()], vehicleClass: 'monthly', validUntil: isoDate(monthlyUntil[i]!), note: '租户 月租车位' });
  }
  const hosts = order.slice(0, 3).map(householdIdOf);
  const banned = { plate: plate(), note: '多次占用消防通道，业主大会决定禁止入内' };

  const { bikers, riders } = assignCards(estateId, households, lifts);

  const cars = households.flatMap((h) =>
    h.plates.map((p): RegisteredCar => ({ plate: p, householdId: householdIdOf(h), class: h.vehicleClass, ...(h.validUntil ? { validUntil: h.validUntil } : {}) })),
  );
  return { households, cars, groups, banned, hosts, bikers, riders };
}

/**
 * Cards from a stream of their own, so adding them left every plate and name as it
 * was. Bikers are spread over the estate; riders live in the elevator's building and
 * unit, on floors 2 and up (some households carry two cards: two people ride).
 */
function assignCards(estateId: string, households: HouseholdRow[], lifts: LiftPlace[]): { bikers: BikerCard[]; riders: RiderCard[] } {
  const rng = createRng(seedOf(`linli-cards:${estateId}`));
  const used = new Set<string>();
  const card = (h: HouseholdRow) => {
    for (;;) {
      const id = Array.from({ length: 8 }, () => '0123456789ABCDEF'[rng.int(0, 15)]).join('');
      if (used.has(id)) continue;
      used.add(id);
      h.cards.push(id);
      return id;
    }
  };
  /**
   * A shed card as its number is printed on it and as a JUY shed's reader reports it:
   * the same 32-bit UID in ten decimal digits (the "10D" format), so every shed, Linli or
   * JUY, knows the card by the same id.
   */
  const decimalCard = (h: HouseholdRow) => {
    const hex = card(h);
    const id = String(parseInt(hex, 16)).padStart(10, '0');
    h.cards[h.cards.length - 1] = id;
    return id;
  };
  const floorOf = (h: HouseholdRow) => Math.floor(Number(h.room) / 100);
  const riders: RiderCard[] = [];
  lifts.forEach((lift, index) => {
    const upstairs = households.filter((h) => h.building === lift.building && h.unit === lift.unit && floorOf(h) >= 2 && floorOf(h) <= lift.highestFloor);
    if (upstairs.length === 0) return;
    for (let i = 0; i < RIDERS_PER_LIFT; i++) {
      const h = i < upstairs.length ? upstairs[i]! : rng.pick(upstairs);
      riders.push({ cardId: card(h), householdId: householdIdOf(h), lift: index, floor: floorOf(h) });
    }
  });
  const bikers: BikerCard[] = [];
  for (let i = 0; i < BIKERS; i++) {
    const h = rng.pick(households);
    bikers.push({ cardId: decimalCard(h), householdId: householdIdOf(h) });
  }
  return { bikers, riders };
}

const csvCell = (v: string | number | undefined) => {
  const s = v === undefined ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** The spreadsheet as the committee keeps it, for `POST …/import/households` (text/csv, Chinese headers). */
export function householdsCsv(register: EstateRegister): string {
  const header = ['楼栋', '单元', '房号', '面积', '车位数', '姓名', '电话', '车牌', '车辆类型', '有效期至', '卡号', '备注'];
  const rows = register.households.map((h) =>
    [h.building, h.unit, h.room, h.areaM2, h.parkingSpaces, h.name, h.phone, h.plates.join(';'), h.vehicleClass === 'monthly' ? '月租' : '业主', h.validUntil, h.cards.join(';'), h.note].map(csvCell).join(','),
  );
  return `${[header.join(','), ...rows].join('\n')}\n`;
}
