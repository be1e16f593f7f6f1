/**
 * The parts of an OpenAPI v2 document that kyaml's strategic merge consults. kyaml only asks a
 * schema four things: does it exist at a path, what is the schema of a field (properties, else
 * additionalProperties), what is the schema of a list's elements, and does a list merge
 * (x-kubernetes-patch-strategy contains "merge") and by which keys (x-kubernetes-list-map-keys,
 * else x-kubernetes-patch-merge-key). A table keeps exactly that:
 *
 *   node := 0                      a schema without fields or elements (string, int-or-string, RawExtension...)
 *         | "<definition name>"    a reference into `definitions`
 *         | {"p": {field: node}}   an object with properties (plus "a" when it also has additionalProperties)
 *         | {"a": node}            a map: every field has the same schema
 *         | {"i": node, "m": [keys]}  a list; "m" only when it merges (empty keys: a set of scalars)
 *
 * Only definitions reachable from a kind (x-kubernetes-group-version-kind) are kept; references to
 * definitions that are plain scalars are inlined as 0. Output is sorted, so it is reproducible.
 */
export type MergeNode = 0 | string | { p?: Record<string, MergeNode>; a?: MergeNode; i?: MergeNode; m?: string[] };

export interface MergeTable {
  /** `<apiVersion>|<kind>` → schema */
  kinds: Record<string, MergeNode>;
  definitions: Record<string, MergeNode>;
}

type OpenApiSchema = Record<string, unknown> & {
  $ref?: string;
  type?: string;
  items?: OpenApiSchema;
  properties?: Record<string, OpenApiSchema>;
  additionalProperties?: OpenApiSchema | boolean;
};

const REF_PREFIX = '#/definitions/';

/**
 * Builds the merge table of an OpenAPI v2 `definitions` object. With `alongside` (a table the
 * document is loaded next to, as kyaml does when it already holds the built-in schema), references
 * the document lacks resolve there, and that table's kinds and definitions win over the document's.
 */
export function buildMergeTable(defs: Record<string, OpenApiSchema>, alongside?: MergeTable): MergeTable {
  const has = (o: object, name: string): boolean => Object.prototype.hasOwnProperty.call(o, name);
  /** The definition a reference names in the document; undefined when the document lacks it. */
  const refName = (ref: string): string | undefined => {
    const name = ref.slice(REF_PREFIX.length);
    return ref.startsWith(REF_PREFIX) && has(defs, name) ? name : undefined;
  };
  const isLeaf = (s: OpenApiSchema): boolean => !s.properties && !s.additionalProperties && !s.items && !s.$ref;
  const reachable = new Set<string>();
  const pending: string[] = [];

  const convert = (schema: OpenApiSchema): MergeNode => {
    if (schema.$ref) {
      const name = refName(schema.$ref);
      if (name === undefined) {
        const other = schema.$ref.slice(REF_PREFIX.length);
        // kyaml keeps an unresolvable reference as a schema that knows no fields
        return alongside && has(alongside.definitions, other) ? other : 0;
      }
      if (isLeaf(defs[name]!)) return 0;
      if (!reachable.has(name)) {
        reachable.add(name);
        pending.push(name);
      }
      return name;
    }
    if (schema.type === 'array') {
      if (!schema.items) return 0;
      const node: { i: MergeNode; m?: string[] } = { i: convert(schema.items) };
      const strategies = String(schema['x-kubernetes-patch-strategy'] ?? '').split(',');
      if (strategies.includes('merge')) {
        const mapKeys = schema['x-kubernetes-list-map-keys'] as string[] | undefined;
        const mergeKey = schema['x-kubernetes-patch-merge-key'] as string | undefined;
        node.m = mapKeys ?? (mergeKey !== undefined ? [mergeKey] : []);
      }
      return node;
    }
    const node: { p?: Record<string, MergeNode>; a?: MergeNode } = {};
    if (schema.properties) {
      node.p = {};
      for (const field of Object.keys(schema.properties).sort()) node.p[field] = convert(schema.properties[field]!);
    }
    if (schema.additionalProperties && typeof schema.additionalProperties === 'object') node.a = convert(schema.additionalProperties);
    if (!node.p && node.a === undefined) return 0;
    return node;
  };

  const kinds: Record<string, MergeNode> = {};
  for (const name of Object.keys(defs).sort()) {
    const gvks = (defs[name]!['x-kubernetes-group-version-kind'] ?? []) as { group?: string; version: string; kind: string }[];
    for (const gvk of gvks) {
      const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
      kinds[`${apiVersion}|${gvk.kind}`] = convert({ $ref: REF_PREFIX + name });
    }
  }
  const definitions: Record<string, MergeNode> = {};
  while (pending.length > 0) {
    const name = pending.shift()!;
    const { $ref: _ignored, ...rest } = defs[name]!;
    definitions[name] = convert(rest);
  }
  const sorted = <T>(o: Record<string, T>): Record<string, T> => Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]!]));
  if (alongside) return { kinds: sorted({ ...kinds, ...alongside.kinds }), definitions: sorted({ ...definitions, ...alongside.definitions }) };
  return { kinds: sorted(kinds), definitions: sorted(definitions) };
}
