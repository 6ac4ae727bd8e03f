import type { ExtensionConfig } from '../shared/config';
import {
  type CallerSummary,
  type ConversationAnswer,
  type HandoffWrapUp,
  type LiveCallsAnswer,
  parseConversationAnswer,
  parseLiveCalls,
} from '../shared/conversation';
import { createSseParser, type FetchLike, GatewayError } from './gateway-client';

type Gateway = Pick<ExtensionConfig, 'gatewayUrl' | 'gatewayToken'>;

/** A write not answered in this time is reported; the agent may press again (ids make it once). */
const REQUEST_TIMEOUT_MS = 8000;

/**
 * Why the gateway would not share a conversation: the token names no agent (a shared token), or
 * it lacks the supervisor role for "Live calls". Anything else is a GatewayError.
 */
export class ConversationRefused extends Error {
  constructor(
    readonly reason: 'no_agent' | 'not_supervisor' | 'not_found',
    message: string,
  ) {
    super(message);
  }
}

/**
 * The gateway's `/v1/conversations` routes (README, "Conversations"), with the agent's own token.
 * Every answer is checked before it is used: the gateway is ours, the network between is not.
 */
export function conversationClient(gateway: () => Promise<Gateway>, fetchImpl: FetchLike) {
  const request = async (
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    signal?: AbortSignal,
  ): Promise<Response> => {
    const config = await gateway();
    const headers: Record<string, string> = { accept: 'application/json' };
    if (config.gatewayToken) headers.authorization = `Bearer ${config.gatewayToken}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
      response = await fetchImpl(`${config.gatewayUrl}${path}`, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (error) {
      if (error instanceof GatewayError) throw error;
      throw new GatewayError(
        `Cannot reach the gateway at ${config.gatewayUrl}.`,
        undefined,
        false,
        {
          code: 'gatewayUnreachable',
          params: { url: config.gatewayUrl },
        },
      );
    }
    if (response.ok) return response;
    const { code, message } = await errorOf(response);
    if (response.status === 403 && (code === 'no_agent' || code === 'not_supervisor'))
      throw new ConversationRefused(code, `The gateway answered 403 (${code}).`);
    if (response.status === 404)
      throw new ConversationRefused('not_found', 'No such conversation.');
    if (response.status === 401 || response.status === 403)
      throw new GatewayError('The gateway refused our sign-in.', undefined, false, {
        code: 'gatewayRefused',
      });
    // Its own words where it gave them: a limit says when to try again.
    const status = String(response.status);
    throw message
      ? new GatewayError(`The gateway answered ${status}: ${message}.`, undefined, false, {
          code: 'gatewayStatusDetail',
          params: { status, detail: message },
        })
      : new GatewayError(`The gateway answered ${status}.`, undefined, false, {
          code: 'gatewayStatus',
          params: { status },
        });
  };

  const answer = async (response: Response): Promise<ConversationAnswer> => {
    const parsed = parseConversationAnswer(await response.json().catch(() => null));
    if (parsed instanceof Error)
      throw new GatewayError('The gateway sent an unexpected response.', undefined, false, {
        code: 'gatewayUnexpected',
      });
    return parsed;
  };

  const path = (id: string, action = '') => `/v1/conversations/${encodeURIComponent(id)}${action}`;

  return {
    async join(call: {
      callId?: string;
      identity?: string;
      summary?: Omit<CallerSummary, 'at'>;
    }): Promise<ConversationAnswer> {
      return answer(await request('POST', '/v1/conversations', call));
    },

    async get(id: string): Promise<ConversationAnswer> {
      return answer(await request('GET', path(id)));
    },

    async monitor(id: string): Promise<ConversationAnswer> {
      return answer(await request('POST', path(id, '/monitor'), {}));
    },

    /** The call ended: what the agent had typed of the wrap-up goes on to the next agent. */
    async leave(id: string, wrapUp?: HandoffWrapUp): Promise<ConversationAnswer> {
      return answer(await request('POST', path(id, '/leave'), wrapUp ? { wrapUp } : {}));
    },

    async addNote(id: string, note: { id: string; text: string }): Promise<void> {
      await request('POST', path(id, '/notes'), note);
    },

    async pick(id: string, picked: { profileId: string; name?: string }): Promise<void> {
      await request('POST', path(id, '/pick'), picked);
    },

    async handOver(id: string, handoff: { note: string; wrapUp?: HandoffWrapUp }): Promise<void> {
      await request('POST', path(id, '/handover'), handoff);
    },

    async live(): Promise<LiveCallsAnswer> {
      const response = await request('GET', '/v1/conversations/live');
      const parsed = parseLiveCalls(await response.json().catch(() => null));
      if (parsed instanceof Error)
        throw new GatewayError('The gateway sent an unexpected response.', undefined, false, {
          code: 'gatewayUnexpected',
        });
      return parsed;
    },

    /**
     * Follows `GET /v1/conversations/:id/events`: the conversation now, then after every change.
     * Resolves when the gateway ends the stream (`gone`: the conversation expired) or `signal`
     * aborts; throws when it cannot be opened. `onAlive` hears heartbeats too.
     */
    async follow(
      id: string,
      onAnswer: (answer: ConversationAnswer) => void,
      signal: AbortSignal,
      onAlive: () => void = () => {},
    ): Promise<'ended' | 'gone'> {
      const config = await gateway();
      const headers: Record<string, string> = { accept: 'text/event-stream' };
      if (config.gatewayToken) headers.authorization = `Bearer ${config.gatewayToken}`;
      let response: Response;
      try {
        response = await fetchImpl(`${config.gatewayUrl}${path(id, '/events')}`, {
          headers,
          signal,
        });
      } catch (error) {
        if (signal.aborted) return 'ended';
        if (error instanceof GatewayError) throw error;
        throw new GatewayError(`Cannot reach the gateway at ${config.gatewayUrl}.`);
      }
      if (response.status === 404) return 'gone';
      if (!response.ok || !response.body)
        throw new GatewayError(`The gateway answered ${response.status} to the notes stream.`);
      let gone = false;
      // The gateway marks the end of an expired conversation with an `event: gone` message,
      // whose data is `{}`: it parses as no answer, and the stream then ends.
      const feed = createSseParser((data) => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(data);
        } catch {
          return;
        }
        const checked = parseConversationAnswer(parsed);
        if (checked instanceof Error) {
          gone = true;
          return;
        }
        onAnswer(checked);
      });
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return gone ? 'gone' : 'ended';
          onAlive();
          feed(value);
        }
      } catch (error) {
        if (signal.aborted) return 'ended';
        throw error instanceof GatewayError
          ? error
          : new GatewayError('The notes stream broke off.');
      } finally {
        reader.releaseLock();
      }
    },
  };
}

export type ConversationClient = ReturnType<typeof conversationClient>;

/** The code and message of the gateway's error body (`{ error: { code, message } }`), if any. */
async function errorOf(response: Response): Promise<{ code?: string; message?: string }> {
  try {
    const body = (await response.json()) as { error?: { code?: unknown; message?: unknown } };
    const { code, message } = body.error ?? {};
    return {
      ...(typeof code === 'string' ? { code } : {}),
      ...(typeof message === 'string' ? { message: message.slice(0, 200) } : {}),
    };
  } catch {
    return {};
  }
}
