import { describe, it, expect } from 'vitest';
import { ElevatorCostSplit } from '../../server/charter/elevator-cost-schema.js';
import { anElevatorCostSplit, elevatorCostInput } from '../support/elevator-cost.js';

describe('ElevatorCostSplit schema', () => {
  it('fills the defaults a charter may leave out', () => {
    const input = elevatorCostInput();
    delete input.exemptFloors;
    delete input.running.method;
    delete input.lateJoiner.from;
    expect(ElevatorCostSplit.parse(input)).toMatchObject({ exemptFloors: [], running: { method: 'same-as-build' }, lateJoiner: { from: 'completion' } });
  });

  it('accepts the builder as it is', () => expect(anElevatorCostSplit().coefficients.rule).toEqual({ fromFloor: 3, start: 0.7, step: 0.1 }));

  // prettier-ignore
  it.each([
    ['neither byFloor nor rule', (r: Record<string, any>) => (r.coefficients = {})],
    ['a coefficient to 5 decimals', (r: Record<string, any>) => (r.coefficients.byFloor = { 3: 0.70001 })],
    ['a negative coefficient', (r: Record<string, any>) => (r.coefficients.byFloor = { 3: -0.1 })],
    ['a floor key that is not a floor', (r: Record<string, any>) => (r.coefficients.byFloor = { '3F': 0.7 })],
    ['a step to 5 decimals', (r: Record<string, any>) => (r.coefficients.rule.step = 0.00001)],
    ['a subsidy over 100 %', (r: Record<string, any>) => (r.subsidy = { kind: 'percent', percent: 101 })],
    ['a subsidy percent to 3 decimals', (r: Record<string, any>) => (r.subsidy = { kind: 'percent', percent: 33.333 })],
    ['a subsidy amount in yuan with cents', (r: Record<string, any>) => (r.subsidy = { kind: 'amount', fen: 1000.5 })],
    ['an unknown subsidy kind', (r: Record<string, any>) => (r.subsidy = { kind: 'grant', fen: 1 })],
    ['an unknown method', (r: Record<string, any>) => (r.method = 'by-income')],
    ['an unknown running method', (r: Record<string, any>) => (r.running.method = 'by-weight')],
    ['interest to 3 decimals', (r: Record<string, any>) => (r.lateJoiner.annualInterestPct = 4.355)],
    ['interest from another date', (r: Record<string, any>) => (r.lateJoiner.from = 'join')],
    ['a clause that is not a number', (r: Record<string, any>) => (r.clause = '第六条')],
    ['an exempt floor that is not an integer', (r: Record<string, any>) => (r.exemptFloors = [1.5])],
  ])('rejects %s', (_name, edit) => {
    const input = elevatorCostInput();
    edit(input);
    expect(ElevatorCostSplit.safeParse(input).success).toBe(false);
  });

  it('describes itself for the charter editor and /docs', () => {
    expect(ElevatorCostSplit.description).toContain('阶梯算法');
    expect(ElevatorCostSplit.shape.exemptFloors.description).toContain('免缴楼层');
  });
});
