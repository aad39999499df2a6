import { dictionary } from '../lang.js';

/**
 * Why the server refused a new password (400 WEAK_PASSWORD). Its answer carries
 * zxcvbn's `warning` key (server/auth/password-strength.ts); the words are here,
 * so they follow the language switch.
 */
const zh = {
  weak: '新密码太容易被猜到：{reason}。建议用三四个不相关的词加几位数字（例如“晴川-台灯-47-码头”），不要用用户名、姓名、小区名、生日或连续的数字字母。',
  generic: '太短或太有规律',
  straightRow: '键盘上连成一排的键很容易被猜到',
  keyPattern: '简短的键盘图案很容易被猜到',
  simpleRepeat: '像“aaa”这样重复的字符很容易被猜到',
  extendedRepeat: '像“abcabcabc”这样重复的组合很容易被猜到',
  sequences: '像“abc”“123”这样连续的字符很容易被猜到',
  recentYears: '近些年的年份很容易被猜到',
  dates: '日期很容易被猜到',
  topTen: '这是最常用的密码之一',
  topHundred: '这是非常常用的密码',
  common: '这是常用密码',
  similarToCommon: '这和常用密码很像',
  wordByItself: '单个词很容易被猜到',
  namesByThemselves: '单独的名字或姓氏很容易被猜到',
  commonNames: '常见的名字和姓氏很容易被猜到',
  userInputs: '密码里有用户名、姓名或小区名这类别人知道的信息',
  pwned: '这个密码在网上泄露过',
} as const;

export type PasswordKey = keyof typeof zh;

const en: Record<PasswordKey, string> = {
  weak: 'The new password is too easy to guess: {reason}. Use three or four unrelated words and a few digits (e.g. “river-lamp-47-quay”), not your username, name, estate, a birthday or a run of keys.',
  generic: 'it is too short or too regular',
  straightRow: 'straight rows of keys are easy to guess',
  keyPattern: 'short keyboard patterns are easy to guess',
  simpleRepeat: 'repeated characters like “aaa” are easy to guess',
  extendedRepeat: 'repeated patterns like “abcabcabc” are easy to guess',
  sequences: 'sequences like “abc” or “123” are easy to guess',
  recentYears: 'recent years are easy to guess',
  dates: 'dates are easy to guess',
  topTen: 'it is one of the most used passwords',
  topHundred: 'it is a very frequently used password',
  common: 'it is a commonly used password',
  similarToCommon: 'it is similar to a commonly used password',
  wordByItself: 'single words are easy to guess',
  namesByThemselves: 'single names or surnames are easy to guess',
  commonNames: 'common names and surnames are easy to guess',
  userInputs: 'it contains your username, name or estate, which others know',
  pwned: 'it was exposed in a data breach',
};

const tpw = dictionary<PasswordKey>(zh, en);

/** The sentence for a WEAK_PASSWORD answer; an unknown or missing warning gets the general reason. */
export function weakPasswordText(body: unknown): string {
  const warning = (body as { warning?: unknown } | undefined)?.warning;
  const known = typeof warning === 'string' && warning in zh && warning !== 'weak' && warning !== 'generic';
  const reason = known ? tpw(warning as PasswordKey) : tpw('generic');
  return tpw('weak', { reason });
}
