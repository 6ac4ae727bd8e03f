import { describe, expect, it } from 'vitest';
import type { CallSession } from '../../shared/call';
import type { DetectionRule } from '../../shared/config';
import { messagesWith, OWN_CONTENT_SCRIPT, OWN_PAGE, STRANGER } from '../test-support/messaging';

const RULE: DetectionRule = {
  matches: ['https://crm.example.com/*'],
  selector: '.incoming .number',
};

const REFUSED: CallSession = {
  id: 'call-2',
  rawNumber: '12',
  identity: null,
  problem: 'too short to be a phone number',
  state: 'ringing',
  detector: 'rule-1',
  ringingAt: '2026-11-21T12:00:00.000Z',
  updatedAt: '2026-11-21T12:00:01.000Z',
  lookup: { status: 'pending' },
};

function setup() {
  const asked: string[] = [];
  const messages = messagesWith({
    ruleScripts: {
      rulesFor: async (url) => {
        asked.push(`rulesFor ${url}`);
        return { rules: [RULE] };
      },
      status: async (url) => {
        asked.push(`status ${url}`);
        return { url, detectors: ['dynamics-365'], rules: [], problems: [] };
      },
      sync: async () => {
        asked.push('sync');
        return ['https://crm.example.com/*'];
      },
    },
    calls: {
      recent: async (limit) => {
        asked.push(`recent ${limit}`);
        return [REFUSED];
      },
    },
  });
  return { ...messages, asked };
}

describe('detection messages', () => {
  it("gives a detector the rules for its own tab's page, and none to others", async () => {
    const { deliver, asked } = setup();
    expect(await deliver('detectionRules', undefined, OWN_CONTENT_SCRIPT)).toEqual({
      rules: [RULE],
    });
    expect(asked).toEqual(['rulesFor https://crm.example.com/record/1']);
    expect(await deliver('detectionRules', undefined, OWN_PAGE)).toEqual({ rules: [] });
    expect(
      await deliver('detectionRules', undefined, {
        ...STRANGER,
        tab: { id: 3, url: 'https://x/' },
      }),
    ).toEqual({ rules: [] });
    expect(asked).toHaveLength(1);
  });

  it('shows the options page what reads a page and the numbers read lately, with why one was refused', async () => {
    const { deliver } = setup();
    expect(await deliver('detectionStatus', { url: 'https://crm.example.com/' }, OWN_PAGE)).toEqual(
      {
        url: 'https://crm.example.com/',
        detectors: ['dynamics-365'],
        rules: [],
        problems: [],
        seen: [
          {
            detector: 'rule-1',
            raw: '12',
            state: 'ringing',
            at: '2026-11-21T12:00:01.000Z',
            problem: 'too short to be a phone number',
          },
        ],
      },
    );
  });

  it('registers the rule script on request from its own pages only', async () => {
    const { deliver, asked } = setup();
    for (const sender of [OWN_CONTENT_SCRIPT, STRANGER]) {
      await expect(deliver('syncRuleScripts', undefined, sender)).rejects.toThrow(
        'syncRuleScripts: not from our pages',
      );
      await expect(deliver('detectionStatus', { url: 'https://x/' }, sender)).rejects.toThrow(
        'detectionStatus: not from our pages',
      );
    }
    expect(asked).toEqual([]);
    expect(await deliver('syncRuleScripts', undefined, OWN_PAGE)).toEqual({
      registered: ['https://crm.example.com/*'],
    });
  });
});
