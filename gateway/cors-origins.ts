/**
 * Extension pages (the sidebar, the background worker) call the gateway from their own origin:
 * Chrome and Edge use a 32-letter id (a-p), Firefox a per-install UUID.
 */
const EXTENSION_ORIGIN = /^(?:chrome-extension:\/\/[a-p]{32}|moz-extension:\/\/[0-9a-f-]{36})$/;

/** The `origin` function for hono/cors: the request's origin if allowed, else none. */
export function allowedOrigin(extraOrigins: readonly string[]) {
  const extra = new Set(extraOrigins);
  return (origin: string): string | null =>
    EXTENSION_ORIGIN.test(origin) || extra.has(origin) ? origin : null;
}
