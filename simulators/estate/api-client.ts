/**
 * The few calls of the Linli HTTP API (server/README.md) that provisioning, the
 * demo and the simulator tests make. Plain fetch: simulators never import server/.
 */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

export interface Answer<T = unknown> {
  status: number;
  body: T;
}

export class LinliApi {
  private constructor(readonly baseUrl: string, private readonly token: string) {}

  static async login(baseUrl: string, username: string, password: string): Promise<LinliApi> {
    const res = await call<{ token: string }>(baseUrl, 'POST', '/api/auth/login', undefined, { username, password });
    if (res.status !== 200) throw toError(res, `login as ${username}`);
    return new LinliApi(baseUrl.replace(/\/$/, ''), res.body.token);
  }

  get bearer(): string {
    return this.token;
  }

  /** Any call; the answer comes back whatever its status, for callers that expect 409 and the like. */
  request<T = unknown>(method: string, path: string, body?: unknown): Promise<Answer<T>> {
    return call<T>(this.baseUrl, method, path, this.token, body);
  }

  /** Sends a file as it is (e.g. a CSV spreadsheet with `text/csv`). */
  upload<T = unknown>(method: string, path: string, text: string, contentType: string): Promise<Answer<T>> {
    return call<T>(this.baseUrl, method, path, this.token, undefined, { text, contentType });
  }

  /** Like `request`, but anything other than `expected` is an ApiError. */
  async expect<T = unknown>(expected: number[], method: string, path: string, body?: unknown): Promise<Answer<T>> {
    const res = await this.request<T>(method, path, body);
    if (!expected.includes(res.status)) throw toError(res, `${method} ${path}`);
    return res;
  }
}

async function call<T>(baseUrl: string, method: string, path: string, token?: string, body?: unknown, file?: { text: string; contentType: string }): Promise<Answer<T>> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  let payload: string | undefined;
  if (file) {
    headers['content-type'] = file.contentType;
    payload = file.text;
  } else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const res = await fetch(baseUrl.replace(/\/$/, '') + path, { method, headers, ...(payload !== undefined ? { body: payload } : {}) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text for the error message
  }
  return { status: res.status, body: parsed as T };
}

function toError(res: Answer, what: string): ApiError {
  const b = (res.body ?? {}) as { code?: string; message?: string };
  const detail = b.message ?? (typeof res.body === 'string' ? res.body.slice(0, 200) : '');
  return new ApiError(res.status, b.code ?? `HTTP_${res.status}`, `${what}: HTTP ${res.status} ${b.code ?? ''} ${detail}`.trim());
}
