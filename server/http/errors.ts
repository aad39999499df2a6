/**
 * HTTP errors with a stable code and a message that says what to do next.
 * 5xx answers hide internals; the log keeps them.
 */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new HttpError(404, 'NOT_FOUND', `${what} not found`);
export const conflict = (what: string) => new HttpError(409, 'CONFLICT', `${what} already exists`);
export const unauthorized = (message = 'log in first: POST /api/auth/login') => new HttpError(401, 'UNAUTHORIZED', message);
export const forbidden = (message: string) => new HttpError(403, 'FORBIDDEN', message);
export const badRequest = (message: string) => new HttpError(400, 'BAD_REQUEST', message);
