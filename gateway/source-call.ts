export type SourceOutcome<T> = { ok: true; value: T } | { ok: false; message: string };

const MAX_MESSAGE = 300;

/**
 * Runs one source's call with its own deadline. The abort signal tells a well-behaved source to
 * stop; the race makes sure a source that ignores it still cannot hold the response.
 */
export async function callSource<T>(
  run: (signal: AbortSignal) => Promise<T>,
  timeoutMs: number,
  parent?: AbortSignal,
): Promise<SourceOutcome<T>> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new Error(`timed out after ${timeoutMs} ms`));
  }, timeoutMs);
  const abortFromParent = () => controller.abort(parent?.reason);
  parent?.addEventListener('abort', abortFromParent, { once: true });
  const aborted = new Promise<never>((_, reject) => {
    controller.signal.addEventListener('abort', () => reject(controller.signal.reason), {
      once: true,
    });
  });
  try {
    const value = await Promise.race([
      Promise.resolve().then(() => run(controller.signal)),
      aborted,
    ]);
    return { ok: true, value };
  } catch (error) {
    if (timedOut) return { ok: false, message: `timed out after ${timeoutMs} ms` };
    return { ok: false, message: failureMessage(error) };
  } finally {
    clearTimeout(timer);
    parent?.removeEventListener('abort', abortFromParent);
  }
}

function failureMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (message || 'failed').slice(0, MAX_MESSAGE);
}
