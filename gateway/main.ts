import { errorText, parseCliArgs } from './cli-args';
import { loadGatewayConfig } from './config';
import { consoleLogger } from './request-log';
import { startGateway } from './server';

const USAGE = 'usage: npm run gateway -- [--config FILE]   (default: demo/gateway.config.json)';

async function main(): Promise<number> {
  const args = parseCliArgs(process.argv.slice(2));
  if (args.help || args.positionals.length > 0) {
    (args.help ? console.log : console.error)(USAGE);
    return args.help ? 0 : 1;
  }
  const config = await loadGatewayConfig(args.configFile);
  const running = await startGateway(config);
  consoleLogger.info(`Caller Context gateway listening on ${running.url}`, {
    url: running.url,
    store: config.store.type,
    pid: process.pid,
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      running.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
  return 0;
}

main().then(
  (code) => {
    if (code !== 0) process.exitCode = code;
  },
  (error: unknown) => {
    const code = (error as NodeJS.ErrnoException).code;
    const hint = code === 'EADDRINUSE' ? ' (is it running already? listen.port picks another)' : '';
    const text = `${errorText(error)}${hint}`;
    console.error(`gateway: ${text}`);
    process.exitCode = 1;
  },
);
