import { pathToFileURL } from 'node:url';
import { launchWithExtension } from '../demo/chromium';
import { startDemoStack } from '../demo/stack';
import { IVR_ELSEWHERE } from './pop-latency';
import { type Summary, summarize } from './stats';

/**
 * How soon after a ring each way of scheduling the detector's read would run, on the demo
 * softphone with the extension loaded: the mutation's microtask, a `user-blocking` task
 * (`scheduler.postTask`), a message on a private channel, `setTimeout(0)` and the next animation
 * frame. The page's main world schedules all of them from one MutationObserver; the detector's
 * isolated world shares its event loop, so the order is the detector's (extension/detect/watch.ts).
 *
 *   npx tsx bench/detect-scheduling.ts [EXTENSION_DIR]     BENCH_CALLS (default 30) rings
 */
export async function measureDetectScheduling(
  extensionDir: string | undefined,
  calls: number,
): Promise<Record<string, Summary>> {
  const stack = await startDemoStack({ gatewayPort: 0, demoPort: 0, quiet: true });
  const browser = await launchWithExtension(extensionDir ? { extensionDir } : {});
  try {
    await browser.setAgentSettings({ gatewayUrl: stack.gateway.url });
    const phone = await browser.context.newPage();
    await phone.goto(`${stack.demo.url}/softphone`);
    await phone.waitForFunction(() => typeof window.softphone?.ring === 'function');
    // tsx (esbuild's keepNames) calls a `__name` helper in named inner functions.
    await phone.evaluate('globalThis.__name ??= (fn) => fn');
    await phone.evaluate(() => {
      const probe = globalThis as unknown as {
        benchAfterRing: Record<string, number>;
        benchRang: number;
        scheduler?: { postTask(run: () => void, options: { priority: string }): Promise<void> };
      };
      probe.benchAfterRing = {};
      const stamp = (what: string) => {
        probe.benchAfterRing[what] ??= performance.now() - probe.benchRang;
      };
      const channel = new MessageChannel();
      channel.port1.onmessage = () => stamp('message-channel task');
      new MutationObserver(() => {
        stamp('microtask');
        channel.port2.postMessage(null);
        void probe.scheduler?.postTask(() => stamp('user-blocking task'), {
          priority: 'user-blocking',
        });
        setTimeout(() => stamp('setTimeout 0'), 0);
        requestAnimationFrame(() => stamp('animation frame'));
      }).observe(document, {
        subtree: true,
        childList: true,
        characterData: true,
        attributes: true,
      });
    });
    const numbers = [
      '+44 20 7946 0123',
      '+34 612 34 56 78',
      '+1 415-555-0132',
      '+33 6 12 34 56 78',
    ];
    const samples: Record<string, number[]> = {};
    for (let i = 0; i < calls; i++) {
      const after = await phone.evaluate(
        async ([number, options]) => {
          const probe = globalThis as unknown as {
            benchAfterRing: Record<string, number>;
            benchRang: number;
          };
          probe.benchAfterRing = {};
          probe.benchRang = performance.now();
          window.softphone.ring(number, options);
          await new Promise((resolve) => setTimeout(resolve, 80));
          window.softphone.hangUp();
          return probe.benchAfterRing;
        },
        [numbers[i % numbers.length] as string, IVR_ELSEWHERE] as const,
      );
      for (const [what, ms] of Object.entries(after)) {
        samples[what] = [...(samples[what] ?? []), ms];
      }
      await phone.waitForTimeout(150);
    }
    return Object.fromEntries(Object.entries(samples).map(([what, ms]) => [what, summarize(ms)]));
  } finally {
    await browser.close();
    await stack.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  measureDetectScheduling(process.argv[2], Number(process.env.BENCH_CALLS ?? 30)).then(
    (result) => console.table(result),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
