import { describe, it, expect } from 'vitest';
import { matchPlate, plateSimilarity, type PlateMatch } from '../../server/parking/plate-match.js';

const opts = { threshold: 0.8 };
const weight = (confidence: number) => 0.5 + 0.5 * confidence;

describe('matchPlate: exact', () => {
  it.each<[string, string, Iterable<string>, number]>([
    ['a registered plate', '鄂A12345', new Set(['鄂A12345', '鄂B00001']), 0.97],
    ['spaces and a dot in the read', ' 鄂a·12345', new Set(['鄂A12345']), 0.97],
    ['a low-confidence read', '鄂A12345', new Set(['鄂A12345']), 0.1],
    ['registered list not normalised', '鄂A12345', ['鄂B00001', '鄂A-12345'], 0.97],
    ['an 8-character new-energy plate', '鄂AD12345', ['鄂AD12345'], 0.9],
    ['a police plate', '鄂A1234警', ['鄂A1234警'], 0.9],
  ])('%s', (_name, read, registered, confidence) => {
    expect(matchPlate(read, confidence, registered, opts)).toEqual({ kind: 'exact', plate: validPlate(read) });
  });
});

function validPlate(raw: string): string {
  return raw.replace(/[\s·-]/g, '').toUpperCase();
}

describe('matchPlate: each known OCR confusion is a cheap fuzzy match', () => {
  // One confusion: similarity 0.9; at confidence 0.95 the score is 0.9 × 0.975 ≈ 0.878.
  it.each([
    ['鄂A1234D', '鄂A12340', 6, 'D', '0'],
    ['鄂A12340', '鄂A1234D', 6, '0', 'D'],
    ['鄂A1234Q', '鄂A12340', 6, 'Q', '0'],
    ['鄂A1234Q', '鄂A1234D', 6, 'Q', 'D'],
    ['鄂A12O45', '鄂A12045', 4, 'O', '0'],
    ['鄂A12B45', '鄂A12845', 4, 'B', '8'],
    ['鄂A12845', '鄂A12B45', 4, '8', 'B'],
    ['鄂AI2345', '鄂A12345', 2, 'I', '1'],
    ['鄂A1Z345', '鄂A12345', 3, 'Z', '2'],
    ['鄂A12345', '鄂A1Z345', 3, '2', 'Z'],
    ['鄂A1234S', '鄂A12345', 6, 'S', '5'],
    ['鄂A123S5', '鄂A12355', 5, 'S', '5'],
    ['鄂A12355', '鄂A123S5', 5, '5', 'S'],
  ])('read %s matches registered %s (%s: %s→%s)', (read, registered, at, r, g) => {
    const got = matchPlate(read, 0.95, new Set([registered, '鄂C77777']), opts);
    expect(got).toEqual({
      kind: 'fuzzy',
      plate: registered,
      score: expect.closeTo(0.9 * weight(0.95), 2),
      substitutions: [{ at, read: r, registered: g }],
    });
  });
});

describe('matchPlate: province characters', () => {
  it.each([
    ['粤A12345', '鄂A12345', '粤', '鄂'],
    ['鄂A12345', '粤A12345', '鄂', '粤'],
    ['泸A12345', '沪A12345', '泸', '沪'],
    ['亰A12345', '京A12345', '亰', '京'],
    ['翼A12345', '冀A12345', '翼', '冀'],
  ])('look-alike: read %s matches %s', (read, registered, r, g) => {
    const got = matchPlate(read, 0.95, [registered], opts);
    expect(got).toMatchObject({ kind: 'fuzzy', plate: registered, substitutions: [{ at: 0, read: r, registered: g }] });
  });

  it('an unrelated province costs more than a look-alike and goes to the guard', () => {
    // 湘 vs 鄂: province substitution 0.6 → similarity 0.7 → 0.7 × 0.975.
    expect(matchPlate('湘A12345', 0.95, ['鄂A12345'], opts)).toEqual({
      kind: 'none',
      candidates: [{ plate: '鄂A12345', score: expect.closeTo(0.7 * weight(0.95), 2) }],
    });
  });
});

describe('matchPlate: threshold', () => {
  const registered = new Set(['鄂A12340', '鄂B28615', '鄂AD55555']);
  it.each<[string, string, number, number, PlateMatch['kind'], number]>([
    ['one confusion, confident', '鄂A1234D', 0.95, 0.8, 'fuzzy', 0.9 * weight(0.95)],
    ['one confusion, unsure camera', '鄂A1234D', 0.5, 0.8, 'none', 0.9 * weight(0.5)],
    ['one confusion, strict charter', '鄂A1234D', 0.95, 0.9, 'none', 0.9 * weight(0.95)],
    ['two confusions, full confidence: reaches 0.8', '鄂AI234D', 1, 0.8, 'fuzzy', 0.8],
    ['two confusions, confidence 0.9', '鄂AI234D', 0.9, 0.8, 'none', 0.8 * weight(0.9)],
    ['one arbitrary character', '鄂A12347', 1, 0.8, 'none', 0.5],
    ['one arbitrary character, lax charter', '鄂A12347', 1, 0.5, 'fuzzy', 0.5],
  ])('%s → %s', (_name, read, confidence, threshold, kind, score) => {
    const got = matchPlate(read, confidence, registered, { threshold });
    expect(got.kind).toBe(kind);
    const best = got.kind === 'fuzzy' ? got : got.kind === 'none' ? got.candidates[0] : undefined;
    expect(best).toMatchObject({ plate: '鄂A12340', score: expect.closeTo(score, 2) });
  });
});

describe('matchPlate: a missed or extra character', () => {
  it.each<[string, string, number, PlateMatch['kind'], { at: number; read: string; registered: string }]>([
    // A 7-character model reading a small new-energy plate drops the D.
    ['鄂A12345', '鄂AD12345', 0.97, 'fuzzy', { at: 2, read: '', registered: 'D' }],
    // …or a large one's trailing D.
    ['苏E12345', '苏E12345D', 0.97, 'fuzzy', { at: 7, read: '', registered: 'D' }],
    ['鄂A12345', '鄂AD12345', 0.6, 'none', { at: 2, read: '', registered: 'D' }],
    // Inventing a character costs more than missing one.
    ['鄂AD12345', '鄂A12345', 0.97, 'none', { at: 2, read: 'D', registered: '' }],
  ])('read %s vs registered %s at confidence %s → %s', (read, registered, confidence, kind, edit) => {
    const got = matchPlate(read, confidence, [registered], opts);
    expect(got.kind).toBe(kind);
    if (got.kind === 'fuzzy') expect(got.substitutions).toEqual([edit]);
    else expect(got).toMatchObject({ kind: 'none', candidates: [{ plate: registered }] });
  });

  it('two characters off in length is never a candidate', () => {
    expect(matchPlate('鄂A123', 1, ['鄂A12345'], opts)).toEqual({ kind: 'none', candidates: [] });
  });
});

describe('matchPlate: only registered plates come back', () => {
  it('a read that is itself a valid plate still resolves to the registered one', () => {
    expect(matchPlate('鄂A12345', 0.97, ['鄂A1234S'], opts)).toMatchObject({ kind: 'fuzzy', plate: '鄂A1234S' });
  });

  it.each<[string, string, Iterable<string>]>([
    ['empty read', '', ['鄂A12345']],
    ['garbage read', '???', ['鄂A12345']],
    ['nothing registered', '鄂A12345', []],
  ])('%s → none, nothing to offer', (_name, read, registered) => {
    expect(matchPlate(read, 0.9, registered, opts)).toEqual({ kind: 'none', candidates: [] });
  });

  it('below the threshold: the 3 best registered plates, best first, for the guard', () => {
    const registered = ['鄂A12349', '鄂A1Z34S', '湘A12345', '鄂A1234S', '鄂B99999'];
    expect(matchPlate('鄂A12345', 1, registered, { threshold: 0.95 })).toEqual({
      kind: 'none',
      candidates: [
        { plate: '鄂A1234S', score: 0.9 },
        { plate: '鄂A1Z34S', score: 0.8 },
        { plate: '湘A12345', score: 0.7 },
      ],
    });
  });

  it('two registered plates equally near: the guard picks, not a coin toss', () => {
    const got = matchPlate('鄂A12340', 1, ['鄂A1234D', '鄂A1234Q'], opts);
    expect(got).toEqual({
      kind: 'none',
      candidates: [
        { plate: '鄂A1234D', score: 0.9 },
        { plate: '鄂A1234Q', score: 0.9 },
      ],
    });
  });
});

describe('plateSimilarity', () => {
  it.each([
    ['鄂A12345', '鄂A12345', 1],
    ['鄂A·12345', '鄂a12345', 1],
    ['鄂A1234S', '鄂A12345', 0.9],
    ['粤A12345', '鄂A12345', 0.9],
    ['鄂A12345', '鄂AD12345', 0.85], // read missed the new-energy D
    ['鄂AD12345', '鄂A12345', 0.7], // read invented one: dearer
    ['鄂A12347', '鄂A12345', 0.5],
    ['鄂B99999', '鄂A12345', 0],
    ['', '鄂A12345', 0],
    ['鄂A123', '鄂A12345', 0],
  ])('%s ~ %s = %s', (a, b, want) => {
    expect(plateSimilarity(a, b)).toBeCloseTo(want, 3);
  });
});

describe('matchPlate over an estate of 2,000 plates', () => {
  // Deterministic pseudo-random plates (mulberry32), so a failure reproduces.
  let seed = 12345;
  const rand = (n: number) => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
  const pick = (s: string) => s[rand(s.length)] ?? '';
  const SERIAL = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ';
  const plate = () =>
    pick('鄂鄂鄂鄂湘豫粤') + pick('AAAB') + (rand(5) === 0 ? pick('DF') : '') + Array.from({ length: 5 }, () => pick(SERIAL)).join('');
  const registered = new Set<string>();
  while (registered.size < 2000) registered.add(plate());
  const list = [...registered];
  const SWAP: Record<string, string> = { '0': 'D', D: '0', '8': 'B', B: '8', '2': 'Z', Z: '2', '5': 'S', S: '5', '1': 'I' };

  it('finds the car behind a one-confusion misread', () => {
    let fuzzyToSource = 0;
    const reads = list.flatMap((p) => {
      const i = [...p].findIndex((c, k) => k >= 2 && SWAP[c]);
      return i < 0 ? [] : [{ source: p, read: p.slice(0, i) + SWAP[p[i] ?? ''] + p.slice(i + 1) }];
    });
    const started = performance.now();
    for (const { source, read } of reads) {
      const got = matchPlate(read, 0.95, registered, opts);
      if (got.kind === 'fuzzy' && got.plate === source) fuzzyToSource++;
      else if (got.kind !== 'exact') expect(got).toMatchObject({ kind: 'none', candidates: expect.arrayContaining([expect.objectContaining({ plate: source })]) });
    }
    const perMatchMs = (performance.now() - started) / reads.length;
    console.info(`matchPlate: ${reads.length} reads against ${registered.size} plates, ${perMatchMs.toFixed(3)} ms per match`);
    expect(fuzzyToSource / reads.length).toBeGreaterThan(0.95);
  });
});
