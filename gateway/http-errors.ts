import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** docs/architecture.md, "Gateway HTTP API": every error is `{ error: { code, message } }`. */
export interface ErrorBody {
  error: { code: string; message: string };
}

export function errorBody(code: string, message: string): ErrorBody {
  return { error: { code, message } };
}

/** A request the gateway refuses on purpose; the message is safe to show to the caller. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    /** Headers the answer carries, e.g. `Retry-After` on a 429 or 503. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const badRequest = (message: string) => new ApiError(400, 'invalid_request', message);
