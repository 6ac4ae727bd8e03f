import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatIdentity } from '../../shared/identity';
import type {
  ActivityEvent,
  Case,
  ContactEvent,
  Identity,
  Match,
  Profile,
} from '../../shared/model';
import { isNewerThan, newestFirst } from '../activity-order';
import type { LiveBuffer } from '../live-buffer';
import { profileIdentities } from '../profile-identities';
import { readSeedFile, type SeedCustomer } from './demo-seed';
import type { Source, SourceConfig, SourceType } from './source';

export const DEFAULT_SEED_FILE = fileURLToPath(
  new URL('../../demo/seed/customers.json', import.meta.url),
);

/** The agent sees a bounded list; the sidebar has no use for a customer's whole history. */
const MAX_ACTIVITY = 50;

export interface DemoSourceOptions {
  id: string;
  customers: SeedCustomer[];
  live: LiveBuffer;
  /** Seeded `minutesAgo` count back from this moment. */
  createdAt: Date;
}

interface DemoCustomer {
  profile: Profile;
  cases: Case[];
  seededActivity: ActivityEvent[];
  contacts: ContactEvent[];
  identities: Identity[];
}

/**
 * Profiles from the seed file, found by `phone:`, `email:` and `demo:<profile id>`, with web
 * activity that is partly seeded and partly collected live, so the demo looks alive.
 */
export function createDemoSource(options: DemoSourceOptions): Source {
  const { id, live } = options;
  const customers = options.customers.map((seed) => toDemoCustomer(id, seed, options.createdAt));
  const byIdentity = indexByIdentity(customers);

  const find = (identity: Identity) => byIdentity.get(formatIdentity(identity)) ?? [];

  async function activityOf(matched: DemoCustomer[], since?: Date): Promise<ActivityEvent[]> {
    // The store down or slow costs the live part only: the seeded profile still answers.
    const collected = await live
      .since(
        matched.flatMap((customer) => customer.identities),
        since,
      )
      .catch(() => []);
    const seeded = matched.flatMap((customer) => customer.seededActivity);
    return newestFirst(
      [...collected, ...seeded.filter((event) => isNewerThan(event, since))],
      MAX_ACTIVITY,
    );
  }

  return {
    id,
    async lookup(identity, signal) {
      signal.throwIfAborted();
      return Promise.all(
        find(identity).map(
          async (customer): Promise<Match> => ({
            profile: customer.profile,
            activity: await activityOf([customer]),
            cases: customer.cases,
            ...(customer.contacts.length > 0 ? { contacts: customer.contacts } : {}),
          }),
        ),
      );
    },
    async activity(identity, since, signal) {
      signal.throwIfAborted();
      const matched = find(identity);
      return matched.length === 0 ? [] : activityOf(matched, since);
    },
  };
}

function toDemoCustomer(sourceId: string, seed: SeedCustomer, createdAt: Date): DemoCustomer {
  const profile: Profile = { ...seed.profile, source: sourceId };
  const seededActivity = seed.activity.map(
    ({ minutesAgo, ...event }, eventIndex): ActivityEvent => ({
      ...event,
      // Stable across restarts, so a client's cache and de-duplication keep working.
      id: `${sourceId}-${profile.id}-${eventIndex}`,
      at: new Date(createdAt.getTime() - minutesAgo * 60_000).toISOString(),
      source: sourceId,
    }),
  );
  const contacts = seed.contacts
    .map(
      ({ minutesAgo, ...contact }, index): ContactEvent => ({
        ...contact,
        // Stable across restarts, like the seeded activity's ids.
        id: `${sourceId}-${profile.id}-contact-${index}`,
        at: new Date(createdAt.getTime() - minutesAgo * 60_000).toISOString(),
        source: sourceId,
      }),
    )
    .sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
  const cases = [...seed.cases].sort(
    (a, b) => (Date.parse(b.createdAt ?? '') || 0) - (Date.parse(a.createdAt ?? '') || 0),
  );
  return {
    profile,
    cases,
    seededActivity: newestFirst(seededActivity),
    contacts,
    identities: profileIdentities(profile),
  };
}

function indexByIdentity(customers: DemoCustomer[]): Map<string, DemoCustomer[]> {
  const index = new Map<string, DemoCustomer[]>();
  for (const customer of customers) {
    const keys = [
      ...customer.identities.map(formatIdentity),
      formatIdentity({ namespace: 'demo', value: customer.profile.id }),
    ];
    for (const key of new Set(keys)) index.set(key, [...(index.get(key) ?? []), customer]);
  }
  return index;
}

export const demoSourceType: SourceType = {
  keys: ['seedFile'],
  check(config: SourceConfig) {
    const { seedFile } = config;
    if (seedFile !== undefined && (typeof seedFile !== 'string' || seedFile.trim() === ''))
      return [{ key: 'seedFile', message: 'must be the path of a seed JSON file' }];
    return [];
  },
  create(config, context) {
    const seedFile =
      typeof config.seedFile === 'string'
        ? path.resolve(context.baseDir, config.seedFile)
        : DEFAULT_SEED_FILE;
    return createDemoSource({
      id: config.id,
      customers: readSeedFile(seedFile),
      live: context.live,
      createdAt: context.now(),
    });
  },
};
