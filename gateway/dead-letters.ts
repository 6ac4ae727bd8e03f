import { errorText, parseCliArgs } from './cli-args';
import { loadGatewayConfig } from './config';
import { DELIVERY_QUEUE, type DeliveryJob } from './event-store';
import type { DeadJob, DurableQueue } from './store/store';
import { createStore } from './store/store-config';

const USAGE = `usage: npm run dead-letters -- --config FILE [list | replay [JOB_ID ...]]
  list     after-call deliveries that failed for good (one JSON object a line)
  replay   puts them (all, or the jobs named) back in the queue; the gateway delivers them again`;

/** A dead delivery as an operator reads it: which event, which sink, why. */
export function describeDeadJob(job: DeadJob) {
  let event: string | undefined;
  let sink: string | undefined;
  try {
    const payload = JSON.parse(job.payload) as DeliveryJob;
    event = payload.event.id;
    sink = payload.sink;
  } catch {
    // An unreadable job is listed by its id alone.
  }
  return {
    job: job.id,
    event,
    sink,
    attempts: job.attempts,
    reason: job.reason,
    diedAt: new Date(job.diedAt).toISOString(),
  };
}

export async function runDeadLetters(
  queue: DurableQueue,
  command: string,
  ids: string[],
  print: (line: string) => void,
): Promise<void> {
  if (command === 'list') {
    for (const job of await queue.dead()) print(JSON.stringify(describeDeadJob(job)));
    return;
  }
  const moved = await queue.replay(ids.length > 0 ? ids : undefined);
  print(`${moved} deliver${moved === 1 ? 'y' : 'ies'} back in the queue`);
}

async function main(): Promise<number> {
  const args = parseCliArgs(process.argv.slice(2));
  const [command = 'list', ...ids] = args.positionals;
  if (args.help || !['list', 'replay'].includes(command) || (command === 'list' && ids.length)) {
    (args.help ? console.log : console.error)(USAGE);
    return args.help ? 0 : 1;
  }
  const config = await loadGatewayConfig(args.configFile);
  if (config.store.type !== 'redis') {
    console.error(
      'dead-letters: the memory store lives inside the gateway process; only a shared store (redis) can be read from here',
    );
    return 1;
  }
  const store = createStore(config.store);
  try {
    await store.ready(5000);
    await runDeadLetters(store.queue(DELIVERY_QUEUE), command, ids, (line) => console.log(line));
    return 0;
  } finally {
    await store.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(`dead-letters: ${errorText(error)}`);
      process.exitCode = 1;
    },
  );
}
