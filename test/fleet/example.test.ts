import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import { exampleFleet } from '../../src/fleet/example.js';
import { loadFleet } from '../../src/fleet/load.js';
import { FLEET_SCHEMA_FILE } from '../../src/fleet/schema.js';

describe('the example capifleet init writes', () => {
  const text = exampleFleet('./node_modules/capifleet/schemas/fleet/v1alpha1.json');

  it('points editors at the schema on its first line', () => {
    assert.equal(text.split('\n')[0], '# yaml-language-server: $schema=./node_modules/capifleet/schemas/fleet/v1alpha1.json');
  });

  it('loads, with clusters of several providers and environments', () => {
    const fleet = loadFleet(text, 'fleet.yaml');
    assert.deepEqual(
      fleet.clusters.map((c) => [c.name, c.environment, c.provider, c.addons.map((a) => a.name).join('+')]),
      [
        ['dev-local', 'dev', 'docker', 'ingress-nginx+cert-manager'],
        ['staging-weu-1', 'staging', 'aks', 'ingress-nginx+cert-manager'],
        ['prod-weu-1', 'prod', 'aks', 'ingress-nginx+cert-manager'],
        ['prod-neu-1', 'prod', 'aks', 'ingress-nginx'],
      ],
    );
    assert.deepEqual(fleet.clusters[2]!.nodePools.map((p) => [p.name, p.replicas]), [['system', 5], ['user', 3]]);
  });

  it('ships the schema it names', () => {
    assert.ok(FLEET_SCHEMA_FILE.endsWith('/schemas/fleet/v1alpha1.json'));
    assert.equal((JSON.parse(fs.readFileSync(FLEET_SCHEMA_FILE, 'utf8')) as { $id: string }).$id, 'https://capifleet.io/schemas/fleet/v1alpha1.json');
  });
});
