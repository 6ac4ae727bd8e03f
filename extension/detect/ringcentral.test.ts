// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { readEmbeddableMessage, ringcentral } from './ringcentral';

// The web app's announced call is read as the others are (announced-detectors.test.ts).
describe('RingCentral Embeddable messages', () => {
  const message = (telephonyStatus: string, direction = 'Inbound') => ({
    type: 'rc-active-call-notify',
    call: {
      direction,
      telephonyStatus,
      from: { phoneNumber: '+14155550132' },
      to: { phoneNumber: '+14155550100' },
      telephonySessionId: 's-1234',
    },
  });

  it.each([
    ['Ringing', 'ringing'],
    ['CallConnected', 'connected'],
    ['NoCall', 'ended'],
  ] as const)('reads %s as %s', (status, state) => {
    expect(readEmbeddableMessage(message(status))).toEqual({
      raw: '+14155550132',
      state,
      callId: 's-1234',
    });
  });

  it('ignores outbound calls and anything else a page posts', () => {
    expect(readEmbeddableMessage(message('Ringing', 'Outbound'))).toBeNull();
    expect(readEmbeddableMessage({ type: 'rc-login-status-notify', loggedIn: true })).toBeNull();
    expect(readEmbeddableMessage('rc-active-call-notify')).toBeNull();
    expect(readEmbeddableMessage(null)).toBeNull();
    expect(
      readEmbeddableMessage({ type: 'rc-active-call-notify', call: { direction: 'Inbound' } }),
    ).toBeNull();
  });

  it('tells the watcher to read again when the widget announces a call, until aborted', () => {
    const page = document.implementation.createHTMLDocument('CRM');
    let changes = 0;
    const controller = new AbortController();
    ringcentral.listen?.(window, () => (changes += 1), controller.signal);
    window.dispatchEvent(fromWidget(message('Ringing')));
    expect(changes).toBe(1);
    expect(ringcentral.read(document)).toEqual({
      raw: '+14155550132',
      state: 'ringing',
      callId: 's-1234',
    });
    window.dispatchEvent(fromWidget(message('NoCall')));
    expect(ringcentral.read(document)).toBeNull();
    controller.abort();
    window.dispatchEvent(fromWidget(message('Ringing')));
    expect(changes).toBe(2);
    expect(ringcentral.read(page)).toBeNull();
  });

  it("hears the widget's own frame only: not the page, not another origin", () => {
    let changes = 0;
    const controller = new AbortController();
    ringcentral.listen?.(window, () => (changes += 1), controller.signal);
    // A page (or a script on it) posting to itself a call of its choosing.
    window.dispatchEvent(
      new MessageEvent('message', {
        data: message('Ringing'),
        origin: 'https://apps.ringcentral.com',
        source: window,
      }),
    );
    // Another site's frame imitating the widget's message.
    window.dispatchEvent(
      new MessageEvent('message', {
        data: message('Ringing'),
        origin: 'https://ringcentral.example.net',
        source: frameWindow(),
      }),
    );
    expect(changes).toBe(0);
    window.dispatchEvent(fromWidget(message('Ringing')));
    expect(changes).toBe(1);
    controller.abort();
  });
});

/**
 * Stands for the widget frame's window as a message's `source`: anything but the page's own
 * window (happy-dom loads no frames, so a frame's window cannot be had here).
 */
function frameWindow(): MessagePort {
  return new MessageChannel().port1;
}

/** What RingCentral Embeddable's own frame posts to the page that embeds it. */
function fromWidget(data: unknown): MessageEvent {
  return new MessageEvent('message', {
    data,
    origin: 'https://apps.ringcentral.com',
    source: frameWindow(),
  });
}
