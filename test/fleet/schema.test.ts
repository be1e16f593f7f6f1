import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import { FLEET_SCHEMA_FILE, fleetSchemaEntry } from '../../src/fleet/schema.js';
import { SchemaCompiler } from '../../src/schemas/compiled-schemas.js';

interface SchemaNode {
  $ref?: string;
  description?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  additionalProperties?: SchemaNode | boolean;
  definitions?: Record<string, SchemaNode>;
}

const schema = JSON.parse(fs.readFileSync(FLEET_SCHEMA_FILE, 'utf8')) as SchemaNode;
const definition = (ref: string): SchemaNode => schema.definitions![ref.replace('#/definitions/', '')]!;

/** Every field of every object in the schema, with its path. */
function fields(node: SchemaNode, at: string, out: [string, SchemaNode][] = []): [string, SchemaNode][] {
  for (const [name, field] of Object.entries(node.properties ?? {})) {
    out.push([`${at}.${name}`, field]);
    fields(field, `${at}.${name}`, out);
  }
  if (node.items) fields(node.items, `${at}[]`, out);
  if (typeof node.additionalProperties === 'object') fields(node.additionalProperties, `${at}.*`, out);
  return out;
}

describe('the fleet spec schema', () => {
  it('describes every field for editors', () => {
    const all = [...fields(schema, ''), ...Object.entries(schema.definitions!).flatMap(([name, d]) => fields(d, `#${name}`))];
    assert.ok(all.length > 50);
    const undescribed = all.filter(([, f]) => !f.description && !(f.$ref && definition(f.$ref).description)).map(([p]) => p);
    assert.deepEqual(undescribed, []);
  });

  it('lets a cluster set exactly the settings of defaults, besides its name and environment', () => {
    const cluster = schema.properties!.spec!.properties!.clusters!.items!.properties!;
    const settings = definition('#/definitions/clusterSettings').properties!;
    assert.deepEqual(Object.keys(cluster), ['name', 'environment', ...Object.keys(settings)]);
    for (const [name, field] of Object.entries(settings)) assert.deepEqual(cluster[name], field, name);
  });
});

describe('the fleet spec schema code', () => {
  it('ships with the build, so checking a spec compiles nothing', () => {
    const compiler = new SchemaCompiler();
    const validate = compiler.validatorFor(fleetSchemaEntry());
    assert.equal(compiler.compilations, 0);
    assert.equal(validate({ apiVersion: 'capifleet.io/v1alpha1', kind: 'Fleet' }), false);
  });
});
