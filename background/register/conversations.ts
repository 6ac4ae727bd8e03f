import type { CallSession } from '../../shared/call';
import { withholdUnconsented } from '../../shared/consent';
import { handoffWrapUpOf, MAX_NOTE_LENGTH, wrapUpSoFar } from '../../shared/conversation';
import { formatIdentity } from '../../shared/identity';
import type { AuditLog } from '../audit-log';
import { authorizedFetch } from '../authorized-fetch';
import type { CallSessions } from '../call-sessions';
import type { ConfigStore } from '../config-store';
import type { ContextService } from '../context-service';
import { conversationClient } from '../conversation-client';
import {
  type ConversationService,
  createConversationService,
  type SessionArea,
} from '../conversations';
import { type Database, openDatabase } from '../db';
import type { FetchLike } from '../gateway-client';
import type { LiveStream } from '../live-stream';
import { type ExtensionIdentity, requireOwnPage } from '../senders';
import type { BackgroundMessaging } from '../services';
import type { SignIn } from '../sign-in';

export interface ConversationsRegistrationDeps {
  messaging: BackgroundMessaging;
  self: ExtensionIdentity;
  browser: { storage: { session: SessionArea } };
  config: Pick<ConfigStore, 'get'>;
  signIn: Pick<SignIn, 'accessToken'>;
  recentCalls: Promise<Pick<CallSessions, 'get' | 'pickMatch'>>;
  contextService: Pick<ContextService, 'lookup'>;
  liveStream: Pick<LiveStream, 'follow'>;
  auditLog: Pick<AuditLog, 'record'>;
  whoIsLookingUp(): Promise<string>;
  /** The network (tests hand in a loopback gateway's); the agent's OIDC token is added to it. */
  fetch?: FetchLike;
  /** Built here unless a test hands one in. */
  conversations?: ConversationService;
}

const CALL_ID = /^[\w:.-]{1,128}$/;
const CONVERSATION_ID = /^[A-Za-z0-9-]{1,64}$/;

/**
 * Conversations shared by the agents on a call (README, "Conversations"): the sidebar follows
 * its call's conversation, adds notes, shares a pick and hands over; the Live calls page lists
 * the team's calls and listens in. Only our own pages may ask: the data is colleagues' notes and
 * customers' names.
 */
export function registerConversations(deps: ConversationsRegistrationDeps): void {
  const { messaging, self } = deps;
  const base: FetchLike = deps.fetch ?? ((input, init) => fetch(input, init));
  const gatewayConfig = async () => (await deps.config.get()).config;
  // The wrap-up drafts, read when a call is handed on (opened then, not at every wake-up).
  let database: Promise<Database> | undefined;
  const conversations =
    deps.conversations ??
    createConversationService({
      client: conversationClient(gatewayConfig, authorizedFetch(base, gatewayConfig, deps.signIn)),
      sessions: deps.recentCalls,
      storage: deps.browser.storage.session,
      broadcast: (state) => {
        messaging.sendMessage('conversationChanged', state).catch(() => {});
      },
      callChanged: (session: CallSession) => {
        messaging.sendMessage('callChanged', session).catch(() => {});
        // The picked customer's live activity from now on (as a pick in the sidebar does).
        deps.liveStream.follow(null);
        deps.liveStream.follow(session.id);
      },
      wrapUpSoFar: async (callId) => {
        database ??= openDatabase();
        const draft = await (await database).get('wrapUpDrafts', callId);
        return wrapUpSoFar(draft, (await deps.config.get()).config.dispositions);
      },
      lookUp: async (identity) => {
        // A supervisor's look at a caller is a lookup like any other: in the audit list.
        void deps
          .whoIsLookingUp()
          .then((who) =>
            deps.auditLog.record({ who, identity: formatIdentity(identity), reason: 'call' }),
          )
          .catch(() => {});
        return withholdUnconsented(await deps.contextService.lookup(identity));
      },
    });

  messaging.onMessage('followConversation', async ({ data, sender }) => {
    requireOwnPage(sender, self, 'followConversation');
    if (typeof data?.callId !== 'string' || !CALL_ID.test(data.callId)) return null;
    try {
      return await conversations.follow(data.callId);
    } catch (error) {
      // Sharing is best effort: the sidebar shows the caller either way, and asks again.
      console.debug('conversation not followed:', error instanceof Error ? error.message : error);
      return null;
    }
  });

  messaging.onMessage('addConversationNote', async ({ data, sender }) => {
    requireOwnPage(sender, self, 'addConversationNote');
    const text = typeof data?.text === 'string' ? data.text.trim() : '';
    if (typeof data?.callId !== 'string' || !CALL_ID.test(data.callId))
      return { ok: false, error: 'callId is required' };
    if (text === '' || text.length > MAX_NOTE_LENGTH)
      return { ok: false, error: `a note is 1 to ${MAX_NOTE_LENGTH} characters` };
    return conversations.addNote(data.callId, text);
  });

  messaging.onMessage('shareConversationPick', async ({ data, sender }) => {
    requireOwnPage(sender, self, 'shareConversationPick');
    if (typeof data?.callId !== 'string' || !CALL_ID.test(data.callId))
      return { ok: false, error: 'callId is required' };
    if (typeof data.profileId !== 'string' || data.profileId.length > 512)
      return { ok: false, error: 'profileId is required' };
    return conversations.sharePick(data.callId, data.profileId);
  });

  messaging.onMessage('handOverCall', async ({ data, sender }) => {
    requireOwnPage(sender, self, 'handOverCall');
    if (typeof data?.callId !== 'string' || !CALL_ID.test(data.callId))
      return { ok: false, error: 'callId is required' };
    const note = typeof data.note === 'string' ? data.note.trim() : '';
    if (note.length > MAX_NOTE_LENGTH)
      return { ok: false, error: `a handoff note is at most ${MAX_NOTE_LENGTH} characters` };
    const wrapUp = data.wrapUp === undefined ? undefined : handoffWrapUpOf(data.wrapUp);
    if (data.wrapUp !== undefined && !wrapUp) return { ok: false, error: 'wrapUp is not one' };
    return conversations.handOver(data.callId, note, wrapUp);
  });

  messaging.onMessage('getLiveCalls', async ({ sender }) => {
    requireOwnPage(sender, self, 'getLiveCalls');
    return conversations.liveCalls();
  });

  messaging.onMessage('monitorCall', async ({ data, sender }) => {
    requireOwnPage(sender, self, 'monitorCall');
    if (typeof data?.conversationId !== 'string' || !CONVERSATION_ID.test(data.conversationId))
      return { ok: false, error: 'conversationId is required' };
    return conversations.monitor(data.conversationId);
  });
}
