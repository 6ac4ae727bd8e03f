import type { ActivityEvent, Case, Match, Profile } from '../model';
import {
  type Connector,
  type ConnectorConfig,
  type ConnectorConfigProblem,
  type ConnectorDeps,
  type ConnectorType,
  caseOf,
  configChecks,
  requireSecret,
  stringOf,
} from './connector';
import { at, ConnectorError, isObject, isoTime, num, requestJson, str } from './http';

/**
 * Any in-house JSON endpoint, described by the admin: a URL template, where the list of customers
 * sits in the answer, and which field of each holds what the model needs (dotted paths).
 */
const PLATFORM = 'REST source';

const PROFILE_FIELDS = [
  'id',
  'displayName',
  'firstName',
  'lastName',
  'emails',
  'phones',
  'ownerName',
  'updatedAt',
  'url',
] as const;
const ACTIVITY_FIELDS = ['id', 'at', 'type', 'title', 'url', 'value', 'currency'] as const;
const CASE_FIELDS = ['id', 'title', 'number', 'status', 'createdAt', 'url'] as const;

export const restConnectorType: ConnectorType = {
  platform: PLATFORM,
  keys: ['url', 'tokenEnv', 'list', 'map', 'activity', 'cases'],
  check(config) {
    const problems: ConnectorConfigProblem[] = [];
    const url = config.url;
    if (typeof url !== 'string' || !url.includes('{value}') || !/^https?:\/\//.test(url))
      problems.push({
        key: 'url',
        message: 'is required: an http(s) URL with {value} (and optionally {namespace}) in it',
      });
    problems.push(
      ...configChecks.optionalString(config, 'tokenEnv', 'an environment variable name'),
    );
    problems.push(...configChecks.optionalString(config, 'list', 'a dotted path to the list'));
    problems.push(...checkMap(config.map, 'map', PROFILE_FIELDS, true));
    for (const part of ['activity', 'cases'] as const) {
      const section = config[part];
      if (section === undefined) continue;
      if (!isObject(section) || typeof section.list !== 'string') {
        problems.push({ key: part, message: 'must be { "list": "path", "map": { ... } }' });
        continue;
      }
      problems.push(
        ...checkMap(
          section.map,
          `${part}.map`,
          part === 'activity' ? ACTIVITY_FIELDS : CASE_FIELDS,
          false,
        ),
      );
    }
    return problems;
  },
  create(config, deps) {
    return createRestConnector(config, deps);
  },
};

function checkMap(
  value: unknown,
  key: string,
  fields: readonly string[],
  needsId: boolean,
): ConnectorConfigProblem[] {
  if (!isObject(value))
    return [{ key, message: `must map fields (${fields.join(', ')}) to paths` }];
  const problems: ConnectorConfigProblem[] = [];
  if (needsId && typeof value.id !== 'string')
    problems.push({ key: `${key}.id`, message: 'is required: the path of the record id' });
  for (const [field, path] of Object.entries(value)) {
    if (field === 'attributes') {
      if (!isObject(path) || Object.values(path).some((p) => typeof p !== 'string'))
        problems.push({ key: `${key}.attributes`, message: 'must map names to paths' });
      continue;
    }
    if (!fields.includes(field))
      problems.push({
        key: `${key}.${field}`,
        message: `unknown field (expected ${fields.join(', ')})`,
      });
    else if (typeof path !== 'string' || path === '')
      problems.push({ key: `${key}.${field}`, message: 'must be a dotted path' });
  }
  return problems;
}

type FieldMap = Record<string, unknown>;

export function createRestConnector(config: ConnectorConfig, deps: ConnectorDeps): Connector {
  const template = stringOf(config, 'url', '');
  const map = (isObject(config.map) ? config.map : {}) as FieldMap;
  return {
    id: config.id,
    async lookup(identity, signal) {
      const url = template
        .replaceAll('{namespace}', encodeURIComponent(identity.namespace))
        .replaceAll('{value}', encodeURIComponent(identity.value));
      const headers: Record<string, string> = {};
      if (typeof config.tokenEnv === 'string')
        headers.authorization = `Bearer ${requireSecret(deps, config, 'token')}`;
      const { status, body } = await requestJson(deps.fetch, {
        platform: `${PLATFORM} ${config.id}`,
        url,
        headers,
        signal,
        accept: [404],
      });
      if (status === 404 || body === undefined) return [];
      const listPath = stringOf(config, 'list');
      const listed = listPath ? at(body, listPath) : body;
      const records = Array.isArray(listed) ? listed : isObject(listed) ? [listed] : undefined;
      if (!records)
        throw new ConnectorError(
          `${PLATFORM} ${config.id}: the answer has no list at "${listPath ?? '(top level)'}"`,
        );
      return records.filter(isObject).map(
        (record): Match => ({
          profile: toProfile(config.id, record, map),
          activity: section(config.activity, record, (item, fields) =>
            toActivity(config.id, item, fields),
          ).sort((a, b) => Date.parse(b.at) - Date.parse(a.at)),
          cases: section(config.cases, record, toCase).sort(
            (a, b) => (Date.parse(b.createdAt ?? '') || 0) - (Date.parse(a.createdAt ?? '') || 0),
          ),
        }),
      );
    },
  };
}

function section<T>(
  spec: unknown,
  record: Record<string, unknown>,
  build: (item: Record<string, unknown>, fields: FieldMap) => T | undefined,
): T[] {
  if (!isObject(spec) || typeof spec.list !== 'string' || !isObject(spec.map)) return [];
  const items = at(record, spec.list);
  const fields = spec.map;
  return (Array.isArray(items) ? items : [])
    .filter(isObject)
    .map((item) => build(item, fields))
    .filter((built): built is T => built !== undefined);
}

const pick = (record: unknown, fields: FieldMap, field: string): unknown =>
  typeof fields[field] === 'string' ? at(record, fields[field] as string) : undefined;

function strings(value: unknown): string[] | undefined {
  const list = (Array.isArray(value) ? value : [value]).map(str).filter((s) => s !== undefined);
  return list.length > 0 ? (list as string[]) : undefined;
}

function toProfile(source: string, record: Record<string, unknown>, fields: FieldMap): Profile {
  const id = str(pick(record, fields, 'id'));
  if (!id)
    throw new ConnectorError(`${PLATFORM} ${source}: a record has no id at "${String(fields.id)}"`);
  const profile: Profile = { id, source, attributes: {} };
  for (const field of ['displayName', 'firstName', 'lastName', 'url'] as const) {
    const value = str(pick(record, fields, field));
    if (value) profile[field] = value;
  }
  const emails = strings(pick(record, fields, 'emails'))?.map((e) => e.toLowerCase());
  if (emails) profile.emails = emails;
  const phones = strings(pick(record, fields, 'phones'));
  if (phones) profile.phones = phones;
  const owner = str(pick(record, fields, 'ownerName'));
  if (owner) profile.owner = { name: owner };
  const updatedAt = isoTime(pick(record, fields, 'updatedAt'));
  if (updatedAt) profile.updatedAt = updatedAt;
  if (isObject(fields.attributes))
    for (const [name, path] of Object.entries(fields.attributes)) {
      const value = typeof path === 'string' ? at(record, path) : undefined;
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
        profile.attributes[name] = value;
    }
  return profile;
}

function toActivity(source: string, item: unknown, fields: FieldMap): ActivityEvent | undefined {
  const id = str(pick(item, fields, 'id'));
  const when = isoTime(pick(item, fields, 'at'));
  if (!id || !when) return undefined;
  const event: ActivityEvent = {
    id,
    at: when,
    type: str(pick(item, fields, 'type')) ?? 'event',
    source,
  };
  const title = str(pick(item, fields, 'title'));
  if (title) event.title = title;
  const url = str(pick(item, fields, 'url'));
  if (url) event.url = url;
  const value = num(pick(item, fields, 'value'));
  if (value !== undefined) event.value = value;
  const currency = str(pick(item, fields, 'currency'));
  if (currency) event.currency = currency;
  return event;
}

function toCase(item: unknown, fields: FieldMap): Case | undefined {
  const id = str(pick(item, fields, 'id'));
  if (!id) return undefined;
  const value = (field: string) => pick(item, fields, field);
  const values = {
    title: value('title'),
    number: value('number'),
    status: value('status'),
    createdAt: value('createdAt'),
    url: value('url'),
  };
  return caseOf(id, values, '(no title)');
}
