import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { EXTENSION_DIR, launchWithExtension } from '../demo/chromium';
import { startPlatformPages } from '../e2e/platform-pages';
import { percentile, type Summary } from './stats';

export interface ContentScriptCost {
  /** Main-thread task time with the detector script over without, per paired sample. */
  overheadRatio: Summary;
  /** The same with the main thread's CPU time (`ThreadTime`). */
  cpuRatio: Summary;
  /**
   * All samples' task time with the script over all without: steadier than any one pair on a
   * shared machine, where one sample's ratio moves by a third either way.
   */
  totalRatio: number;
  /**
   * Share of the watched page's main-thread time spent in the detector script's own code (its
   * functions and the DOM calls they make), from V8's sampling profiler: what the script adds,
   * without the page-to-page noise of the ratios. Excludes Blink's mutation bookkeeping.
   */
  scriptShare: number;
  /** Minified size of the detector content script, in bytes. */
  detectScriptBytes: number;
  mutationsPerSecond: number;
}

const MUTATIONS_PER_SECOND = 10_000;
const SAMPLE_MS = 1_000;

/**
 * Makes the page change its DOM MUTATIONS_PER_SECOND times a second (a ticking timer, a live
 * queue board), spread over animation frames, for `ms`, beside the ringing call in the fixture.
 */
function churn(page: Page, ms: number): Promise<void> {
  // A string, not a function: tsx's keepNames would wrap inner functions in a `__name` helper
  // that does not exist in the page.
  return page.evaluate(`new Promise((done) => {
    const rate = ${MUTATIONS_PER_SECOND}, duration = ${ms};
    const board = document.createElement('ul');
    document.body.append(board);
    for (let i = 0; i < 50; i++) board.append(document.createElement('li'));
    const start = performance.now();
    let made = 0;
    const frame = (now) => {
      const due = Math.floor(((now - start) / 1000) * rate);
      for (; made < due; made++) board.children[made % 50].textContent = 'Queue ' + (made % 7) + ': ' + made;
      if (now - start < duration) requestAnimationFrame(frame);
      else { board.remove(); done(); }
    };
    requestAnimationFrame(frame);
  })`);
}

interface MainThreadTime {
  /** CDP `TaskDuration`: wall time of the renderer main thread's tasks, seconds. */
  tasks: number;
  /** CDP `ThreadTime`: CPU time of the main thread, seconds; unmoved by other processes. */
  cpu: number;
}

/** Reads the page's main-thread time before and after it churns for `ms`. */
async function openMeter(page: Page): Promise<(ms: number) => Promise<MainThreadTime>> {
  const cdp = await page.context().newCDPSession(page);
  // Thread ticks: task durations are counted in the thread's CPU time, so a shared machine's
  // other processes taking the core mid-task do not count against either page.
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
  const read = async (): Promise<MainThreadTime> => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    const value = (name: string) => metrics.find((m) => m.name === name)?.value ?? 0;
    return { tasks: value('TaskDuration'), cpu: value('ThreadTime') };
  };
  return async (ms) => {
    await page.bringToFront();
    const before = await read();
    await churn(page, ms);
    const after = await read();
    return { tasks: after.tasks - before.tasks, cpu: after.cpu - before.cpu };
  };
}

interface CpuProfile {
  nodes: { id: number; callFrame: { url: string }; children?: number[] }[];
  samples?: number[];
  timeDeltas?: number[];
}

/** Profiles the page while it churns: the time in stacks that go through the detector script. */
async function scriptShareOf(page: Page, ms: number): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  const taskTime = async () =>
    (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration')
      ?.value ?? 0;
  await page.bringToFront();
  await cdp.send('Profiler.start');
  const before = await taskTime();
  await churn(page, ms);
  const after = await taskTime();
  const { profile } = (await cdp.send('Profiler.stop')) as { profile: CpuProfile };
  await cdp.detach();
  const parent = new Map<number, number>();
  const inScript = new Map<number, boolean>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const throughScript = (id: number): boolean => {
    const known = inScript.get(id);
    if (known !== undefined) return known;
    const node = byId.get(id);
    const up = parent.get(id);
    const result =
      (node?.callFrame.url.endsWith('/content-scripts/detect.js') ?? false) ||
      (up !== undefined && throughScript(up));
    inScript.set(id, result);
    return result;
  };
  let scriptMicros = 0;
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const id = samples[i];
    // A sample's time is the gap to the next one.
    if (id !== undefined && throughScript(id)) scriptMicros += deltas[i + 1] ?? 0;
  }
  const taskSeconds = after - before;
  return taskSeconds > 0 ? Math.round((scriptMicros / 1e6 / taskSeconds) * 10_000) / 10_000 : 0;
}

/**
 * Content-script overhead in one browser run: the Twilio Flex fixture with a ringing call, once
 * on Flex's domain (the detector script runs and watches) and once on a domain no detector
 * matches (no script), each churning the DOM at the same rate. Samples are paired and their
 * order alternates (with-without, then without-with) so neither page always runs first.
 */
export async function measureContentScriptCost(samples: number): Promise<ContentScriptCost> {
  const pages = await startPlatformPages();
  const browser = await launchWithExtension({ extraArgs: pages.chromiumArgs });
  try {
    const withScript = await browser.context.newPage();
    const withoutScript = await browser.context.newPage();
    await withScript.goto(`${pages.origin('flex.twilio.com')}/agent-desktop/twilio-flex.html`);
    await withoutScript.goto(
      `${pages.origin('unmatched.example.test')}/agent-desktop/twilio-flex.html`,
    );
    const watched = await openMeter(withScript);
    const plain = await openMeter(withoutScript);
    // Warm both (JIT, layout caches) before anything counts.
    await watched(500);
    await plain(500);
    const taskRatios: number[] = [];
    const cpuRatios: number[] = [];
    let watchedTotal = 0;
    let plainTotal = 0;
    for (let i = 0; i < samples; i++) {
      const [a, b] =
        i % 2 === 0
          ? [await watched(SAMPLE_MS), await plain(SAMPLE_MS)]
          : await plain(SAMPLE_MS).then(async (p) => [await watched(SAMPLE_MS), p] as const);
      watchedTotal += a.tasks;
      plainTotal += b.tasks;
      if (b.tasks > 0) taskRatios.push(a.tasks / b.tasks);
      if (b.cpu > 0) cpuRatios.push(a.cpu / b.cpu);
    }
    const scriptShare = await scriptShareOf(withScript, 4 * SAMPLE_MS);
    const { size } = await stat(join(EXTENSION_DIR, 'content-scripts', 'detect.js'));
    return {
      overheadRatio: summarizeRatios(taskRatios),
      cpuRatio: summarizeRatios(cpuRatios),
      totalRatio:
        plainTotal > 0 ? Math.round((watchedTotal / plainTotal) * 1000) / 1000 : Number.NaN,
      scriptShare,
      detectScriptBytes: size,
      mutationsPerSecond: MUTATIONS_PER_SECOND,
    };
  } finally {
    await browser.close();
    await pages.close();
  }
}

/** Like `summarize`, to three decimals: a ratio of 1.02 must not print as 1. */
function summarizeRatios(sample: readonly number[]): Summary {
  const sorted = [...sample].sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return {
    n: sorted.length,
    median: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    min: round(sorted[0] ?? Number.NaN),
    max: round(sorted[sorted.length - 1] ?? Number.NaN),
  };
}
