import { writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { launchWithExtension } from '../demo/chromium';
import { startDemoStack } from '../demo/stack';
import { sidebarFrame } from '../e2e/pages/crm.page';
import { measureContentScriptCost } from './content-script-overhead';
import { measurePopLatency } from './pop-latency';
import type { Summary } from './stats';

const RESULTS = resolve(import.meta.dirname, 'results.json');
const CALLS = Number(process.env.BENCH_CALLS ?? 40);

async function main(): Promise<void> {
  const stack = await startDemoStack({ gatewayPort: 0, demoPort: 0, quiet: true });
  const browser = await launchWithExtension();
  try {
    const worker = await browser.serviceWorker();
    await worker.evaluate(
      (gatewayUrl) => chrome.storage.local.set({ settings: { gatewayUrl } }),
      stack.gateway.url,
    );
    const crm = await browser.context.newPage();
    await crm.goto(`${stack.demo.url}/crm`);
    const sidebar = await sidebarFrame(crm);
    const softphone = await browser.context.newPage();
    await softphone.goto(`${stack.demo.url}/softphone`);

    const pop = await measurePopLatency(browser, softphone, sidebar, CALLS);
    const contentScript = await measureContentScriptCost(Number(process.env.BENCH_SAMPLES ?? 8));
    const kb = Math.round(contentScript.detectScriptBytes / 102.4) / 10;
    const rows: [string, Summary, string][] = [
      ['screen pop, warm worker (ms)', pop.warm, 'median < 50'],
      ['screen pop, cold worker (ms)', pop.cold, 'median < 150'],
      [
        'content script, main-thread time with/without at 10k mutations/s',
        contentScript.overheadRatio,
        'median < 1.03',
      ],
      [
        'content script detect.js (KB, minified)',
        { n: 1, median: kb, p95: kb, min: kb, max: kb },
        '< 15',
      ],
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
    const results = {
      generatedAt: new Date().toISOString(),
      machine: { cpus: cpus().length, node: process.version },
      popLatencyMs: pop,
      contentScript,
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
