import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../shared/config';
import { messagesWith, OWN_CONTENT_SCRIPT, OWN_PAGE, STRANGER } from '../test-support/messaging';

function setup() {
  const calls: string[] = [];
  const messages = messagesWith({
    settings: {
      view: async () => {
        calls.push('view');
        return resolveConfig({});
      },
      save: async (data) => {
        calls.push(`save ${JSON.stringify(data)}`);
        return { saved: true, problems: [] };
      },
      testConnection: async (identity) => {
        calls.push(`test ${String(identity)}`);
        return { ok: true, message: 'Found 1 match.', sources: [], ms: 3 };
      },
      clearLocalData: async () => {
        calls.push('clear');
        return { cleared: ['cache'] };
      },
    },
  });
  return { ...messages, calls };
}

describe('settings messages', () => {
  it('serves the options page: view, save, test the connection, clear', async () => {
    const { deliver, calls } = setup();
    expect(await deliver('getSettings', undefined, OWN_PAGE)).toEqual(resolveConfig({}));
    expect(await deliver('saveSettings', { defaultRegion: 'US' }, OWN_PAGE)).toEqual({
      saved: true,
      problems: [],
    });
    expect(await deliver('testConnection', { identity: 'phone:+15550100' }, OWN_PAGE)).toEqual({
      ok: true,
      message: 'Found 1 match.',
      sources: [],
      ms: 3,
    });
    expect(await deliver('clearLocalData', undefined, OWN_PAGE)).toEqual({ cleared: ['cache'] });
    expect(calls).toEqual(['view', 'save {"defaultRegion":"US"}', 'test phone:+15550100', 'clear']);
  });

  it('answers none of it to a content script or a stranger, and changes nothing', async () => {
    const { deliver, calls } = setup();
    for (const sender of [OWN_CONTENT_SCRIPT, STRANGER]) {
      await expect(deliver('getSettings', undefined, sender)).rejects.toThrow('not from our pages');
      await expect(
        deliver('saveSettings', { gatewayUrl: 'https://evil.example' }, sender),
      ).rejects.toThrow('saveSettings: not from our pages');
      await expect(deliver('testConnection', { identity: 'phone:+1' }, sender)).rejects.toThrow(
        'not from our pages',
      );
      await expect(deliver('clearLocalData', undefined, sender)).rejects.toThrow(
        'not from our pages',
      );
    }
    expect(calls).toEqual([]);
  });
});
