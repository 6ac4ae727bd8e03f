import { afterEach, describe, expect, it, vi } from 'vitest';
import { messaging } from '../../shared/protocol';
import { sendToBackground } from './send';

type Listener = (message: unknown, sender: unknown, respond: (reply: unknown) => void) => boolean;

/** A two-sided fake of runtime messaging: what one side sends, the other side's listeners get. */
function fakeRuntime() {
  const listeners: Listener[] = [];
  const runtime = {
    lastError: undefined as { message: string } | undefined,
    onMessage: {
      addListener: (l: Listener) => listeners.push(l),
      removeListener: (l: Listener) => listeners.splice(listeners.indexOf(l), 1),
    },
    sendMessage(message: unknown, respond: (reply: unknown) => void) {
      const sender = { id: 'ext', tab: { id: 3, url: 'https://acme.my.connect.aws/ccp-v2/' } };
      for (const l of listeners) if (l(structuredClone(message), sender, respond)) return;
      respond(undefined);
    },
  };
  vi.stubGlobal('chrome', { runtime });
  return runtime;
}

afterEach(() => {
  messaging.removeAllListeners();
  vi.unstubAllGlobals();
});

describe('sendToBackground', () => {
  it('is answered by the background protocol handlers', async () => {
    fakeRuntime();
    messaging.onMessage('reportCaller', ({ data, sender }) => ({
      accepted: data.raw === '+1 (415) 555-0132' && sender.tab?.id === 3,
    }));
    await expect(
      sendToBackground('reportCaller', {
        raw: '+1 (415) 555-0132',
        state: 'ringing',
        detector: 'amazon-connect',
      }),
    ).resolves.toEqual({ accepted: true });
  });

  it('rejects with the error the handler threw', async () => {
    fakeRuntime();
    messaging.onMessage('detectionRules', () => {
      throw new Error('not from a tab');
    });
    await expect(sendToBackground('detectionRules', undefined)).rejects.toThrow('not from a tab');
  });

  it('rejects when nothing answers or the extension is gone', async () => {
    const runtime = fakeRuntime();
    await expect(sendToBackground('detectionRules', undefined)).rejects.toThrow('No response');
    runtime.lastError = { message: 'Extension context invalidated.' };
    await expect(sendToBackground('detectionRules', undefined)).rejects.toThrow('invalidated');
  });
});
