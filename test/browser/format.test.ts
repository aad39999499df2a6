import { describe, expect, it } from 'vitest';
import { yuan } from '../../dashboard/src/format.js';
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
