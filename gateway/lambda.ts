import { handle, type LambdaContext, type LambdaEvent } from 'hono/aws-lambda';
import { createGateway, type Gateway } from './app';
import { loadGatewayConfig } from './config';

/**
 * The gateway as an AWS Lambda function (API Gateway HTTP API or a function URL). The config
 * file is named by `CALLER_CONTEXT_CONFIG` and read once per cold start; secrets come from the
 * environment as in any other runtime. The in-memory live buffer is per instance: with several
 * instances, web events collected by one are not seen by another.
 */
let booting: Promise<Gateway> | undefined;

function gateway(): Promise<Gateway> {
  booting ??= loadGatewayConfig(process.env.CALLER_CONTEXT_CONFIG ?? 'gateway.config.json').then(
    (config) => createGateway(config),
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
