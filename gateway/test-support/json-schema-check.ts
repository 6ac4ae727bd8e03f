/**
 * A small JSON Schema (draft-06) checker for the keywords Adobe's XDM schemas use: `$ref` (to
 * another schema's `$id`, with a JSON pointer), `allOf`/`anyOf`/`oneOf`, `type`, `properties`,
 * `patternProperties`, `additionalProperties`, `required`, `items`, `enum`, `const`, `minimum`,
 * `format` (date-time, date). Keywords it does not know (`meta:*`, `title`) are annotations.
 * Tests use it to hold our XDM output to Adobe's published schema.
 */
export type Schema = Record<string, unknown> | boolean;

export class SchemaSet {
  readonly #byId = new Map<string, Record<string, unknown>>();

  add(schema: Record<string, unknown>): this {
    const id = schema.$id;
    if (typeof id !== 'string') throw new Error('a schema needs an $id');
    this.#byId.set(id, schema);
    return this;
  }

  /** Problems with `value` against the schema with this `$id`; empty when it conforms. */
  validate(id: string, value: unknown): string[] {
    const root = this.#byId.get(id);
    if (!root) throw new Error(`no schema ${id}`);
    return this.#check(root, root, value, '');
  }

  #resolve(ref: string, doc: Record<string, unknown>): [Schema, Record<string, unknown>] {
    const [base, pointer = ''] = ref.split('#');
    const target = base ? this.#byId.get(base) : doc;
    if (!target) throw new Error(`unresolved $ref ${ref}`);
    let node: unknown = target;
    for (const part of pointer.split('/').filter(Boolean)) {
      node = (node as Record<string, unknown>)[
        decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~')
      ];
      if (node === undefined) throw new Error(`unresolved $ref ${ref}`);
    }
    return [node as Schema, target];
  }

  #check(schema: Schema, doc: Record<string, unknown>, value: unknown, at: string): string[] {
    if (schema === true) return [];
    if (schema === false) return [`${at || '/'}: not allowed`];
    const problems: string[] = [];
    const where = at || '/';
    if (typeof schema.$ref === 'string') {
      const [target, targetDoc] = this.#resolve(schema.$ref, doc);
      problems.push(...this.#check(target, targetDoc, value, at));
    }
    for (const sub of (schema.allOf as Schema[] | undefined) ?? [])
      problems.push(...this.#check(sub, doc, value, at));
    if (
      Array.isArray(schema.anyOf) &&
      !schema.anyOf.some((s: Schema) => this.#check(s, doc, value, at).length === 0)
    )
      problems.push(`${where}: matches none of anyOf`);
    if (Array.isArray(schema.oneOf)) {
      const passing = schema.oneOf.filter(
        (s: Schema) => this.#check(s, doc, value, at).length === 0,
      ).length;
      if (passing !== 1) problems.push(`${where}: matches ${passing} of oneOf, not exactly 1`);
    }
    if (typeof schema.type === 'string' && !hasType(value, schema.type))
      return [...problems, `${where}: must be ${schema.type}`];
    if (Array.isArray(schema.enum) && !schema.enum.includes(value))
      problems.push(`${where}: must be one of ${schema.enum.join(', ')}`);
    if ('const' in schema && schema.const !== value)
      problems.push(`${where}: must be ${String(schema.const)}`);
    if (typeof schema.minimum === 'number' && typeof value === 'number' && value < schema.minimum)
      problems.push(`${where}: must be at least ${schema.minimum}`);
    if (
      typeof value === 'string' &&
      typeof schema.format === 'string' &&
      !hasFormat(value, schema.format)
    )
      problems.push(`${where}: must be a ${schema.format}`);
    if (Array.isArray(value) && schema.items && typeof schema.items === 'object')
      value.forEach((item, i) => {
        problems.push(...this.#check(schema.items as Schema, doc, item, `${at}/${i}`));
      });
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const record = value as Record<string, unknown>;
      for (const key of (schema.required as string[] | undefined) ?? [])
        if (!(key in record)) problems.push(`${where}: needs "${key}"`);
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      const patterns = Object.entries((schema.patternProperties ?? {}) as Record<string, Schema>);
      for (const [key, item] of Object.entries(record)) {
        let matched = false;
        if (key in properties) {
          matched = true;
          problems.push(...this.#check(properties[key] as Schema, doc, item, `${at}/${key}`));
        }
        for (const [pattern, sub] of patterns)
          if (new RegExp(pattern, 'u').test(key)) {
            matched = true;
            problems.push(...this.#check(sub, doc, item, `${at}/${key}`));
          }
        if (!matched && schema.additionalProperties !== undefined)
          problems.push(
            ...this.#check(schema.additionalProperties as Schema, doc, item, `${at}/${key}`),
          );
      }
    }
    return problems;
  }
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'null':
      return value === null;
    default:
      return typeof value === type;
  }
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function hasFormat(value: string, format: string): boolean {
  if (format === 'date-time') return DATE_TIME.test(value) && !Number.isNaN(Date.parse(value));
  if (format === 'date') return /^\d{4}-\d{2}-\d{2}$/.test(value);
  return true;
}

/**
 * Experience Platform's short notation (what ingestion takes) in XDM's full notation (what the
 * published schemas describe): `_id` is `@id`; standard fields get the `xdm:` prefix; a tenant's
 * `_<tenant>` object sits under its namespace URI. Keys of a map (identityMap's namespaces) stay.
 * https://experienceleague.adobe.com/en/docs/experience-platform/xdm/api/appendix#compatibility
 */
export function toFullNotation(value: unknown, tenant: string, isMap = false): unknown {
  if (Array.isArray(value)) return value.map((item) => toFullNotation(item, tenant));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (isMap) {
      out[key] = toFullNotation(item, tenant);
    } else if (key === '_id') {
      out['@id'] = item;
    } else if (key === `_${tenant}`) {
      out[`https://ns.adobe.com/${tenant}`] = item;
    } else {
      out[`xdm:${key}`] = toFullNotation(item, tenant, key === 'identityMap');
    }
  }
  return out;
}
