import { describe, expect, it } from 'vitest';
import { parseSighting } from './call';

describe('parseSighting', () => {
  it('accepts a sighting with a platform call id', () => {
    expect(
      parseSighting({
        raw: '+44 20 7946 0123',
        state: 'ringing',
        detector: 'demo-softphone',
        callId: 'call-1',
      }),
    ).toEqual({
      raw: '+44 20 7946 0123',
      state: 'ringing',
      detector: 'demo-softphone',
      callId: 'call-1',
    });
  });

  it.each(['ringing', 'connected', 'ended'])('accepts the state %s', (state) => {
    expect(parseSighting({ raw: '020 7946 0123', state, detector: 'rule:1' })).toEqual({
      raw: '020 7946 0123',
      state,
      detector: 'rule:1',
    });
  });

  it('keeps only the fields it knows', () => {
    const parsed = parseSighting({
      raw: '+44 20 7946 0123',
      state: 'connected',
      detector: 'demo-softphone',
      tabId: 99,
      admin: true,
    });
    expect(parsed).toEqual({
      raw: '+44 20 7946 0123',
      state: 'connected',
      detector: 'demo-softphone',
    });
  });

  it.each<[string, unknown, RegExp]>([
    ['undefined', undefined, /object/],
    ['null', null, /object/],
    ['a string', '+44 20 7946 0123', /object/],
    ['a number raw', { raw: 442079460123, state: 'ringing', detector: 'd' }, /raw/],
    ['an empty raw', { raw: '', state: 'ringing', detector: 'd' }, /raw/],
    ['a raw that is too long', { raw: '1'.repeat(257), state: 'ringing', detector: 'd' }, /raw/],
    ['no state', { raw: '+44', detector: 'd' }, /state/],
    ['an unknown state', { raw: '+44', state: 'on-hold', detector: 'd' }, /state/],
    [
      'a state only the background sets',
      { raw: '+44', state: 'wrapped_up', detector: 'd' },
      /state/,
    ],
    ['a state of the wrong type', { raw: '+44', state: ['ringing'], detector: 'd' }, /state/],
    ['no detector', { raw: '+44', state: 'ringing' }, /detector/],
    [
      'a detector with markup',
      { raw: '+44', state: 'ringing', detector: '<img src=x onerror=alert(1)>' },
      /detector/,
    ],
    [
      'a detector with spaces',
      { raw: '+44', state: 'ringing', detector: 'demo softphone' },
      /detector/,
    ],
    ['a detector with a path', { raw: '+44', state: 'ringing', detector: '../../etc' }, /detector/],
    [
      'a detector that is too long',
      { raw: '+44', state: 'ringing', detector: 'd'.repeat(65) },
      /detector/,
    ],
    ['a detector of the wrong type', { raw: '+44', state: 'ringing', detector: 1 }, /detector/],
    [
      'a call id of the wrong type',
      { raw: '+44', state: 'ringing', detector: 'd', callId: 7 },
      /callId/,
    ],
    [
      'a call id that is too long',
      { raw: '+44', state: 'ringing', detector: 'd', callId: 'c'.repeat(129) },
      /callId/,
    ],
  ])('refuses %s', (_, data, message) => {
    const parsed = parseSighting(data);
    expect(parsed).toBeInstanceOf(Error);
    if (parsed instanceof Error) expect(parsed.message).toMatch(message);
  });

  it('accepts limits exactly', () => {
    const parsed = parseSighting({
      raw: '1'.repeat(256),
      state: 'ended',
      detector: 'd'.repeat(64),
      callId: 'c'.repeat(128),
    });
    expect(parsed).not.toBeInstanceOf(Error);
  });
});
