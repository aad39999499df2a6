import { createRequire } from 'node:module';
import type { OptionsType, TranslationKeys, ZxcvbnFactory } from '@zxcvbn-ts/core';
import { ZH_PASSWORDS, ZH_SURNAMES } from './password-words-zh.js';

/**
 * Refuses passwords a guesser tries early: the common ones (`12345678`,
 * `password`, `admin123`), repeats and keyboard rows, and ones built from what
 * an attacker knows about the account (its username, name, the estate, Linli).
 * The estimate is zxcvbn's (@zxcvbn-ts, with its common and English lists, and
 * the Chinese favourites those miss: password-words-zh.ts).
 *
 * The bar is score 3 of 4, i.e. an estimated 10^8 guesses or more. Online
 * guessing is already throttled (5 tries per username and address per 15
 * minutes), so what a password must withstand is an offline attack on a copied
 * database of scrypt hashes, and zxcvbn's score 3 is the level its authors give
 * for "moderate protection from an offline slow-hash scenario". Score 4 would
 * also refuse memorable phrases a guard can type on a phone.
 */
export const MIN_SCORE = 3;

/** Words anyone guessing at a Linli install would try, besides the account's own. */
const SITE_WORDS = ['linli', '邻里', 'xiaoqu', '小区', 'estate'];

/** The install's first account (sessions.ts bootstrap), whose password LINLI_ADMIN_PASSWORD sets. */
export const FIRST_ADMIN = { username: 'admin', displayName: '管理员' } as const;

/** What is known about the account whose password this is: a guesser tries these first. */
export interface PasswordContext {
  username: string;
  displayName?: string;
  estateId?: string | null;
  estateName?: string;
}

type Warning = keyof TranslationKeys['warnings'];
type Suggestion = keyof TranslationKeys['suggestions'];

export interface WeakPassword {
  /** zxcvbn's score, 0–4; below MIN_SCORE. */
  score: number;
  /** Why it is weak, as a zxcvbn key (`commonlyUsed` …); null when no one pattern stands out. */
  warning: Warning | null;
  suggestions: Suggestion[];
}

const ZH: Pick<TranslationKeys, 'warnings' | 'suggestions'> = {
  warnings: {
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
  },
  suggestions: {
    l33t: '不要用“@”代替“a”这类容易想到的替换',
    reverseWords: '不要把常见的词倒过来写',
    allUppercase: '只大写部分字母，不要全部大写',
    capitalization: '不要只大写第一个字母',
    dates: '不要用和你有关的日期、年份',
    recentYears: '不要用近些年的年份',
    associatedYears: '不要用和你有关的年份',
    sequences: '不要用连续的字符',
    repeated: '不要重复同一个词或字符',
    longerKeyboardPattern: '键盘图案要更长，并多次改变方向',
    anotherWord: '再加几个不常见的词',
    useWords: '用几个词组合，但不要用常见的短语',
    noNeed: '不一定要用符号、数字或大写字母',
    pwned: '如果别处也用了这个密码，那里也要改',
  },
};

/** How to make a good one, after the reason. */
const HINT_ZH = '建议用三四个不相关的词加几位数字（例如“晴川-台灯-47-码头”），不要用用户名、姓名、小区名、生日或连续的数字字母';
const HINT_EN = 'use three or four unrelated words and a few digits (e.g. “river-lamp-47-quay”), not your username, name, estate, a birthday or a run of keys';

/** Only this many characters are estimated: a password whose first 64 are strong is strong. */
const MAX_ESTIMATED_LENGTH = 64;

let factory: ZxcvbnFactory | undefined;
let english: TranslationKeys | undefined;

/**
 * The dictionaries (≈ 0.4 s to load, ≈ 0.3 s to index) are loaded once, on the
 * first check, not at import: a server that never sets a password never pays.
 */
function estimator(): ZxcvbnFactory {
  if (factory) return factory;
  const require = createRequire(import.meta.url);
  const core = require('@zxcvbn-ts/core') as typeof import('@zxcvbn-ts/core');
  const common = require('@zxcvbn-ts/language-common') as typeof import('@zxcvbn-ts/language-common');
  const en = require('@zxcvbn-ts/language-en') as typeof import('@zxcvbn-ts/language-en');
  english = en.translations as TranslationKeys;
  // Feedback comes back as its keys; the texts are ours (Chinese) or the English package's.
  const keysOf = <T extends object>(table: T) => Object.fromEntries(Object.keys(table).map((k) => [k, k])) as T;
  const options: OptionsType = {
    dictionary: { ...common.dictionary, ...en.dictionary, 'linli-zh-passwords': ZH_PASSWORDS, 'linli-zh-names': ZH_SURNAMES },
    graphs: common.adjacencyGraphs,
    translations: { warnings: keysOf(english.warnings), suggestions: keysOf(english.suggestions), timeEstimation: english.timeEstimation },
    // The estimate runs on the event loop. With zxcvbn's defaults (100 l33t substitutions, 256
    // characters) one random 128-character password took seconds; 4 substitutions still catch
    // `P@ssw0rd`, and 64 characters are plenty to tell whether a password is strong.
    l33tMaxSubstitutions: 4,
    maxLength: MAX_ESTIMATED_LENGTH,
  };
  factory = new core.ZxcvbnFactory(options);
  return factory;
}

/** The words a guesser knows about this account: whole, and the parts of a username like `guard-li`. */
function userInputs(ctx: PasswordContext): string[] {
  const words = [ctx.username, ...ctx.username.split(/[^\p{L}\p{N}]+/u), ctx.displayName, ctx.estateId, ctx.estateName, ...SITE_WORDS];
  return [...new Set(words.filter((w): w is string => typeof w === 'string' && w.length >= 2).map((w) => w.toLowerCase()))];
}

/**
 * Undefined when the password is strong enough; else why it is not. The
 * account's own words are known to a guesser, so what is left without them
 * must be strong on its own: zxcvbn alone lets `guard-li-password` pass for
 * the user guard-li (its username plus the commonest password).
 */
export function passwordWeakness(password: string, ctx: PasswordContext): WeakPassword | undefined {
  const inputs = userInputs(ctx);
  const whole = estimator().check(password, inputs);
  const own = inputs.filter((w) => w.length >= 3).sort((a, b) => b.length - a.length);
  let rest = password.toLowerCase();
  for (const w of own) rest = rest.split(w).join('');
  const result = rest === password.toLowerCase() || whole.score < MIN_SCORE ? whole : rest ? estimator().check(rest, inputs) : { ...whole, score: 0 as const };
  if (result.score >= MIN_SCORE) return undefined;
  // What is left is weak because the rest is the person's own: say so, whatever zxcvbn said about the rest.
  const warning = result === whole ? whole.feedback.warning : 'userInputs';
  return { score: result.score, warning: (warning || null) as Warning | null, suggestions: result.feedback.suggestions as Suggestion[] };
}

/** `密码太容易被猜到：这是常用密码。再加几个不常见的词。建议用…` — what a person reads. */
export function weaknessZh(w: WeakPassword): string {
  const reason = w.warning ? ZH.warnings[w.warning] : '太短或太有规律';
  const tips = w.suggestions.map((s) => ZH.suggestions[s]).filter(Boolean);
  return `密码太容易被猜到：${reason}。${tips.length ? `${tips.join('；')}。` : ''}${HINT_ZH}（强度 ${w.score}/4，至少要 ${MIN_SCORE}）`;
}

/** The same in English, for the operator's console (a refused LINLI_ADMIN_PASSWORD). */
export function weaknessEn(w: WeakPassword): string {
  estimator();
  const reason = w.warning ? english!.warnings[w.warning] : 'Too short or too regular.';
  const tips = w.suggestions.map((s) => english!.suggestions[s]).filter(Boolean);
  return `too easy to guess (strength ${w.score} of 4, at least ${MIN_SCORE} needed): ${[reason, ...tips].join(' ')} Instead, ${HINT_EN}.`;
}
