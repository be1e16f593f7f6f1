import { MergeSchemaSet, type MergeSchema } from '../engine/merge/schema.js';
import { isObject } from '../json/value.js';
import type { SchemaCatalog } from '../schemas/catalog.js';

/**
 * Where the diff stands in an object's schema while it walks both sides, to learn which lists
 * hold entries with a natural key. Two sources answer, the first that knows wins: the strategic
 * merge table of the Kustomize engine (core Kubernetes kinds: containers and env by `name`, ports
 * by `containerPort`, …) and the bundled CRD schemas' `x-kubernetes-list-map-keys` (CAPI, CAPZ,
 * Flux). A list neither knows is keyed by `name` when every entry has a distinct one, as dyff does.
 */
export interface SchemaCursor {
  field(name: string): SchemaCursor;
  elements(): SchemaCursor;
  /** The fields naming a list's entries, when a schema says. */
  listKeys(): readonly string[] | undefined;
}

/** Fields that name list entries where no schema says, in the order they are tried. */
const IDENTIFYING_FIELDS = ['name', 'key', 'id'];

/** Resolves cursors for each apiVersion and kind; one per diff run, its schemas read once. */
export class ListKeys {
  private readonly roots = new Map<string, SchemaCursor>();

  constructor(private readonly catalog?: SchemaCatalog) {}

  cursor(apiVersion: string, kind: string): SchemaCursor {
    const k = `${apiVersion}|${kind}`;
    let c = this.roots.get(k);
    if (!c) {
      const merge = MergeSchemaSet.builtin().forType(apiVersion, kind);
      const entry = this.catalog?.lookup(apiVersion, kind);
      const schema = entry?.schema as JsonSchema | undefined;
      c = new Cursor(merge, schema && { node: schema, root: schema });
      this.roots.set(k, c);
    }
    return c;
  }
}

/** The key fields of a list's entries: the schema's, else the first identifying field every entry has a distinct value for. */
export function entryKeys(cursor: SchemaCursor, from: readonly unknown[], to: readonly unknown[]): readonly string[] | undefined {
  const entries = [...from, ...to];
  if (entries.length === 0 || !entries.every(isObject)) return undefined;
  const schemaKeys = cursor.listKeys();
  const candidates: (readonly string[])[] = schemaKeys ? [schemaKeys] : IDENTIFYING_FIELDS.map((f) => [f]);
  for (const keys of candidates) if (distinctOn(from, keys) && distinctOn(to, keys)) return keys;
  return undefined;
}

function distinctOn(list: readonly unknown[], keys: readonly string[]): boolean {
  const seen = new Set<string>();
  for (const e of list) {
    const obj = e as Record<string, unknown>;
    if (!keys.every((k) => typeof obj[k] === 'string' || typeof obj[k] === 'number')) return false;
    const id = keys.map((k) => String(obj[k])).join('\u0000');
    if (seen.has(id)) return false;
    seen.add(id);
  }
  return true;
}

interface JsonSchema {
  $ref?: string;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  allOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  definitions?: Record<string, JsonSchema>;
  'x-kubernetes-list-map-keys'?: string[];
}

interface SchemaAt {
  node: JsonSchema;
  root: JsonSchema;
}

const REF_PREFIX = '#/definitions/';

/** The schema a node stands for: its $ref followed, and the branches of allOf/anyOf/oneOf. */
function branches(at: SchemaAt): JsonSchema[] {
  let node = at.node;
  for (let hops = 0; node.$ref?.startsWith(REF_PREFIX) && hops < 32; hops++) {
    const target = at.root.definitions?.[node.$ref.slice(REF_PREFIX.length)];
    if (!target) return [];
    node = target;
  }
  return [node, ...(node.allOf ?? []), ...(node.anyOf ?? []), ...(node.oneOf ?? [])];
}

function jsonSchemaField(at: SchemaAt | undefined, name: string): SchemaAt | undefined {
  if (!at) return undefined;
  for (const b of branches(at)) {
    const p = b.properties && Object.prototype.hasOwnProperty.call(b.properties, name) ? b.properties[name] : undefined;
    if (p) return { node: p, root: at.root };
  }
  for (const b of branches(at)) if (isObject(b.additionalProperties)) return { node: b.additionalProperties as JsonSchema, root: at.root };
  return undefined;
}

function jsonSchemaItems(at: SchemaAt | undefined): SchemaAt | undefined {
  if (!at) return undefined;
  for (const b of branches(at)) if (b.items) return { node: b.items, root: at.root };
  return undefined;
}

class Cursor implements SchemaCursor {
  constructor(
    private readonly merge: MergeSchema | undefined,
    private readonly json: SchemaAt | undefined,
  ) {}

  field(name: string): SchemaCursor {
    return this.merge || this.json ? new Cursor(this.merge?.field(name), jsonSchemaField(this.json, name)) : NO_SCHEMA;
  }

  elements(): SchemaCursor {
    return this.merge || this.json ? new Cursor(this.merge?.elements(), jsonSchemaItems(this.json)) : NO_SCHEMA;
  }

  listKeys(): readonly string[] | undefined {
    const merge = this.merge?.mergeKeys();
    if (merge && merge.length > 0) return merge;
    if (!this.json) return undefined;
    for (const b of branches(this.json)) if (b['x-kubernetes-list-map-keys']?.length) return b['x-kubernetes-list-map-keys'];
    return undefined;
  }
}

/** Where no schema is known: lists are keyed by their entries' names alone. */
export const NO_SCHEMA: SchemaCursor = {
  field: () => NO_SCHEMA,
  elements: () => NO_SCHEMA,
  listKeys: () => undefined,
};
