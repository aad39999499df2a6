import type { Api } from './api.js';
import type { Items, Role } from './types.js';

/** GET /api/users: a person whose login the committee manages. */
export interface Person {
  username: string;
  role: Role;
  displayName: string;
  /** null: the install's own people, of every estate. */
  estateId: string | null;
  disabled: boolean;
}

/** People's logins (server/http/routes/auth.ts), the committee's; paths built here only. */
export const peopleApi = (api: Api) => ({
  list: () => api.call<Items<Person>>('GET', '/api/users'),
  /** The server's default stands: the password is changed at first sign-in. */
  add: (p: { username: string; password: string; role: Role; displayName?: string; estateId?: string }) => api.call('POST', '/api/users', p),
  /** `reset-password` answers `{oneTimePassword}`; `disable` and `enable` switch the login. */
  act: (username: string, verb: 'reset-password' | 'disable' | 'enable') => api.call<{ oneTimePassword: string }>('POST', `/api/users/${encodeURIComponent(username)}/${verb}`),
});
