/**
 * The estate register as the store keeps it: households (户), residents, vehicles
 * and access cards. Ids are scoped to an estate. Dates are ISO `YYYY-MM-DD`
 * (validUntil inclusive); times are ISO UTC.
 */

/** Registered vehicle classes; parking adds visitor/temporary classes for cars that are not in the register. */
export type VehicleClass = 'resident' | 'monthly' | 'internal' | 'blacklist' | 'emergency';
export type PlateColor = 'blue' | 'yellow' | 'green' | 'white' | 'black' | 'unknown';
export type CardStatus = 'active' | 'frozen';
export type CardPurpose = 'charger' | 'elevator';

export interface Household {
  estateId: string;
  /** `${building}-${unit}-${room}`, e.g. `3-2-501`. */
  id: string;
  building: string;
  unit: string;
  room: string;
  areaM2: number | null;
  /** The household's own spaces, shared by its cars (一位多车). */
  parkingSpaces: number;
  note: string;
  createdAt: string;
  updatedAt: string;
}

export interface HouseholdSummary extends Household {
  residentCount: number;
  cardCount: number;
  plates: string[];
}

export interface Resident {
  estateId: string;
  id: string;
  householdId: string;
  name: string;
  phone: string | null;
  /** The login account of this person, if any. */
  username: string | null;
  isPrimary: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface Vehicle {
  estateId: string;
  /** Normalised (server/parking/plates.ts); unique within the estate. */
  plate: string;
  householdId: string | null;
  class: VehicleClass;
  validFrom: string | null;
  validUntil: string | null;
  color: PlateColor | null;
  note: string;
  createdAt: string;
  updatedAt: string;
}

export interface Card {
  estateId: string;
  cardId: string;
  householdId: string;
  residentId: string | null;
  status: CardStatus;
  purposes: CardPurpose[];
  createdAt: string;
  updatedAt: string;
}

type Fields<T> = Omit<T, 'estateId' | 'createdAt' | 'updatedAt'>;
export type NewHousehold = Pick<Household, 'building' | 'unit' | 'room'> & Partial<Pick<Household, 'areaM2' | 'parkingSpaces' | 'note'>>;
export type HouseholdPatch = Partial<Pick<Household, 'areaM2' | 'parkingSpaces' | 'note'>>;
export type NewResident = Pick<Resident, 'householdId' | 'name'> & Partial<Pick<Resident, 'phone' | 'username' | 'isPrimary'>>;
/** A resident does not move between households: delete and add again. */
export type ResidentPatch = Partial<Pick<Resident, 'name' | 'phone' | 'username' | 'isPrimary'>>;
export type NewVehicle = Pick<Vehicle, 'plate' | 'class'> & Partial<Omit<Fields<Vehicle>, 'plate' | 'class'>>;
export type VehiclePatch = Partial<Omit<Fields<Vehicle>, 'plate'>>;
export type NewCard = Pick<Card, 'cardId' | 'householdId'> & Partial<Omit<Fields<Card>, 'cardId' | 'householdId'>>;
export type CardPatch = Partial<Omit<Fields<Card>, 'cardId'>>;

export interface Paged<T> {
  items: T[];
  total: number;
}
export interface ListPage {
  estateId: string;
  limit: number;
  offset: number;
}

export interface Dependents {
  residents: number;
  vehicles: number;
  cards: number;
}

export interface EstateCounts {
  households: number;
  residents: number;
  vehicles: number;
  cards: number;
}

/**
 * One household row of an import, already validated. A field left undefined
 * means "the file has no such column": an existing value is kept.
 */
export interface ImportHousehold {
  household: NewHousehold;
  /** Matched by name within the household: an existing resident of that name is updated. */
  resident?: { name: string; phone?: string | null };
  vehicles: { plate: string; class?: VehicleClass; validUntil?: string | null }[];
  cards: string[];
}

export interface ImportCounts {
  created: EstateCounts;
  updated: EstateCounts;
}

export interface EstateModelRepo {
  listHouseholds(q: ListPage & { building?: string; unit?: string }): Paged<HouseholdSummary>;
  getHousehold(estateId: string, id: string): Household | undefined;
  createHousehold(estateId: string, h: NewHousehold): Household | 'exists';
  updateHousehold(estateId: string, id: string, patch: HouseholdPatch): Household | undefined;
  dependents(estateId: string, householdId: string): Dependents;
  /** Deletes the household and, with `cascade`, its cards, vehicles and residents first. */
  deleteHousehold(estateId: string, id: string, cascade: boolean): boolean;

  listResidents(q: ListPage & { householdId?: string; username?: string; name?: string }): Paged<Resident>;
  getResident(estateId: string, id: string): Resident | undefined;
  /** The first resident of a household becomes its primary contact unless told otherwise. */
  createResident(estateId: string, r: NewResident): Resident;
  updateResident(estateId: string, id: string, patch: ResidentPatch): Resident | undefined;
  /** Cards of the resident stay with the household, unassigned. */
  deleteResident(estateId: string, id: string): boolean;
  /** The earliest resident of that name in the household (imports match people by name). */
  residentByName(estateId: string, householdId: string, name: string): Resident | undefined;
  /** Every resident record linked to a login account, across estates. */
  residentsOfUser(username: string): Resident[];

  listVehicles(q: ListPage & { householdId?: string; class?: VehicleClass; plate?: string }): Paged<Vehicle>;
  getVehicle(estateId: string, plate: string): Vehicle | undefined;
  createVehicle(estateId: string, v: NewVehicle): Vehicle | 'exists';
  updateVehicle(estateId: string, plate: string, patch: VehiclePatch): Vehicle | undefined;
  deleteVehicle(estateId: string, plate: string): boolean;

  listCards(q: ListPage & { householdId?: string; residentId?: string; status?: CardStatus; purpose?: CardPurpose }): Paged<Card>;
  getCard(estateId: string, cardId: string): Card | undefined;
  createCard(estateId: string, c: NewCard): Card | 'exists';
  updateCard(estateId: string, cardId: string, patch: CardPatch): Card | undefined;
  deleteCard(estateId: string, cardId: string): boolean;

  counts(estateId: string): EstateCounts;
  /** Runs fn in one transaction: a throw rolls back everything it wrote. */
  atomically<T>(fn: () => T): T;
}
