import { writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { EXTENSION_DIR, launchWithExtension } from '../demo/chromium';
import { startDemoStack } from '../demo/stack';
import { sidebarFrame } from '../e2e/pages/crm.page';
import { measureCachedLookup } from './cached-lookup';
import { measureContentScriptCost } from './content-script-overhead';
import { measureGatewayThroughput } from './gateway-throughput';
import { measureLiveActivityLatency } from './live-activity-latency';
import { measureOutbox } from './outbox';
import { measurePopLatency } from './pop-latency';
import { kilobytes, measureScriptSizes } from './script-size';
import type { Summary } from './stats';
import { measureWarmScreen } from './warm-screen';

const RESULTS = resolve(import.meta.dirname, 'results.json');
const CALLS = Number(process.env.BENCH_CALLS ?? 40);
const OUTBOX_BACKLOG = Number(process.env.BENCH_OUTBOX_BACKLOG ?? 10_000);
const LIVE_EVENTS = Number(process.env.BENCH_LIVE_EVENTS ?? 40);

async function main(): Promise<void> {
  // Before the browser starts, so Chromium does not take the cores from the load test.
  const throughput = await measureGatewayThroughput();
  const cachedLookup = await measureCachedLookup();
  // Its own gateway (a source that takes 800 ms) and browser, before the main one starts.
  const warmScreen = await measureWarmScreen(Number(process.env.BENCH_WARM_SAMPLES ?? 10));
  console.table(
    [
      ['gateway GET /v1/context, demo source', throughput.gateway],
      ['bare Hono route, constant', throughput.bareHono],
    ].map(([name, r]) => {
      const result = r as typeof throughput.gateway;
      return {
        benchmark: name,
        'lookups/s': result.perSecond,
        'p50 ms': result.p50Ms,
        'p99 ms': result.p99Ms,
        requests: result.requests,
        failures: result.failures,
      };
    }),
  );
  console.log(
    `gateway / bare Hono: ${throughput.ratio} (target >= 0.5); cached lookup in the background: median ${cachedLookup.medianUs} µs, p99 ${cachedLookup.p99Us} µs`,
  );
  const stack = await startDemoStack({ gatewayPort: 0, demoPort: 0, quiet: true });
  const browser = await launchWithExtension();
  try {
    await browser.setAgentSettings({ gatewayUrl: stack.gateway.url });
    const crm = await browser.context.newPage();
    await crm.goto(`${stack.demo.url}/crm`);
    const sidebar = await sidebarFrame(crm);
    const softphone = await browser.context.newPage();
    await softphone.goto(`${stack.demo.url}/softphone`);

    const pop = await measurePopLatency(browser, softphone, sidebar, CALLS);
    const contentScript = await measureContentScriptCost(Number(process.env.BENCH_SAMPLES ?? 8));
    const kb = Math.round(contentScript.detectScriptBytes / 102.4) / 10;
    const outbox = await measureOutbox(browser, stack, { saves: 100, backlog: OUTBOX_BACKLOG });
    const live = await measureLiveActivityLatency(browser, stack, sidebar, LIVE_EVENTS);
    const scripts = await measureScriptSizes(EXTENSION_DIR);
    const sizeRow = (name: string, bytes: number, target = ''): [string, Summary, string] => {
      const k = kilobytes(bytes);
      return [name, { n: 1, median: k, p95: k, min: k, max: k }, target];
    };
    const rows: [string, Summary, string][] = [
      ['screen pop, warm worker (ms)', pop.warm, 'median <= 25'],
      ['screen pop, cold worker (ms)', pop.cold, 'median < 150'],
      [
        'screen pop, warm, the demo IVR asking beside the ring on this machine (ms)',
        pop.warmIvrBeside,
        '',
      ],
      ['screen pop, source 800 ms, no IVR lookup before (ms)', warmScreen.withoutIvr, ''],
      [
        'screen pop, source 800 ms, IVR lookup 3 s before the ring (ms)',
        warmScreen.afterIvr,
        'well under 800',
      ],
      [
        'content script, main-thread time with/without at 10k mutations/s',
        contentScript.overheadRatio,
        'median < 1.03',
      ],
      [
        'content script, main-thread CPU time with/without at 10k mutations/s',
        contentScript.cpuRatio,
        'median < 1.03',
      ],
      [
        'content script detect.js (KB, minified)',
        { n: 1, median: kb, p95: kb, min: kb, max: kb },
        '< 15',
      ],
      ['"Log call" to "saved" (ms)', outbox.logToSaved, ''],
      [
        'live activity: storefront event accepted to its line in the sidebar (ms)',
        live.latency,
        'median < 100 (stream)',
      ],
      sizeRow('sidebar page JavaScript (KB, minified)', scripts.sidebar.rawBytes),
      sizeRow('sidebar page JavaScript (KB, gzip)', scripts.sidebar.gzipBytes),
      sizeRow('options page JavaScript (KB, minified)', scripts.options.rawBytes),
      ...Object.entries(scripts.contentScripts).map(([file, size]) =>
        sizeRow(
          `content script ${file} (KB, minified / gzip ${kilobytes(size.gzipBytes)})`,
          size.rawBytes,
        ),
      ),
    ];
    console.table(
      rows.map(([name, s, target]) => ({
        benchmark: name,
        n: s.n,
        median: s.median,
        p95: s.p95,
        min: s.min,
        max: s.max,
        target,
      })),
    );
    console.log(
      `content script, all samples' main-thread time with/without: ${contentScript.totalRatio}; ` +
        `the script's own share of the page's main-thread time: ${(contentScript.scriptShare * 100).toFixed(2)} %`,
    );
    console.log(
      `outbox throughput: ${outbox.throughput.eventsPerSecond} events/s ` +
        `(${outbox.throughput.backlog} events in ${outbox.throughput.seconds} s)`,
    );
    console.log(
      `live activity: ${live.events - live.lost} of ${live.events} events shown (${live.lost} lost); ` +
        `clocks: frame − Node ${live.clock.offsetMs} ± ${live.clock.uncertaintyMs} ms, taken off. ${live.explanation}`,
    );
    console.log(
      `sidebar page loads ${scripts.sidebar.files.join(', ')}: ${scripts.sidebar.rawBytes} bytes, ` +
        `${scripts.sidebar.gzipBytes} gzipped`,
    );
    const results = {
      generatedAt: new Date().toISOString(),
      machine: { cpus: cpus().length, node: process.version },
      popLatencyMs: pop,
      contentScript,
      gatewayThroughput: throughput,
      cachedLookup,
      outbox,
      liveActivityLatencyMs: live,
      warmScreen,
      scriptSize: scripts,
    };
    await writeFile(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`Results written to ${RESULTS}`);
  } finally {
    await browser.close();
    await stack.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
