import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { EXTENSION_DIR, launchWithExtension } from '../demo/chromium';
import { startPlatformPages } from '../e2e/platform-pages';
import { percentile, type Summary } from './stats';

export interface ContentScriptCost {
  /** Main-thread task time with the detector script over without, per paired sample. */
  overheadRatio: Summary;
  /** Minified size of the detector content script, in bytes. */
  detectScriptBytes: number;
  mutationsPerSecond: number;
}

const MUTATIONS_PER_SECOND = 10_000;
const SAMPLE_MS = 2_000;

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

/** Main-thread busy time (CDP `TaskDuration`, seconds) spent while the page churns. */
async function busyTime(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const read = async () => {
    const { metrics } = (await cdp.send('Performance.getMetrics')) as {
      metrics: { name: string; value: number }[];
    };
    return metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0;
  };
  const before = await read();
  await churn(page, SAMPLE_MS);
  const after = await read();
  await cdp.detach();
  return after - before;
}

/**
 * Content-script overhead in one browser run: the Twilio Flex fixture with a ringing call, once
 * on Flex's domain (the detector script runs and watches) and once on a domain no detector
 * matches (no script), each churning the DOM at the same rate; samples alternate.
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
    await churn(withScript, 300);
    await churn(withoutScript, 300);
    const ratios: number[] = [];
    for (let i = 0; i < samples; i++) {
      await withScript.bringToFront();
      const watched = await busyTime(withScript);
      await withoutScript.bringToFront();
      const plain = await busyTime(withoutScript);
      if (plain > 0) ratios.push(watched / plain);
    }
    const { size } = await stat(join(EXTENSION_DIR, 'content-scripts', 'detect.js'));
    return {
      overheadRatio: summarizeRatios(ratios),
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
