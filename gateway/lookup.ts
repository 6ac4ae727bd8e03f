import { parseIdentity } from '../shared/identity';
import { errorText, parseCliArgs } from './cli-args';
import { loadGatewayConfig } from './config';
import { resolveContext } from './context';
import { MemoryLiveBuffer } from './live-buffer';
import { createSources } from './sources/registry';

const USAGE = 'usage: npm run lookup -- [--config FILE] IDENTITY   (e.g. phone:+442079460123)';

/** Prints the CallerContext that GET /v1/context would return; exit 1 if anything failed. */
async function lookup(): Promise<number> {
  const args = parseCliArgs(process.argv.slice(2));
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const [text, ...extra] = args.positionals;
  if (text === undefined || extra.length > 0) {
    console.error(USAGE);
    return 1;
  }
  const identity = parseIdentity(text.trim());
  if (!identity.ok) {
    console.error(`lookup: bad identity "${text}": ${identity.error}`);
    return 1;
  }
  const config = await loadGatewayConfig(args.configFile);
  const sources = createSources(config.sources, {
    live: new MemoryLiveBuffer(),
    baseDir: config.baseDir,
    now: () => new Date(),
  });
  const context = await resolveContext(sources, identity.value, config.sourceTimeoutMs);
  console.log(JSON.stringify(context, null, 2));
  for (const error of context.errors)
    console.error(`lookup: source ${error.source}: ${error.message}`);
  return context.errors.length > 0 ? 1 : 0;
}

lookup().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`lookup: ${errorText(error)}`);
    process.exitCode = 1;
  },
);
