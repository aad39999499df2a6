/**
 * The language on this phone and the words of one dictionary, without the
 * dictionaries themselves: the public shed page (src/shed/) uses this alone, so
 * a phone at the shed never downloads the signed-in dashboard's words. Chinese
 * is the default; English is a switch remembered in localStorage.
 */
export type Lang = 'zh' | 'en';

const STORAGE_KEY = 'linli.lang';
const HTML_LANG: Record<Lang, string> = { zh: 'zh-CN', en: 'en' };

let current: Lang = readStoredLang();
const listeners = new Set<() => void>();

function readStoredLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh'; // storage can be off in private modes; Chinese is the default anyway
  }
}

export function lang(): Lang {
  return current;
}

/** The `lang` attribute for a language: `zh-CN` or `en`. */
export function htmlLang(of: Lang = current): string {
  return HTML_LANG[of];
}

export function setLang(next: Lang): void {
  current = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    /* not remembered, still switched */
  }
  document.documentElement.lang = HTML_LANG[next];
  for (const listener of [...listeners]) listener();
}

export function onLangChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** `'空闲 {n} 个'` with `{n: 3}` → `'空闲 3 个'`; an unknown `{name}` stays as it is. */
export function fill(text: string, params?: Record<string, string | number>): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** A `t()` over one zh/en pair of dictionaries, for words that load with their page rather than up front. */
export function dictionary<K extends string>(zh: Record<K, string>, en: Record<K, string>): (key: K, params?: Record<string, string | number>) => string {
  return (key, params) => fill((current === 'zh' ? zh : en)[key], params);
}
