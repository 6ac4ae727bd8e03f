import { DEMO_IVR_TOKEN, DEMO_MARCO_TOKEN } from '../demo/server';
import type { IvrAnswer } from '../gateway/ivr/ivr-lookup';
import { expect, test } from './fixtures';
import { SoftphonePage } from './pages/softphone.page';

const MARCO = { id: 'emp-17', name: 'Marco Rossi', email: 'marco.rossi@laboutique.example' };

test("the demo agent's extension, signed in as Marco Rossi, reports available and the IVR routes Jane Doe to him", async ({
  extension,
  stack,
  configure,
}) => {
  /** What the contact centre's IVR asks the gateway, with its own key. */
  const ivr = async (waitedSeconds = 0): Promise<IvrAnswer> => {
    const query = new URLSearchParams({ ani: '+442079460123' });
    if (waitedSeconds) query.set('waitedSeconds', String(waitedSeconds));
    const res = await fetch(`${stack.gateway.url}/v1/ivr/lookup?${query}`, {
      headers: { Authorization: `Bearer ${DEMO_IVR_TOKEN}` },
    });
    expect(res.status).toBe(200);
    return (await res.json()) as IvrAnswer;
  };

  // Other tests on this worker's gateway may have left Marco on a call (presence lasts 90 s):
  // he signs off first, as at the end of a shift.
  const signOff = await fetch(`${stack.gateway.url}/v1/presence`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${DEMO_MARCO_TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ state: 'offline' }),
  });
  expect(signOff.status).toBeLessThan(300);

  // The shared demo token names no agent: nobody is Jane's manager on line yet.
  expect((await ivr()).route).toEqual({
    to: 'queue',
    queue: 'general',
    reason: 'own_manager_unavailable',
  });

  // The agent signs in as Marco: his extension tells the gateway he is available.
  await configure({ gatewayToken: DEMO_MARCO_TOKEN });
  await expect
    .poll(async () => (await ivr()).route, { timeout: 15_000 })
    .toEqual({ to: 'agent', agent: MARCO, reason: 'own_manager' });

  // Jane calls: the IVR greets her, names her case and routes her to Marco, then his phone rings.
  const softphone = new SoftphonePage(await extension.context.newPage(), stack.demo.url);
  await softphone.goto();
  await softphone.ringAs('Jane Doe');
  const panel = softphone.page.getByRole('region', { name: 'IVR' });
  await expect(panel).toContainText(
    'Hello Jane. Are you calling about your case CAS-1042, Espresso Pro arrived with a cracked drip tray?',
  );
  await expect(panel).toContainText("Routed to Marco Rossi, Jane's own manager, who is available.");
  await expect(softphone.callPanel).toHaveAttribute('data-call-state', 'ringing');

  // On that call his extension reports him busy: the next caller holds, then overflows.
  await expect
    .poll(async () => (await ivr()).route.reason, { timeout: 15_000 })
    .toBe('own_manager_busy');
  expect((await ivr(75)).route).toEqual({ to: 'queue', queue: 'overflow', reason: 'overflow' });
});

test("the demo softphone's scripted ring asks the IVR beside it, unless the call comes from an IVR elsewhere", async ({
  extension,
  stack,
}) => {
  const softphone = new SoftphonePage(await extension.context.newPage(), stack.demo.url);
  await softphone.goto();
  const asked: string[] = [];
  softphone.page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/ivr/lookup') asked.push(request.url());
  });
  const panel = softphone.page.getByRole('region', { name: 'IVR' });

  // As the benchmarks ring: the IVR asked before, elsewhere; the page asks nothing.
  await softphone.page.evaluate(() => window.softphone.ring('+44 20 7946 0123', { ivr: false }));
  await expect(softphone.callPanel).toHaveAttribute('data-call-state', 'ringing');
  await softphone.hangUp();
  // The ring is over and any request it made went out before the hang-up's render.
  await expect(softphone.callPanel).toHaveAttribute('data-call-state', /ended|idle/);
  expect(asked).toEqual([]);
  await expect(panel).toHaveCount(0);

  // By default the IVR panel asks beside the ring and shows the answer.
  await softphone.page.evaluate(() => window.softphone.ring('+44 20 7946 0123'));
  await expect(panel).toContainText('Hello Jane.');
  expect(asked).toHaveLength(1);

  // An earlier caller's IVR answer does not stay on screen for the next call.
  await softphone.hangUp();
  await softphone.page.evaluate(() => window.softphone.ring('+34 612 34 56 78', { ivr: false }));
  await expect(softphone.callPanel).toHaveAttribute('data-call-state', 'ringing');
  await expect(panel).toHaveCount(0);
  expect(asked).toHaveLength(1);
});
