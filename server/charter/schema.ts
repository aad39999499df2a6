import { z } from 'zod';
import { ParkingSection } from './parking-schema.js';
import { ElevatorSection } from './elevator-schema.js';
import { AlertsSection } from './alerts-schema.js';
import { ChargingSection } from './charging-schema.js';

/**
 * The estate charter (公约) as data. A version is never edited: a change is a new
 * version that supersedes it from its effective date. Later issues add the
 * charging and elevator sections.
 */
export const CharterDocument = z.object({
  title: z.string().min(1).max(100).default('小区自治管理公约'),
  parking: ParkingSection,
  charging: ChargingSection.optional(),
  elevator: ElevatorSection.optional(),
  alerts: AlertsSection.optional(),
});
export type CharterDocument = z.infer<typeof CharterDocument>;

/** How the households adopted it (表决): counts, and floor area where the estate votes by area too. */
export const Adoption = z
  .object({
    date: z.iso.date(),
    householdsTotal: z.number().int().min(1),
    householdsFor: z.number().int().min(0),
    householdsAgainst: z.number().int().min(0),
    householdsAbstaining: z.number().int().min(0),
    areaForM2: z.number().min(0).optional(),
    areaTotalM2: z.number().min(0).optional(),
    note: z.string().max(500).optional(),
  })
  .refine((a) => a.householdsFor + a.householdsAgainst + a.householdsAbstaining <= a.householdsTotal, {
    message: 'for + against + abstaining exceeds the households in the estate',
    path: ['householdsTotal'],
  });
export type Adoption = z.infer<typeof Adoption>;

export const NewCharterVersion = z.object({
  effectiveFrom: z.iso.datetime({ offset: true }).describe('when this version takes effect'),
  adoption: Adoption,
  document: CharterDocument,
});

export interface CharterVersion {
  estateId: string;
  version: number;
  effectiveFrom: string;
  adoption: Adoption;
  document: CharterDocument;
  createdBy: string;
  createdAt: string;
}
