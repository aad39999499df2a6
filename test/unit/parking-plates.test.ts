import { describe, it, expect } from 'vitest';
import { normalizePlate, validatePlate, type PlateKind } from '../../server/parking/plates.js';
import { PlateRead } from '../../devices/camera/schemas.js';
import { aPlateRead } from '../support/devices.js';

describe('normalizePlate', () => {
  it.each([
    ['鄂A12345', '鄂A12345'],
    [' 鄂a 12345 ', '鄂A12345'],
    ['鄂A·12345', '鄂A12345'],
    ['鄂A•12345', '鄂A12345'],
    ['鄂A-12345', '鄂A12345'],
    ['鄂A・12345', '鄂A12345'],
    ['鄂Ａ１２３４５', '鄂A12345'], // full-width from a Chinese IME
    ['鄂A\u300012345', '鄂A12345'], // ideographic space
    ['粤ad12345', '粤AD12345'],
    ['', ''],
    ['  ', ''],
  ])('%j → %j', (raw, want) => {
    expect(normalizePlate(raw)).toBe(want);
  });

  it.each([[null], [undefined], [42]])('never throws on %j', (raw) => {
    expect(() => normalizePlate(raw as unknown as string)).not.toThrow();
  });
});

describe('validatePlate: valid plates', () => {
  it.each<[string, string, PlateKind]>([
    ['鄂A12345', '鄂A12345', 'standard'],
    ['京N8B2Z5', '京N8B2Z5', 'standard'],
    ['鄂AF1234', '鄂AF1234', 'standard'], // 7 characters: an F here is just a serial letter
    ['鄂AD12345', '鄂AD12345', 'new-energy'], // small car: D (electric) 3rd
    ['粤BF12345', '粤BF12345', 'new-energy'], // small car: F (non-pure electric) 3rd
    ['沪ADE1234', '沪ADE1234', 'new-energy'], // small car: letter allowed 4th
    ['苏E12345D', '苏E12345D', 'new-energy'], // large vehicle: D last
    ['浙A12345F', '浙A12345F', 'new-energy'], // large vehicle: F last
    ['鄂a·d12345', '鄂AD12345', 'new-energy'],
    ['鄂A1234警', '鄂A1234警', 'police'],
    ['京A0006警', '京A0006警', 'police'],
    ['粤A1234应急', '粤A1234应急', 'emergency'],
    ['鄂A12345应急', '鄂A12345应急', 'emergency'],
    ['沪A1234领', '沪A1234领', 'other-special'],
    ['鄂A1234学', '鄂A1234学', 'other-special'],
    ['粤Z1234港', '粤Z1234港', 'other-special'],
    ['使123456', '使123456', 'other-special'],
    ['WJ鄂12345', 'WJ鄂12345', 'other-special'],
  ])('%s → %s (%s)', (raw, plate, kind) => {
    expect(validatePlate(raw)).toEqual({ ok: true, plate, kind });
  });
});

describe('validatePlate: invalid plates say what is wrong', () => {
  it.each([
    ['', 'empty plate'],
    ['  ·  ', 'empty plate'],
    ['???', "missing province character (starts with '?')"],
    ['A12345', "missing province character (starts with 'A')"],
    ['港A12345', "unknown province character '港'"],
    ['亰A12345', "unknown province character '亰'"],
    ['鄂112345', "issuing-authority letter expected at position 2, got '1'"],
    ['鄂AO1234', "letter 'O' is not used on plates (position 3)"],
    ['鄂A1234I', "letter 'I' is not used on plates (position 7)"],
    ['鄂A12#45', "unexpected character '#' at position 5"],
    ['鄂A1234', 'too short: 6 characters, expected 7 or 8'],
    ['鄂', 'too short: 1 character, expected 7 or 8'],
    ['鄂A123456', '8-character plate must be new-energy: D or F as 3rd or last character'],
    ['鄂A1D2345', '8-character plate must be new-energy: D or F as 3rd or last character'],
    ['鄂A123456789', 'too long: 11 characters, expected 7 or 8'],
    ['鄂A12345警', "'警' plate needs 4 serial characters after the letter, got 5"],
    ['鄂A1234港', "'港' plates are issued only as 粤Z + 4 characters"],
  ])('%j → %s', (raw, reason) => {
    expect(validatePlate(raw)).toEqual({ ok: false, reason });
  });
});

describe('validatePlate: the reported colour does not decide validity', () => {
  // Cameras misjudge colour at night, and large new-energy plates are yellow-green:
  // a well-formed plate.read in any colour validates by its characters alone.
  it.each<[string, string, PlateKind]>([
    ['鄂A12345', 'blue', 'standard'],
    ['鄂A12345', 'yellow', 'standard'],
    ['鄂A12345', 'green', 'standard'],
    ['鄂AD12345', 'green', 'new-energy'],
    ['鄂AD12345', 'blue', 'new-energy'],
    ['苏E12345D', 'yellow', 'new-energy'],
    ['苏E12345D', 'green', 'new-energy'],
    ['鄂A1234警', 'white', 'police'],
    ['鄂A1234警', 'unknown', 'police'],
  ])('%s read as %s → %s', (plate, color, kind) => {
    const read = PlateRead.parse(aPlateRead({ plate, color }));
    expect(validatePlate(read.plate)).toMatchObject({ ok: true, kind });
  });
});
