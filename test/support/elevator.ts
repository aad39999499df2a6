import { ElevatorAccess, ElevatorFaultRules } from '../../server/charter/elevator-access-schema.js';

/**
 * A charter's elevator rules as a committee might adopt them: clause 6.1 (members ride
 * to their own floor and the ground floor), 6.2 passes (at most 90 days), 6.3
 * pay-per-ride ¥1 to the ground and own floor, 10 s to choose a floor; faults under 6.5
 * with the defaults (door open 120 s, stopped between floors 30 s, maintenance 15 days).
 */
export function elevatorAccessInput(): Record<string, any> {
  return {
    clause: '6.1',
    groundFloors: [1],
    memberFloors: 'own-and-ground',
    passes: { clause: '6.2', maxDays: 90 },
    payPerRide: { clause: '6.3', priceFen: 100, floors: 'ground-and-own' },
    grantTtlS: 10,
  };
}

/** `edit` changes the raw input before zod fills the defaults: `anElevatorAccess(a => { delete a.payPerRide })`. */
export function anElevatorAccess(edit?: (a: Record<string, any>) => void): ElevatorAccess {
  const input = elevatorAccessInput();
  edit?.(input);
  return ElevatorAccess.parse(input);
}

export function anElevatorFaultRules(edit?: (r: Record<string, any>) => void): ElevatorFaultRules {
  const input: Record<string, any> = { clause: '6.5' };
  edit?.(input);
  return ElevatorFaultRules.parse(input);
}
