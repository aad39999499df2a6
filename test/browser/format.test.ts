import { describe, expect, it } from 'vitest';
import { fenOf, kwh, yuan } from '../../dashboard/src/format.js';
import { shedIdOf } from '../../dashboard/src/shed/address.js';
import { floorText } from '../../dashboard/src/views/lift-card.js';
import { serverText } from '../../dashboard/src/views/form.js';

/* The dashboard's pure formatting, as a table: what the API gives → what a person reads. */
describe('money: fen → ¥, as the gate LED says it', () => {
  it.each([
    [0, '¥0'],
    [600, '¥6'],
    [650, '¥6.50'],
    [5, '¥0.05'],
    [123456, '¥1234.56'],
  ])('%i fen → %s', (fen, shown) => expect(yuan(fen)).toBe(shown));
});

describe("the server's words, readable", () => {
  it.each([
    ['body.本月访客通行证已用完（1张，公约第2.6条） / this month’s quota of 1 passes is used up', '本月访客通行证已用完（1张，公约第2.6条）'],
    ['body.plate: not a plate', 'body.plate: not a plate'],
    ['household 3-2-501 still has 1 resident(s)', 'household 3-2-501 still has 1 resident(s)'],
  ])('%s', (message, shown) => expect(serverText(message)).toBe(shown));
});

describe('energy: Wh → kWh, two decimals at most', () => {
  it.each([
    [0, '0'],
    [500, '0.5'],
    [1520, '1.52'],
    [152, '0.15'],
  ])('%i Wh → %s kWh', (wh, shown) => expect(kwh(wh)).toBe(shown));
});

describe('a top-up typed in yuan → fen', () => {
  it.each([
    ['20', 2000],
    ['20.5', 2050],
    [' 0.05 ', 5],
    ['0', undefined],
    ['-1', undefined],
    ['1.234', undefined],
    ['二十', undefined],
    ['1000000', undefined], // a top-up is at most six figures of yuan
  ])('%s → %s', (typed, fen) => expect(fenOf(typed)).toBe(fen));
});

describe('an elevator’s build cost typed in yuan → fen (up to eight figures)', () => {
  it.each([
    ['350000', 35_000_000],
    ['350,000', 35_000_000],
    ['1，250，000.5', 125_000_050],
    ['1,50', undefined], // not ¥150: a separator must come before three digits
    ['350,00', undefined],
    ['123456789', undefined],
  ])('%s → %s', (typed, fen) => expect(fenOf(typed, 8)).toBe(fen));
});

describe('floors as the car’s panel shows them', () => {
  it.each([
    [1, '1'],
    [12, '12'],
    [-1, 'B1'],
    [-2, 'B2'],
  ])('%i → %s', (floor, shown) => expect(floorText(floor)).toBe(shown));
});

describe('the address a shed’s QR code points to', () => {
  it.each([
    ['#/shed/shed-1', 'shed-1'],
    ['#/shed/shed-1/', 'shed-1'],
    ['#/shed/%E6%A3%9A', '棚'],
    ['#/shed/%E5%', undefined],
    ['#/shed/', undefined],
    ['#/my-charging', undefined],
  ])('%s → %s', (hash, shedId) => expect(shedIdOf(hash)).toBe(shedId));
});
