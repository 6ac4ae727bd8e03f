import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AfterCallEvent } from '../../shared/after-call';

/** The sinks' documented examples, each naming its vendor source. */
export const SINK_FIXTURES = join(import.meta.dirname, '..', 'sinks', 'fixtures');

/** A documented request example of a sink's platform, from `gateway/sinks/fixtures/`. */
export function sinkFixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(SINK_FIXTURES, name), 'utf8')) as Record<string, unknown>;
}

/** The after-call event the sink tests deliver: an answered call, logged with notes. */
export const LOGGED_CALL: AfterCallEvent = {
  id: '3b241101-e2bb-4255-8caf-4136c566a962',
  type: 'call.logged',
  callId: 'call-1',
  identity: { namespace: 'phone', value: '+442079460123' },
  rawNumber: '+44 20 7946 0123',
  profile: { id: 'cust-1001', source: 'unomi', name: 'Jane Doe' },
  disposition: { code: 'resolved', label: 'Resolved' },
  notes: 'Replacement drip tray sent.',
  ringingAt: '2025-03-01T10:00:00.000Z',
  connectedAt: '2025-03-01T10:00:05.000Z',
  endedAt: '2025-03-01T10:04:05.000Z',
  talkSeconds: 240,
  loggedAt: '2025-03-01T10:05:00.000Z',
};

/**
 * Where our request differs in shape from the documented example: every key of the example must
 * be in ours with the same JSON type, recursively (an array by its first item). `freeForm` keys
 * hold maps of our own (properties, traits) whose keys need not repeat the example's; `skip`
 * names the example's keys we do not send.
 */
export function exampleShapeProblems(
  documented: unknown,
  ours: unknown,
  rules: { freeForm: readonly string[]; skip: (key: string) => boolean },
  at = '',
): string[] {
  const kind = (v: unknown) => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);
  if (kind(documented) !== kind(ours))
    return [`${at || '/'}: ${kind(ours)}, documented ${kind(documented)}`];
  if (Array.isArray(documented))
    return documented[0] === undefined
      ? []
      : exampleShapeProblems(documented[0], (ours as unknown[])[0], rules, `${at}/0`);
  if (kind(documented) !== 'object') return [];
  return Object.entries(documented as Record<string, unknown>).flatMap(([key, value]) => {
    if (rules.skip(key)) return [];
    const mine = (ours as Record<string, unknown>)[key];
    if (mine === undefined) return [`${at}/${key}: missing`];
    if (rules.freeForm.includes(key)) return [];
    return exampleShapeProblems(value, mine, rules, `${at}/${key}`);
  });
}
