import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TabPort } from '../../background/register/messages';
import type { Sender } from '../../background/senders';
import {
  messagesWith,
  OWN_CONTENT_SCRIPT,
  OWN_PAGE,
} from '../../background/test-support/messaging';
import type { CallerSighting } from '../../shared/call';
import type { PortReply } from '../../shared/tab-port';

type Listener<T> = (value: T) => void;

function event<T>() {
  const listeners: Listener<T>[] = [];
  return {
    addListener: (listener: Listener<T>) => void listeners.push(listener),
    emit: (value: T) => {
      for (const listener of [...listeners]) listener(value);
    },
  };
}

/**
 * The worker's message table (background/register/messages.ts) behind a fake `runtime.connect`:
 * each port is a pair whose messages cross as structured clones, a task later, as a real port's.
 * While `stopBeforeAnswering` is above 0, a request closes its port instead of reaching the table,
 * as a worker stopped mid-request would, and counts it down.
 */
function workerBehindPorts(
  services: Parameters<typeof messagesWith>[0],
  sender: Sender = OWN_CONTENT_SCRIPT,
) {
  const worker = messagesWith(services);
  const control = { connects: 0, stopBeforeAnswering: 0 };
  const runtime = {
    lastError: undefined as { message: string } | undefined,
    connect({ name }: { name: string }) {
      control.connects += 1;
      const toTab = event<unknown>();
      const toWorker = event<unknown>();
      const closed = event<void>();
      let open = true;
      const cross = (to: ReturnType<typeof event<unknown>>, message: unknown) => {
        if (!open) throw new Error('Attempting to use a disconnected port object');
        const copy = structuredClone(message);
        setTimeout(() => open && to.emit(copy), 0);
      };
      const workerSide: TabPort = {
        name,
        sender: sender as chrome.runtime.MessageSender,
        onMessage: toWorker,
        postMessage: (reply: PortReply) => cross(toTab, reply),
      };
      worker.ports.trigger(workerSide);
      return {
        name,
        onMessage: toTab,
        onDisconnect: closed,
        postMessage(message: unknown) {
          if (open && control.stopBeforeAnswering > 0) {
            control.stopBeforeAnswering -= 1;
            setTimeout(() => {
              open = false;
              closed.emit();
            }, 0);
          } else cross(toWorker, message);
        },
      };
    },
  };
  vi.stubGlobal('chrome', { runtime });
  return { control, runtime };
}

const SIGHTING: CallerSighting = {
  raw: '+1 (415) 555-0132',
  state: 'ringing',
  detector: 'amazon-connect',
};

/** The module anew for each test: its port lives as long as the page. */
let sendToBackground: typeof import('./send').sendToBackground;
beforeEach(async () => {
  vi.resetModules();
  ({ sendToBackground } = await import('./send'));
});
afterEach(() => vi.unstubAllGlobals());

describe('sendToBackground, on the frame port', () => {
  it("is answered through the worker's message table, with the port's sender", async () => {
    const reportCaller = vi.fn(async () => ({ accepted: true }));
    const { control } = workerBehindPorts({ callerService: { reportCaller } });
    await expect(sendToBackground('reportCaller', SIGHTING)).resolves.toEqual({ accepted: true });
    await expect(
      sendToBackground('reportCaller', { ...SIGHTING, state: 'connected' }),
    ).resolves.toEqual({ accepted: true });
    expect(reportCaller.mock.calls).toEqual([
      [SIGHTING, 7],
      [{ ...SIGHTING, state: 'connected' }, 7],
    ]);
    // One port for the frame, however many messages.
    expect(control.connects).toBe(1);
  });

  it('gets what the table answers a payload it cannot take', async () => {
    workerBehindPorts({ callerService: {} });
    const answer = await sendToBackground('reportCaller', { raw: '' } as CallerSighting);
    expect(answer).toMatchObject({ accepted: false, error: expect.any(String) });
  });

  it('rejects with the reason the table refused, or the handler failed', async () => {
    workerBehindPorts({}, OWN_PAGE);
    await expect(sendToBackground('reportCaller', SIGHTING)).rejects.toThrow(
      'reportCaller: not from a tab',
    );
    vi.resetModules();
    ({ sendToBackground } = await import('./send'));
    workerBehindPorts({
      callerService: {
        reportCaller: async () => {
          throw new Error('the database is closing');
        },
      },
    });
    await expect(sendToBackground('reportCaller', SIGHTING)).rejects.toThrow(
      'the database is closing',
    );
    await expect(sendToBackground('noSuchMessage' as never, undefined as never)).rejects.toThrow(
      'noSuchMessage: no such message',
    );
  });

  it('sends again, once, on a new port when the worker stops before answering', async () => {
    const reportCaller = vi.fn(async () => ({ accepted: true }));
    const { control } = workerBehindPorts({ callerService: { reportCaller } });
    control.stopBeforeAnswering = 1;
    await expect(sendToBackground('reportCaller', SIGHTING)).resolves.toEqual({ accepted: true });
    expect(control.connects).toBe(2);
    expect(reportCaller).toHaveBeenCalledTimes(1);

    // Stopped again before the second try: the sender hears it.
    control.stopBeforeAnswering = 2;
    await expect(sendToBackground('reportCaller', SIGHTING)).rejects.toThrow(
      'The background stopped before answering',
    );
    expect(reportCaller).toHaveBeenCalledTimes(1);
    // The next message opens a port that works.
    await expect(sendToBackground('reportCaller', SIGHTING)).resolves.toEqual({ accepted: true });
  });

  it('rejects when the extension is gone (reloaded or removed)', async () => {
    const { runtime } = workerBehindPorts({});
    runtime.connect = () => {
      throw new Error('Extension context invalidated.');
    };
    await expect(sendToBackground('reportCaller', SIGHTING)).rejects.toThrow('invalidated');
  });
});
