import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../shared/audit';
import { messagesWith, OWN_CONTENT_SCRIPT, OWN_PAGE, STRANGER } from '../test-support/messaging';

const ENTRY: AuditEntry = {
  at: '2026-11-21T12:00:00.000Z',
  who: 'Alex Agent',
  identity: 'phone:+442079460123',
  reason: 'call',
};

describe('audit messages', () => {
  it("shows the audit list to the extension's own pages only", async () => {
    const { deliver } = messagesWith({ auditLog: { list: async () => [ENTRY] } });
    expect(await deliver('getAuditLog', undefined, OWN_PAGE)).toEqual({ entries: [ENTRY] });
    await expect(deliver('getAuditLog', undefined, OWN_CONTENT_SCRIPT)).rejects.toThrow(
      'getAuditLog: not from our pages',
    );
    await expect(deliver('getAuditLog', undefined, STRANGER)).rejects.toThrow('not from our pages');
  });
});
