// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { demoSoftphone } from './demo-softphone';
import type { Detector, PageCall } from './detector';
import { type Sighting, watchForCallers } from './watch';

const here = dirname(fileURLToPath(import.meta.url));
const fixture = readFileSync(join(here, 'fixtures', 'demo-softphone.html'), 'utf8');

const RINGING: Sighting = {
  detector: 'demo-softphone',
  raw: '+44 20 7946 0123',
  state: 'ringing',
  callId: 'call-m7x2k9-1',
};

/** Lets the page's MutationObserver deliver its records. */
function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

function watch(
  options: { detectors?: Detector[]; state?: string; readIntervalMs?: number; now?(): number } = {},
) {
  const doc = new DOMParser().parseFromString(fixture, 'text/html');
  const panel = doc.querySelector('.call-panel');
  if (!panel) throw new Error('the fixture has no call panel');
  if (options.state) panel.setAttribute('data-call-state', options.state);
  let reads = 0;
  const counted = (options.detectors ?? [demoSoftphone]).map(
    (detector): Detector => ({
      id: detector.id,
      matches: detector.matches,
      applies: (location) => detector.applies(location),
      read: (d) => {
        reads += 1;
        return detector.read(d);
      },
    }),
  );
  const frames: (() => void)[] = [];
  const waits: { run: () => void; ms: number }[] = [];
  const reports: Sighting[] = [];
  const controller = new AbortController();
  watchForCallers({
    detectors: counted,
    doc,
    report: (sighting) => reports.push(sighting),
    signal: controller.signal,
    schedule: (run) => frames.push(run),
    readIntervalMs: options.readIntervalMs ?? 0,
    ...(options.now ? { now: options.now } : {}),
    wait: (run, ms) => waits.push({ run, ms }),
  });
  return {
    doc,
    waits,
    reports,
    frames,
    controller,
    reads: () => reads,
    setState(state: string) {
      const current = doc.querySelector('.call-panel');
      current?.setAttribute('data-call-state', state);
    },
    /** Lets mutations arrive, then runs the frame the watcher asked for, if any. */
    async nextFrame() {
      await settle();
      for (const run of frames.splice(0)) run();
    },
  };
}

describe('watchForCallers', () => {
  it('reports the call already on the page when it starts', () => {
    const page = watch();
    expect(page.reports).toEqual([RINGING]);
    expect(page.reads()).toBe(1);
  });

  it('reports nothing on an idle page', async () => {
    const page = watch({ state: 'idle' });
    expect(page.reports).toEqual([]);
    page.setState('ringing');
    await page.nextFrame();
    expect(page.reports).toEqual([RINGING]);
  });

  it('reads once per frame however many mutations the page makes', async () => {
    const page = watch();
    const status = page.doc.querySelector('.caller-status');
    if (!status) throw new Error('the fixture has no status');
    let batches = 0;
    new MutationObserver(() => {
      batches += 1;
    }).observe(page.doc, { subtree: true, attributes: true, childList: true });
    for (let i = 0; i < 1000; i++) {
      status.textContent = `Incoming call… ${i}`;
      status.setAttribute('data-tick', String(i));
      // Let the observer see the mutations in many batches, as a busy page would make them.
      if (i % 100 === 99) await settle();
    }
    await settle();
    expect(batches).toBeGreaterThan(1);
    expect(page.frames).toHaveLength(1);
    expect(page.reads()).toBe(1);
    await page.nextFrame();
    expect(page.reads()).toBe(2);
    // The same call re-rendered is not reported again.
    expect(page.reports).toEqual([RINGING]);
  });

  it('asks for another frame once the last one ran', async () => {
    const page = watch();
    page.doc.querySelector('.caller-status')?.setAttribute('data-tick', '1');
    await page.nextFrame();
    page.doc.querySelector('.caller-status')?.setAttribute('data-tick', '2');
    await settle();
    expect(page.frames).toHaveLength(1);
    await page.nextFrame();
    expect(page.reads()).toBe(3);
  });

  it('reports nothing when the page re-renders the same call', async () => {
    const page = watch();
    const panel = page.doc.querySelector('.call-panel');
    if (!panel) throw new Error('the fixture has no call panel');
    panel.replaceWith(panel.cloneNode(true));
    await page.nextFrame();
    expect(page.reads()).toBe(2);
    expect(page.reports).toEqual([RINGING]);
  });

  it('reports a change of state once', async () => {
    const page = watch();
    page.setState('connected');
    await page.nextFrame();
    expect(page.reports).toEqual([RINGING, { ...RINGING, state: 'connected' }]);
    page.doc.querySelector('.caller-status')?.replaceChildren('Connected 00:01');
    await page.nextFrame();
    page.doc.querySelector('.caller-status')?.replaceChildren('Connected 00:02');
    await page.nextFrame();
    expect(page.reports).toHaveLength(2);
  });

  it('reports a new call id or a new number', async () => {
    const page = watch();
    page.doc.querySelector('.call-panel')?.setAttribute('data-call-id', 'call-m7x2k9-2');
    await page.nextFrame();
    const number = page.doc.querySelector('.caller-number');
    if (number) number.textContent = '+44 20 7946 0999';
    await page.nextFrame();
    expect(page.reports).toEqual([
      RINGING,
      { ...RINGING, callId: 'call-m7x2k9-2' },
      { ...RINGING, callId: 'call-m7x2k9-2', raw: '+44 20 7946 0999' },
    ]);
  });

  it('reports the call as ended when it disappears from the page', async () => {
    const page = watch();
    page.setState('connected');
    await page.nextFrame();
    page.setState('idle');
    await page.nextFrame();
    expect(page.reports.at(-1)).toEqual({ ...RINGING, state: 'ended' });
    expect(page.reports).toHaveLength(3);
    // Still idle: nothing more to say.
    page.doc.querySelector('.caller-status')?.replaceChildren('Ready');
    await page.nextFrame();
    expect(page.reports).toHaveLength(3);
  });

  it('reports the end once when the page shows it before going idle', async () => {
    const page = watch();
    page.setState('ended');
    await page.nextFrame();
    page.setState('idle');
    await page.nextFrame();
    expect(page.reports).toEqual([RINGING, { ...RINGING, state: 'ended' }]);
  });

  it('reports the end when the call panel is removed', async () => {
    const page = watch();
    page.doc.querySelector('.call-panel')?.remove();
    await page.nextFrame();
    expect(page.reports).toEqual([RINGING, { ...RINGING, state: 'ended' }]);
  });

  it('reports the same caller ringing again after the call ended', async () => {
    const page = watch();
    page.setState('ended');
    await page.nextFrame();
    page.setState('ringing');
    await page.nextFrame();
    expect(page.reports).toEqual([RINGING, { ...RINGING, state: 'ended' }, RINGING]);
  });

  it('takes the first detector that sees a call', async () => {
    const other: Detector = {
      id: 'other-phone',
      matches: ['<all_urls>'],
      applies: () => true,
      read: (doc): PageCall | null => {
        const raw = doc.querySelector('#other-number')?.textContent;
        return raw ? { raw, state: 'ringing' } : null;
      },
    };
    const page = watch({ detectors: [other, demoSoftphone] });
    expect(page.reports).toEqual([RINGING]);
    const number = page.doc.createElement('span');
    number.id = 'other-number';
    number.textContent = 'jane@example.com';
    page.doc.body.append(number);
    await page.nextFrame();
    expect(page.reports).toEqual([
      RINGING,
      { detector: 'other-phone', raw: 'jane@example.com', state: 'ringing' },
    ]);
  });

  it('stops watching when aborted', async () => {
    const page = watch();
    page.controller.abort();
    page.setState('connected');
    await settle();
    expect(page.frames).toEqual([]);
    await page.nextFrame();
    expect(page.reads()).toBe(1);
    expect(page.reports).toEqual([RINGING]);
  });

  it('does not watch at all when started already aborted', async () => {
    const doc = new DOMParser().parseFromString(fixture, 'text/html');
    const frames: (() => void)[] = [];
    const reports: Sighting[] = [];
    watchForCallers({
      detectors: [demoSoftphone],
      doc,
      report: (sighting) => reports.push(sighting),
      signal: AbortSignal.abort(),
      schedule: (run) => frames.push(run),
    });
    doc.querySelector('.call-panel')?.setAttribute('data-call-state', 'connected');
    await settle();
    expect(reports).toEqual([]);
    // An observer left attached would keep asking for frames for the life of the page.
    expect(frames).toEqual([]);
  });

  it('does not read in a frame asked for before it was aborted', async () => {
    const page = watch();
    page.setState('connected');
    await settle();
    expect(page.frames).toHaveLength(1);
    page.controller.abort();
    for (const run of page.frames.splice(0)) run();
    expect(page.reads()).toBe(1);
    expect(page.reports).toEqual([RINGING]);
  });
});

describe('watchForCallers with URLs and events', () => {
  it('gives detectors the page URL it is asked for, read again when it changes', async () => {
    const doc = new DOMParser().parseFromString('<p>CRM</p>', 'text/html');
    let href = 'https://crm.example.com/contact?ani=%2B442079460123';
    const seen: (string | undefined)[] = [];
    const reports: Sighting[] = [];
    const frames: (() => void)[] = [];
    const fromUrl: Detector = {
      id: 'from-url',
      matches: ['https://crm.example.com/*'],
      applies: () => true,
      read: (_doc, url) => {
        seen.push(url?.href);
        const ani = url?.searchParams.get('ani');
        return ani ? { raw: ani, state: 'ringing' } : null;
      },
    };
    watchForCallers({
      detectors: [fromUrl],
      doc,
      report: (s) => reports.push(s),
      signal: new AbortController().signal,
      schedule: (run) => frames.push(run),
      readIntervalMs: 0,
      url: () => href,
    });
    expect(reports).toEqual([{ detector: 'from-url', raw: '+442079460123', state: 'ringing' }]);
    href = 'https://crm.example.com/contact';
    doc.body.append('navigated');
    await settle();
    for (const run of frames.splice(0)) run();
    expect(seen).toEqual([
      'https://crm.example.com/contact?ani=%2B442079460123',
      'https://crm.example.com/contact',
    ]);
    expect(reports.at(-1)).toEqual({ detector: 'from-url', raw: '+442079460123', state: 'ended' });
  });

  it('lets an event-driven detector ask for a read, once per frame, until aborted', () => {
    let poke: (() => void) | undefined;
    let reads = 0;
    const frames: (() => void)[] = [];
    const evented: Detector = {
      id: 'evented',
      matches: ['<all_urls>'],
      applies: () => true,
      read: () => {
        reads += 1;
        return null;
      },
      listen: (win, changed) => {
        expect(win).toBe(window);
        poke = changed;
      },
    };
    const controller = new AbortController();
    watchForCallers({
      detectors: [evented],
      doc: document,
      report: () => {},
      signal: controller.signal,
      schedule: (run) => frames.push(run),
      readIntervalMs: 0,
    });
    expect(reads).toBe(1);
    poke?.();
    poke?.();
    expect(frames).toHaveLength(1);
    for (const run of frames.splice(0)) run();
    expect(reads).toBe(2);
    controller.abort();
    poke?.();
    expect(frames).toHaveLength(0);
  });

  it('reads a page that keeps changing at most once per read interval', async () => {
    let clock = 1_000;
    const page = watch({ readIntervalMs: 100, now: () => clock });
    expect(page.reads()).toBe(1);
    // 30 ms later the page changes: the read waits out the rest of the interval.
    clock += 30;
    page.setState('connected');
    await page.nextFrame();
    expect(page.reads()).toBe(1);
    expect(page.waits.map((w) => w.ms)).toEqual([70]);
    clock += 70;
    page.waits.splice(0)[0]?.run();
    await page.nextFrame();
    expect(page.reads()).toBe(2);
    expect(page.reports.map((r) => r.state)).toEqual(['ringing', 'connected']);
    // After a quiet spell longer than the interval, a change is read in the next frame.
    clock += 500;
    page.setState('ended');
    await page.nextFrame();
    expect(page.waits).toEqual([]);
    expect(page.reads()).toBe(3);
  });
});

describe('the default scheduling', () => {
  /** A page whose visibility the test sets, and whose animation frames it runs or withholds. */
  function page(visibility: 'visible' | 'hidden') {
    const doc = new DOMParser().parseFromString(fixture, 'text/html');
    doc.querySelector('.call-panel')?.setAttribute('data-call-state', 'idle');
    let state = visibility;
    Object.defineProperty(doc, 'visibilityState', { get: () => state });
    // A parsed document has no window; the page's document has, with its animation frames.
    Object.defineProperty(doc, 'defaultView', { get: () => window });
    const frames: FrameRequestCallback[] = [];
    const original = globalThis.requestAnimationFrame;
    globalThis.requestAnimationFrame = (callback) => frames.push(callback);
    const reports: Sighting[] = [];
    const controller = new AbortController();
    watchForCallers({
      detectors: [demoSoftphone],
      doc,
      report: (sighting) => reports.push(sighting),
      signal: controller.signal,
      readIntervalMs: 0,
    });
    return {
      reports,
      frames,
      ring: () => doc.querySelector('.call-panel')?.setAttribute('data-call-state', 'ringing'),
      hide: () => {
        state = 'hidden';
        doc.dispatchEvent(new Event('visibilitychange'));
      },
      states: () => reports.map((r) => r.state),
      done: () => {
        globalThis.requestAnimationFrame = original;
        controller.abort();
      },
    };
  }

  it('reads a hidden tab, which runs no animation frames, in a task of its own', async () => {
    const tab = page('hidden');
    try {
      tab.ring();
      await vi.waitFor(() => expect(tab.states()).toContain('ringing'));
      expect(tab.frames).toHaveLength(0);
    } finally {
      tab.done();
    }
  });

  it('reads in a user-blocking task where the browser schedules tasks by priority', async () => {
    const priorities: string[] = [];
    vi.stubGlobal('scheduler', {
      postTask: (run: () => void, options: { priority: string }) => {
        priorities.push(options.priority);
        return new Promise<void>((resolve) =>
          setTimeout(() => {
            run();
            resolve();
          }, 0),
        );
      },
    });
    const tab = page('visible');
    try {
      tab.ring();
      // Not in the mutation's microtask: in the task the scheduler runs.
      await Promise.resolve();
      expect(tab.states()).toEqual([]);
      await vi.waitFor(() => expect(tab.states()).toContain('ringing'));
      expect(priorities).toEqual(['user-blocking']);
      expect(tab.frames).toHaveLength(0);
    } finally {
      tab.done();
      vi.unstubAllGlobals();
    }
  });

  it('reads a visible tab in a task too, without waiting for an animation frame', async () => {
    const tab = page('visible');
    try {
      tab.ring();
      await vi.waitFor(() => expect(tab.states()).toContain('ringing'));
      expect(tab.frames).toHaveLength(0);
    } finally {
      tab.done();
    }
  });
});
