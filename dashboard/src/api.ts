import type { DeviceItem, Estate, Items, LoginAnswer, User } from './types.js';

/**
 * A failed call. `status` 0 means the server was not reached. The server's
 * `{code, message}` are kept for the detail line; what the person reads comes
 * from the dictionary (see views/errors.ts).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The whole answer, for errors that carry more than a message (the CSV import's row errors). */
    readonly body?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const TIMEOUT_MS = 15_000; // a weak estate Wi-Fi link can be slow, but a spinner forever helps nobody

export class Api {
  /** Called on any 401 from an authenticated call: the session is gone. */
  onUnauthorized: () => void = () => {};

  constructor(private token: string | undefined = undefined) {}

  setToken(token: string | undefined): void {
    this.token = token;
  }

  login(username: string, password: string): Promise<LoginAnswer> {
    return this.request('POST', '/api/auth/login', { username, password }, false);
  }

  me(): Promise<User> {
    return this.request('GET', '/api/auth/me');
  }

  changePassword(oldPassword: string, newPassword: string): Promise<{ ok: true }> {
    // A 401 here can mean "wrong old password": the caller decides, not onUnauthorized.
    return this.request('POST', '/api/auth/password', { oldPassword, newPassword }, false);
  }

  /** Revokes the token on the server (a shared guard-room PC); the caller forgets it either way. */
  logout(): Promise<{ ok: true }> {
    return this.request('POST', '/api/auth/logout', {}, false);
  }

  estates(): Promise<Items<Estate>> {
    return this.request('GET', '/api/estates');
  }

  devices(estateId: string): Promise<Items<DeviceItem>> {
    return this.request('GET', `/api/estates/${encodeURIComponent(estateId)}/devices`);
  }

  /** Any authenticated call; the domain clients (api-*.ts) are built on it. */
  call<T>(method: string, path: string, body?: unknown): Promise<T> {
    return this.request(method, path, body);
  }

  /** Sends a file as it is (a CSV spreadsheet), not as JSON. */
  upload<T>(path: string, file: Blob, contentType: string): Promise<T> {
    return this.request('POST', path, undefined, true, { file, contentType });
  }

  /** A file the server makes (a CSV statement), as it is: fetched with the token, which a plain link could not send. */
  async download(path: string): Promise<Blob> {
    return (await this.send('GET', path, { accept: '*/*' })).blob();
  }

  private async request<T>(method: string, path: string, body?: unknown, reportUnauthorized = true, raw?: { file: Blob; contentType: string }): Promise<T> {
    const res = await this.send(method, path, { body, reportUnauthorized, raw });
    return (await res.json().catch(() => undefined)) as T;
  }

  /** The response of a call that succeeded; any other becomes an ApiError. */
  private async send(method: string, path: string, o: { body?: unknown; reportUnauthorized?: boolean; raw?: { file: Blob; contentType: string }; accept?: string }): Promise<Response> {
    const { body, raw } = o;
    const headers: Record<string, string> = { accept: o.accept ?? 'application/json' };
    if (raw) headers['content-type'] = raw.contentType;
    else if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    let res: Response;
    try {
      res = await fetch(path, {
        method,
        headers,
        body: raw ? raw.file : body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (err) {
      throw new ApiError(0, 'NETWORK', (err as Error).message);
    }
    if (res.ok) return res;
    const data = (await res.json().catch(() => undefined)) as { code?: string; message?: string } | undefined;
    if (res.status === 401 && o.reportUnauthorized !== false) this.onUnauthorized();
    throw new ApiError(res.status, data?.code ?? `HTTP_${res.status}`, data?.message ?? res.statusText, data);
  }
}
