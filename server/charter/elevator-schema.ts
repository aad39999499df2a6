import { z } from 'zod';
import { ElevatorAccess, ElevatorFaultRules } from './elevator-access-schema.js';
import { ElevatorCostSplit } from './elevator-cost-schema.js';

/**
 * The charter's elevator section: who may ride (access), when the data shows a
 * fault the controller did not report and how often maintenance is due (faults),
 * and how the households share the build and running costs (cost).
 */
export const ElevatorSection = z.object({
  access: ElevatorAccess,
  faults: ElevatorFaultRules,
  cost: ElevatorCostSplit,
});
export type ElevatorSection = z.infer<typeof ElevatorSection>;
