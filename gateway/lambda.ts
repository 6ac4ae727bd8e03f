import { getConnInfo, handle, type LambdaContext, type LambdaEvent } from 'hono/aws-lambda';
import { createGateway, type Gateway } from './app';
import { loadGatewayConfig } from './config';

/**
 * The gateway as an AWS Lambda function (API Gateway HTTP API or a function URL). The config
 * file is named by `CALLER_CONTEXT_CONFIG` and read once per cold start; secrets come from the
 * environment as in any other runtime. With `"store": { "type": "redis" }` every instance shares
 * the live buffer, the after-call ledger and its delivery queue; with the memory store each
 * instance has its own (docs/deploy.md, "AWS Lambda"). Nothing runs between invocations, so
 * after-call deliveries run in `deliver`, invoked on a schedule (or by a long-running replica).
 */
let booting: Promise<Gateway> | undefined;

function gateway(): Promise<Gateway> {
  booting ??= loadGatewayConfig(process.env.CALLER_CONTEXT_CONFIG ?? 'gateway.config.json').then(
    async (config) => {
      const created = createGateway(config, {
        peerAddress: (c) => getConnInfo(c).remote.address,
        deliverInBackground: false,
      });
      // A cold start waits for its store (up to 5 s) instead of refusing its first writes.
      await created.store.ready(5000).catch(() => undefined);
      return created;
    },
  );
  // A failed start is retried on the next request instead of failing every request after it.
  booting.catch(() => {
    booting = undefined;
  });
  return booting;
}

export async function handler(event: LambdaEvent, context: LambdaContext) {
  const { app } = await gateway();
  return handle(app)(event, context);
}

/** For a scheduled invocation (EventBridge, every minute): delivers every queued event due now. */
export async function deliver(): Promise<{ delivered: number }> {
  const { delivery } = await gateway();
  return { delivered: await delivery.drain() };
}
