#!/usr/bin/env node
/**
 * Derives the strategic-merge schema table (src/engine/data/k8s-merge-keys.json) from the
 * Kubernetes v1.21.2 OpenAPI definitions that kustomize v5.5.0 embeds (../shared/k8s-openapi).
 *
 * kyaml's merge only asks a schema four things: does it exist at a path, what is the schema of
 * a field (properties, else additionalProperties), what is the schema of a list's elements, and
 * does a list merge (x-kubernetes-patch-strategy contains "merge") and by which keys
 * (x-kubernetes-list-map-keys, else x-kubernetes-patch-merge-key). The table keeps exactly that:
 *
 *   node := 0                      a schema without fields or elements (string, int-or-string, RawExtension...)
 *         | "<definition name>"    a reference into `definitions`
 *         | {"p": {field: node}}   an object with properties (plus "a" when it also has additionalProperties)
 *         | {"a": node}            a map: every field has the same schema
 *         | {"i": node, "m": [keys]}  a list; "m" only when it merges (empty keys: a set of scalars)
 *
 * Only definitions reachable from a kind (x-kubernetes-group-version-kind) are kept; references to
 * definitions that are plain scalars are inlined as 0. Output is sorted, so it is reproducible.
 *
 * Usage: node scripts/k8s-merge-data.mjs [swagger.json] [out.json]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const swaggerPath = process.argv[2] ?? resolve(root, '../shared/k8s-openapi/v1.21.2/swagger.json');
const outPath = process.argv[3] ?? resolve(root, 'src/engine/data/k8s-merge-keys.json');

const swaggerText = readFileSync(swaggerPath);
const swagger = JSON.parse(swaggerText.toString('utf8'));
const defs = swagger.definitions;

const REF_PREFIX = '#/definitions/';
const refName = (ref) => {
  if (!ref.startsWith(REF_PREFIX) || !(ref.slice(REF_PREFIX.length) in defs)) throw new Error(`unresolvable $ref ${ref}`);
  return ref.slice(REF_PREFIX.length);
};

/** A definition or inline schema without properties, additionalProperties or items. */
const isLeaf = (s) => !s.properties && !s.additionalProperties && !s.items && !s.$ref;

const reachable = new Set();
const pending = [];

function convert(schema) {
  if (schema.$ref) {
    const name = refName(schema.$ref);
    if (isLeaf(defs[name])) return 0;
    if (!reachable.has(name)) {
      reachable.add(name);
      pending.push(name);
    }
    return name;
  }
  if (schema.type === 'array') {
    if (!schema.items) return 0;
    const node = { i: convert(schema.items) };
    const strategies = String(schema['x-kubernetes-patch-strategy'] ?? '').split(',');
    if (strategies.includes('merge')) {
      const mapKeys = schema['x-kubernetes-list-map-keys'];
      const mergeKey = schema['x-kubernetes-patch-merge-key'];
      node.m = mapKeys ?? (mergeKey !== undefined ? [mergeKey] : []);
    }
    return node;
  }
  const node = {};
  if (schema.properties) {
    node.p = {};
    for (const field of Object.keys(schema.properties).sort()) node.p[field] = convert(schema.properties[field]);
  }
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
    node.a = convert(schema.additionalProperties);
  }
  if (!node.p && node.a === undefined) return 0;
  return node;
}

const kinds = {};
for (const name of Object.keys(defs).sort()) {
  for (const gvk of defs[name]['x-kubernetes-group-version-kind'] ?? []) {
    const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
    kinds[`${apiVersion}|${gvk.kind}`] = convert({ $ref: REF_PREFIX + name });
  }
}
const definitions = {};
while (pending.length > 0) {
  const name = pending.shift();
  definitions[name] = convert({ ...defs[name], $ref: undefined });
}
const sortedDefinitions = Object.fromEntries(Object.keys(definitions).sort().map((k) => [k, definitions[k]]));
const sortedKinds = Object.fromEntries(Object.keys(kinds).sort().map((k) => [k, kinds[k]]));

const table = {
  source: {
    file: 'k8s-openapi/v1.21.2/swagger.json',
    sha256: createHash('sha256').update(swaggerText).digest('hex'),
    generator: 'scripts/k8s-merge-data.mjs',
  },
  kinds: sortedKinds,
  definitions: sortedDefinitions,
};
writeFileSync(outPath, JSON.stringify(table) + '\n');
process.stdout.write(`${outPath}: ${Object.keys(sortedKinds).length} kinds, ${Object.keys(sortedDefinitions).length} definitions\n`);
