/**
 * The warm screen (README, "IVR"): ring-to-name in the CRM tab's sidebar when the caller's profile
 * source takes 800 ms, without and with an IVR lookup of the same caller a few seconds before the
 * ring. With it, the gateway answers the agent's lookup from the context the IVR kept in its store.
 *
 * Run alone (builds nothing; uses the extension in .output or WXT_OUT_DIR):
 *   tsx bench/warm-screen.ts
 * `npm run bench` runs it too and adds it to bench/results.json.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import type { Page } from '@playwright/test';
import { DEFAULT_RATE_LIMITS } from '../background/tab-rate-limit';
import { type ExtensionBrowser, launchWithExtension } from '../demo/chromium';
import { startDemoServer } from '../demo/server';
import { DEMO_GATEWAY_CONFIG } from '../demo/stack';
import { sidebarFrame } from '../e2e/pages/crm.page';
import { loadGatewayConfig } from '../gateway/config';
import { silentLogger } from '../gateway/request-log';
import { startGateway } from '../gateway/server';
import { callerShownAfter, callerShownMarks, IVR_ELSEWHERE } from './pop-latency';
import { type Summary, summarize } from './stats';

/** How long the profile source takes to answer (Adobe's profile lookups take hundreds of ms). */
export const SOURCE_DELAY_MS = 800;
/** How long before the ring the IVR looks the caller up ("a few seconds"). */
export const IVR_LEAD_MS = 3000;
const IVR_KEY = 'bench-ivr-key';
const AGENT_TOKEN = 'bench-agent-token';

export interface WarmScreen {
  sourceDelayMs: number;
  ivrLeadMs: number;
  /** Ring to the caller's name in the sidebar, no IVR lookup before (ms). */
  withoutIvr: Summary;
  /** The same, the IVR having looked the caller up `ivrLeadMs` before the ring (ms). */
  afterIvr: Summary;
  /** The IVR's own lookup, source included (ms): its answer within its budget. */
  ivrLookup: Summary;
  /** Requests the slow source got during the rings after an IVR lookup (0: none reached it). */
  sourceRequestsDuringWarmRings: number;
}

/** A customer platform that takes `delayMs` and knows every number as a customer. */
async function slowSource(delayMs: number) {
  let requests = 0;
  const server = createServer((req, res) => {
    requests += 1;
    const phone = new URL(req.url ?? '/', 'http://x').searchParams.get('phone') ?? '';
    setTimeout(() => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify([{ id: `p${phone.slice(1)}`, name: `Caller ${phone.slice(-4)}` }]));
    }, delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export async function measureWarmScreen(samples = 10): Promise<WarmScreen> {
  const source = await slowSource(SOURCE_DELAY_MS);
  const config = await loadGatewayConfig(DEMO_GATEWAY_CONFIG);
  config.auth.tokens = [AGENT_TOKEN];
  config.auth.agents = [];
  config.auth.ivrTokens = [IVR_KEY];
  config.sources = [
    {
      id: 'crm',
      type: 'rest',
      url: `${source.url}/customers?phone={value}`,
      map: { id: 'id', displayName: 'name' },
    },
  ];
  const gateway = await startGateway(config, { port: 0, logger: silentLogger });
  // Only this benchmark asks the IVR: the rings come as from an IVR elsewhere (`IVR_ELSEWHERE`),
  // and the softphone page's own IVR panel has no key should it ask.
  const demo = await startDemoServer({
    gatewayUrl: gateway.url,
    collectToken: 'unused',
    ivrToken: 'no-ivr-in-this-benchmark',
  });
  const browser = await launchWithExtension();
  try {
    await browser.setAgentSettings({ gatewayUrl: gateway.url, gatewayToken: AGENT_TOKEN });
    const crm = await browser.context.newPage();
    await crm.goto(`${demo.url}/crm`);
    const sidebar = await sidebarFrame(crm);
    const phones = new Softphones(browser, `${demo.url}/softphone`);
    let next = 0;
    /** A number no one rang before: neither the extension nor the gateway has it yet. */
    const freshNumber = () => `+44 20 7946 ${String(1000 + next++).padStart(4, '0')}`;

    const ring = async (number: string): Promise<number> => {
      const page = await phones.ready();
      const before = await callerShownMarks(sidebar);
      const rang = await page.evaluate(
        ([n, options]) => {
          const at = performance.timeOrigin + performance.now();
          window.softphone.ring(n, options);
          return at;
        },
        [number, IVR_ELSEWHERE] as const,
      );
      const ms = (await callerShownAfter(sidebar, before, rang)) - rang;
      await page.evaluate(() => window.softphone.hangUp());
      await page.waitForTimeout(200);
      return ms;
    };
    const askIvr = async (number: string): Promise<number> => {
      const started = performance.now();
      const res = await fetch(
        `${gateway.url}/v1/ivr/lookup?ani=${encodeURIComponent(number.replace(/\s/g, ''))}`,
        { headers: { Authorization: `Bearer ${IVR_KEY}` } },
      );
      const answer = (await res.json()) as { known?: boolean; partial?: boolean };
      if (!res.ok || !answer.known || answer.partial)
        throw new Error(`the IVR lookup did not complete: ${JSON.stringify(answer)}`);
      return performance.now() - started;
    };

    // One call first, unmeasured: the first render also compiles the sidebar's code paths.
    await ring(freshNumber());
    const cold: number[] = [];
    const warm: number[] = [];
    const ivr: number[] = [];
    let warmRequests = 0;
    for (let i = 0; i < samples; i++) {
      cold.push(await ring(freshNumber()));
      const number = freshNumber();
      ivr.push(await askIvr(number));
      await crm.waitForTimeout(IVR_LEAD_MS);
      const before = source.requests();
      warm.push(await ring(number));
      warmRequests += source.requests() - before;
    }
    return {
      sourceDelayMs: SOURCE_DELAY_MS,
      ivrLeadMs: IVR_LEAD_MS,
      withoutIvr: summarize(cold),
      afterIvr: summarize(warm),
      ivrLookup: summarize(ivr),
      sourceRequestsDuringWarmRings: warmRequests,
    };
  } finally {
    await browser.close();
    // TODO [2026-12-15]: gateway.close() can wait for ever on activity streams whose browser went
    // away (seen here after a few dozen calls); bounded until that is fixed in the gateway.
    const closing = Promise.all([demo.close(), gateway.close(), source.close()]);
    await Promise.race([closing, new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
  }
}

/** Softphone tabs: a tab may start only so many calls a minute, so a fresh one takes over. */
class Softphones {
  #page: Page | undefined;
  #calls = 0;
  constructor(
    readonly browser: ExtensionBrowser,
    readonly url: string,
  ) {}

  async ready(): Promise<Page> {
    if (this.#page && this.#calls < DEFAULT_RATE_LIMITS.newCalls) {
      this.#calls += 1;
      return this.#page;
    }
    const fresh = await this.browser.context.newPage();
    await fresh.goto(this.url);
    await fresh.waitForFunction(() => typeof window.softphone?.ring === 'function');
    // Give the detector script (document_idle) time to start before anything counts.
    await fresh.waitForTimeout(300);
    await this.#page?.close();
    this.#page = fresh;
    this.#calls = 1;
    return fresh;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  measureWarmScreen(Number(process.env.BENCH_WARM_SAMPLES ?? 10)).then(
    (result) => {
      console.table({
        'ring to name, no IVR lookup before (ms)': result.withoutIvr,
        [`ring to name, IVR lookup ${result.ivrLeadMs / 1000} s before (ms)`]: result.afterIvr,
        'the IVR lookup itself (ms)': result.ivrLookup,
      });
      console.log(
        `source: ${result.sourceDelayMs} ms per lookup; requests it got during the rings after an IVR lookup: ${result.sourceRequestsDuringWarmRings}`,
      );
      console.log(JSON.stringify(result));
      // The gateway's close may still wait on streams (see the TODO above): do not wait for it.
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
