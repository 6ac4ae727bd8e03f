/** The parts of `chrome.alarms` the outbox needs, so tests can hand in a fake. */
export interface AlarmsApi {
  create(name: string, info: { when: number }): Promise<unknown>;
  clear(name: string): Promise<unknown>;
}

export const OUTBOX_ALARM = 'outbox';

/**
 * Wakes the outbox at a time: a timer while this worker lives (alarms fire at most every 30 s in
 * packed extensions: https://developer.chrome.com/docs/extensions/reference/api/alarms), and an
 * alarm that restarts a stopped worker, so a retry is never forgotten.
 */
export function createOutboxWaker(deps: {
  alarms: AlarmsApi;
  drain: () => void;
  now?: () => number;
  setTimer?: (run: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}) {
  const now = deps.now ?? Date.now;
  const setTimer = deps.setTimer ?? ((run, ms) => setTimeout(run, ms));
  const clearTimer =
    deps.clearTimer ?? ((timer) => clearTimeout(timer as ReturnType<typeof setTimeout>));
  // A timer is only a shortcut; the alarm is the record that survives the worker.
  let timer: unknown;
  return (at: number | null): void => {
    if (timer !== undefined) clearTimer(timer);
    timer = undefined;
    if (at === null) {
      void deps.alarms.clear(OUTBOX_ALARM);
      return;
    }
    const delay = Math.max(0, at - now());
    timer = setTimer(() => {
      timer = undefined;
      deps.drain();
    }, delay);
    void deps.alarms.create(OUTBOX_ALARM, { when: Math.max(at, now() + 1000) });
  };
}
