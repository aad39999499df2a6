import { ApiError } from '../api.js';
import { t, type MessageKey } from '../i18n.js';

/**
 * What went wrong, as a dictionary key, so the message follows a language
 * switch. The server's own message (English, names the field) is only a detail.
 */
export interface Problem {
  key: MessageKey;
  params?: Record<string, string | number>;
}

export function describe(problem: Problem | undefined): string {
  return problem ? t(problem.key, problem.params) : '';
}

export function problemOf(err: unknown): Problem {
  if (!(err instanceof ApiError)) return { key: 'err.generic', params: { detail: String((err as Error)?.message ?? err) } };
  if (err.status === 0) return { key: 'err.network' };
  if (err.status === 401) return { key: 'err.sessionExpired' };
  if (err.status === 403) return { key: 'err.forbidden' };
  if (err.status === 404) return { key: 'err.notFound' };
  if (err.status === 429) return { key: 'err.tooMany' };
  if (err.status >= 500) return { key: 'err.server' };
  return { key: 'err.generic', params: { detail: err.message } };
}
