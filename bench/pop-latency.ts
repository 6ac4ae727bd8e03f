import type { Frame, Page } from '@playwright/test';
import { DEFAULT_RATE_LIMITS } from '../background/tab-rate-limit';
import type { ExtensionBrowser } from '../demo/chromium';
import { CALLER_SHOWN_MARK } from '../widget/caller-card.component';
import { type Summary, summarize } from './stats';

/** Seeded callers with one match each, rung in turn so every call is a new session. */
const CALLERS = ['+44 20 7946 0123', '+34 612 34 56 78', '+1 415-555-0132', '+33 6 12 34 56 78'];

export interface PopLatency {
  warm: Summary;
  cold: Summary;
  /**
   * Warm, with the demo softphone's IVR panel asking the gateway about the caller at the very
   * moment of the ring, gateway and all on this machine (see `IVR_ELSEWHERE`).
   */
  warmIvrBeside: Summary;
}

/**
 * The measured calls come as from an IVR that asked about the caller before the agent's phone
 * rang, on the contact centre's side (README, "IVR"): a deployment's IVR and gateway do not run
 * on the agent's machine. The demo softphone otherwise asks beside the ring, and here its lookup
 * (the gateway's, in this process) would share this machine's two cores with the screen pop in
 * the very milliseconds measured: `warmIvrBeside` measures that case. bench/warm-screen.ts
 * measures what an IVR lookup before the ring brings.
 */
export const IVR_ELSEWHERE = { ivr: false } as const;

/**
 * Screen-pop latency: from the number appearing in the softphone's DOM to the caller's name
 * rendered in the CRM tab's sidebar. Both ends read the same clock
 * (`performance.timeOrigin + performance.now()`): the softphone page when it inserts the number,
 * the sidebar through the User Timing mark its caller card sets once the name is rendered.
 */
export async function measurePopLatency(
  browser: ExtensionBrowser,
  softphone: Page,
  sidebar: Frame,
  calls: number,
): Promise<PopLatency> {
  // A tab may start only so many calls a minute (the per-tab budget): after that many, the next
  // calls ring in a fresh softphone tab, as a new page would, rather than being refused.
  let phone = softphone;
  let callsHere = 0;
  const ready = async (): Promise<Page> => {
    if (callsHere < DEFAULT_RATE_LIMITS.newCalls) return phone;
    const fresh = await phone.context().newPage();
    await fresh.goto(phone.url());
    await fresh.waitForFunction(() => typeof window.softphone?.ring === 'function');
    // Give the detector script (document_idle) time to start before anything counts.
    await fresh.waitForTimeout(300);
    if (phone !== softphone) await phone.close();
    phone = fresh;
    callsHere = 0;
    return phone;
  };
  const call = async (number: string, ivrBeside = false): Promise<number> => {
    const page = await ready();
    callsHere += 1;
    const ms = await oneCall(page, sidebar, number, ivrBeside);
    await page.evaluate(() => window.softphone.hangUp());
    return ms;
  };
  const run = async (cold: boolean, ivrBeside = false) => {
    const sample: number[] = [];
    for (let i = 0; i < calls; i++) {
      await ready();
      if (cold) {
        await browser.stopServiceWorker();
        // Let Chrome finish tearing the worker down before the next event starts a new one.
        await phone.waitForTimeout(150);
      }
      sample.push(await call(CALLERS[i % CALLERS.length] as string, ivrBeside));
      await phone.waitForTimeout(100);
    }
    return summarize(sample);
  };
  // One call first, unmeasured: the first render also compiles the sidebar's code paths.
  await call(CALLERS[0] as string);
  const warm = await run(false);
  const cold = await run(true);
  return { warm, cold, warmIvrBeside: await run(false, true) };
}

async function oneCall(
  softphone: Page,
  sidebar: Frame,
  number: string,
  ivrBeside: boolean,
): Promise<number> {
  const marksBefore = await callerShownMarks(sidebar);
  const rang = await softphone.evaluate(
    ([n, options]) => {
      const at = performance.timeOrigin + performance.now();
      window.softphone.ring(n, options);
      return at;
    },
    [number, ivrBeside ? undefined : IVR_ELSEWHERE] as const,
  );
  return (await callerShownAfter(sidebar, marksBefore, rang)) - rang;
}

/** How many caller-shown marks the sidebar has made so far (count them before a ring). */
export function callerShownMarks(sidebar: Frame): Promise<number> {
  return sidebar.evaluate((mark) => performance.getEntriesByName(mark).length, CALLER_SHOWN_MARK);
}

/**
 * When the sidebar rendered the caller after `rang` (epoch ms): the first caller-shown mark past
 * the `before` already made, no earlier than the ring.
 */
export async function callerShownAfter(
  sidebar: Frame,
  before: number,
  rang: number,
): Promise<number> {
  const shown = await sidebar.waitForFunction(
    ([mark, count, after]) => {
      const entry = performance
        .getEntriesByName(mark)
        .slice(count)
        .find((e) => performance.timeOrigin + e.startTime >= after);
      return entry ? performance.timeOrigin + entry.startTime : null;
    },
    [CALLER_SHOWN_MARK, before, rang] as const,
    { timeout: 10_000 },
  );
  return (await shown.jsonValue()) as number;
}
