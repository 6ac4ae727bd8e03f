import { readFileSync } from 'node:fs';
import type { FetchLike } from '../shared/connectors/http';

/**
 * Test support: the vendors' documented examples kept in `shared/connectors/fixtures/`, and a
 * `fetch` that answers from them while recording what the connector asked. Node only (it reads
 * files); never bundled.
 */
export interface Fixture {
  $source: string;
  status?: number;
  response: unknown;
}

export function fixture(name: string): Fixture {
  const file = new URL(`../shared/connectors/fixtures/${name}.json`, import.meta.url);
  return JSON.parse(readFileSync(file, 'utf8')) as Fixture;
}

export interface RecordedRequest {
  url: URL;
  method: string;
  headers: Headers;
  body: string | undefined;
}

export type Reply =
  | Fixture
  | { status: number; response?: unknown; text?: string; headers?: Record<string, string> };

/** A fetch that hands each request to `route` and answers with what it returns. */
export function replayFetch(route: (request: RecordedRequest) => Reply): {
  fetch: FetchLike;
  requests: RecordedRequest[];
} {
  const requests: RecordedRequest[] = [];
  const fetch: FetchLike = async (input, init) => {
    init?.signal?.throwIfAborted();
    const request: RecordedRequest = {
      url: new URL(input),
      method: init?.method ?? 'GET',
      headers: new Headers(init?.headers),
      body: typeof init?.body === 'string' ? init.body : undefined,
    };
    requests.push(request);
    const reply = route(request);
    const text =
      'text' in reply && reply.text !== undefined ? reply.text : JSON.stringify(reply.response);
    return new Response(text, {
      status: reply.status ?? 200,
      headers: { 'content-type': 'application/json', ...('headers' in reply ? reply.headers : {}) },
    });
  };
  return { fetch, requests };
}
