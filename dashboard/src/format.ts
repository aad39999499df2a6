import { lang, t, type MessageKey } from './i18n.js';

/** Money is integer fen everywhere in the API: 600 → "¥6", 650 → "¥6.50" (as the gate's LED says it). */
export function yuan(fen: number): string {
  return fen % 100 === 0 ? `¥${fen / 100}` : `¥${(fen / 100).toFixed(2)}`;
}

/**
 * An amount typed in yuan as people write it → fen: "20", "20.5", "20.50",
 * "350,000" (a separator before three digits is dropped; "1,50" is refused, not
 * read as ¥150). Anything else, or 0, is not an amount. `maxYuanDigits` bounds
 * the whole yuan: 6 for a top-up, 8 for an elevator's build cost.
 */
export function fenOf(text: string, maxYuanDigits = 6): number | undefined {
  const m = new RegExp(`^(\\d{1,${maxYuanDigits}})(?:\\.(\\d{1,2}))?$`).exec(text.replace(/\s/g, '').replace(/[,，](?=\d{3}(?!\d))/g, ''));
  if (!m) return undefined;
  const fen = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return fen > 0 ? fen : undefined;
}

/** Energy in Wh as kWh, at most two decimals: 500 → "0.5", 1520 → "1.52". */
export function kwh(wh: number): string {
  return String(Math.round(wh / 10) / 100);
}

/** "10-18 14:05": short enough for a phone row; the year only when it is not this one. */
export function shortTime(iso: string): string {
  const d = new Date(iso);
  const sameYear = d.getFullYear() === new Date().getFullYear();
  return d.toLocaleString(lang() === 'zh' ? 'zh-CN' : 'en-GB', {
    ...(sameYear ? {} : { year: 'numeric' }),
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  });
}

/** The local calendar day of an ISO time, "2026-10-18". */
export function day(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** For `<input type="datetime-local">`: local time, minutes only. */
export function localInput(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

/** A label whose key may not exist (a vehicle class a newer server added): the code itself then. */
export function labelOr(prefix: string, code: string): string {
  const key = `${prefix}.${code}` as MessageKey;
  const text = t(key);
  return text === undefined ? code : text;
}

export const classLabel = (c: string | undefined): string => (c ? labelOr('class', c) : '');
export const clauseLabel = (c: string): string => t('clause', { c });
