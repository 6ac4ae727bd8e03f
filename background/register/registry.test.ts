import 'fake-indexeddb/auto';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WxtBrowser } from 'wxt/browser';
import { fakeBrowser } from 'wxt/testing';
import { registrations } from '../../extension/background';
import { detectorMatches, detectors } from '../../extension/detect/registry';
import { MESSAGES } from '../messages';
import { createBackgroundServices } from '../services';
import { fakeEvent, fakeMessaging } from '../test-support/messaging';

const here = dirname(fileURLToPath(import.meta.url));
const registrationFiles = readdirSync(here)
  .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))
  .sort();

/** The functions each registration file exports, by file name. */
async function exportsByFile(): Promise<Map<string, unknown[]>> {
  const found = new Map<string, unknown[]>();
  for (const file of registrationFiles) {
    const module: Record<string, unknown> = await import(pathToFileURL(join(here, file)).href);
    found.set(
      file,
      Object.values(module).filter((value) => typeof value === 'function'),
    );
  }
  return found;
}

/** Messages the background answers, as its one table lists them (the others go from it). */
const ANSWERED_BY_THE_BACKGROUND = Object.keys(MESSAGES);

afterEach(() => {
  vi.unstubAllGlobals();
  fakeBrowser.reset();
});

describe('background registrations', () => {
  it('lists every registration file of this folder in the entrypoint, once', async () => {
    expect(new Set(registrations).size).toBe(registrations.length);
    for (const [file, exported] of await exportsByFile()) {
      expect(exported, `${file} exports no registration`).toHaveLength(1);
      expect(registrations, `${file} is not listed in extension/background.ts`).toContain(
        exported[0],
      );
    }
  });

  it('lists only registrations that have a file of their own here, each with its test', async () => {
    const exported = [...(await exportsByFile()).values()].flat();
    for (const register of registrations)
      expect(exported, `${register.name} does not come from a file in this folder`).toContain(
        register,
      );
    for (const file of registrationFiles)
      expect(existsSync(join(here, file.replace(/\.ts$/, '.test.ts'))), `${file} has no test`).toBe(
        true,
      );
  });

  it("adds every handler and listener in the worker's first turn, before anything is awaited", async () => {
    const messages = fakeMessaging();
    const permissions = { onAdded: fakeEvent(), onRemoved: fakeEvent() };
    // Content scripts' ports (WXT's fake has no `runtime.onConnect`).
    const runtime = { ...fakeBrowser.runtime, onConnect: fakeEvent() };
    const windowEvents: string[] = [];
    vi.stubGlobal('addEventListener', (type: string) => windowEvents.push(type));
    const browser = { ...fakeBrowser, permissions, runtime };
    const events = {
      'tabs.onActivated': vi.spyOn(fakeBrowser.tabs.onActivated, 'addListener'),
      'tabs.onRemoved': vi.spyOn(fakeBrowser.tabs.onRemoved, 'addListener'),
      'windows.onFocusChanged': vi.spyOn(fakeBrowser.windows.onFocusChanged, 'addListener'),
      'storage.onChanged': vi.spyOn(fakeBrowser.storage.onChanged, 'addListener'),
      'alarms.onAlarm': vi.spyOn(fakeBrowser.alarms.onAlarm, 'addListener'),
    };
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const background = createBackgroundServices({
      // WXT's fake implements the parts the worker uses, not the whole typed surface of Chrome.
      browser: browser as unknown as WxtBrowser,
      chrome: browser as unknown as typeof chrome,
      detection: { detectors, declaredMatches: detectorMatches },
    });
    for (const register of registrations)
      register({ ...background, messaging: messages.messaging });

    // Nothing was awaited yet: this is what a worker woken by an event has in place.
    expect(messages.types()).toEqual(expect.arrayContaining(ANSWERED_BY_THE_BACKGROUND));
    for (const [name, event] of Object.entries(events))
      expect(event, `no listener on ${name}`).toHaveBeenCalled();
    expect(runtime.onConnect.hasListeners()).toBe(true);
    expect(permissions.onAdded.hasListeners()).toBe(true);
    expect(permissions.onRemoved.hasListeners()).toBe(true);
    expect(windowEvents).toContain('online');
    // Let the start-up work (policy, calls to resume, the outbox) settle before the fake resets.
    await new Promise((resolve) => setTimeout(resolve, 200));
  });
});
