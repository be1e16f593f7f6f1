import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addClusterToSpec } from '../../src/fleet/edit.js';
import { loadFleet } from '../../src/fleet/load.js';
import { BASE_SPEC, buildErrorOf as errorOf } from './specs.js';

const HEAD = BASE_SPEC.slice(0, BASE_SPEC.indexOf('  clusters:'));


describe('addClusterToSpec', () => {
  it('appends to a block list and keeps every other byte: comments, blank lines, quoting, flow maps', () => {
    const text = `${HEAD}  # the clusters, one per region
  clusters:

    - name: dev-1   # first
      environment: "dev"
      labels: {'tier': bronze}
      # more dev-1 notes

# end of file
`;
    const expected = `${HEAD}  # the clusters, one per region
  clusters:

    - name: dev-1   # first
      environment: "dev"
      labels: {'tier': bronze}
      # more dev-1 notes
    - name: prod-neu-1
      environment: prod
      location: northeurope
      nodePools:
        - name: system
          replicas: 4

# end of file
`;
    const result = addClusterToSpec(text, 'fleet.yaml', { name: 'prod-neu-1', environment: 'prod', location: 'northeurope', nodePools: [{ name: 'system', replicas: 4 }] });
    assert.equal(result, expected);
    assert.equal(loadFleet(result, 'fleet.yaml').clusters.at(-1)!.location, 'northeurope');
  });

  it('edits the Fleet document of a file that has empty documents around it', () => {
    const text = `# fleet\n---\n${BASE_SPEC}---\n`;
    assert.equal(addClusterToSpec(text, 'fleet.yaml', { name: 'dev-2', environment: 'dev' }), `# fleet\n---\n${BASE_SPEC}    - name: dev-2\n      environment: dev\n---\n`);
  });

  it('follows the list indentation of the file', () => {
    const text = `${HEAD}  clusters:
  - name: dev-1
    environment: dev`;
    assert.equal(addClusterToSpec(text, 'fleet.yaml', { name: 'dev-2', environment: 'dev' }), `${text}\n  - name: dev-2\n    environment: dev\n`);
  });

  it('appends to a flow list as a flow item', () => {
    const text = `${HEAD}  clusters: [{name: dev-1, environment: dev}]  # all of them\n`;
    assert.equal(
      addClusterToSpec(text, 'fleet.yaml', { name: 'dev-2', environment: 'dev', labels: { tier: 'gold' } }),
      `${HEAD}  clusters: [{name: dev-1, environment: dev}, {name: dev-2, environment: dev, labels: {tier: gold}}]  # all of them\n`,
    );
  });

  it('turns an empty list into a block list, keeping its comment', () => {
    const text = `${HEAD}  clusters: []  # none yet\n# end\n`;
    assert.equal(addClusterToSpec(text, 'fleet.yaml', { name: 'dev-1', environment: 'dev' }), `${HEAD}  clusters:  # none yet\n    - name: dev-1\n      environment: dev\n# end\n`);
  });

  it('quotes strings YAML would read as something else', () => {
    const result = addClusterToSpec(BASE_SPEC, 'fleet.yaml', { name: 'dev-2', environment: 'dev', labels: { release: '2024-01-01', build: '0o14', flag: 'true', ok: 'yes' } });
    assert.equal(result, `${BASE_SPEC}    - name: dev-2\n      environment: dev\n      labels:\n        release: "2024-01-01"\n        build: "0o14"\n        flag: "true"\n        ok: yes\n`);
    assert.deepEqual(loadFleet(result, 'fleet.yaml').clusters.at(-1)!.labels, { release: '2024-01-01', build: '0o14', flag: 'true', ok: 'yes' });
  });

  it('refuses a name already taken, at the line of the cluster holding it', () => {
    assert.equal(errorOf(() => addClusterToSpec(BASE_SPEC, 'fleet.yaml', { name: 'prod-weu-1', environment: 'dev' })), 'fleet.yaml:42: cluster "prod-weu-1" is already in the spec');
  });

  it('refuses an unknown environment', () => {
    assert.equal(errorOf(() => addClusterToSpec(BASE_SPEC, 'fleet.yaml', { name: 'qa-1', environment: 'qa' })), 'fleet.yaml:20: environment "qa" is not defined in spec.environments (defined: dev, staging, prod)');
  });

  it('refuses settings the spec does not allow, as loadFleet words them', () => {
    assert.equal(
      errorOf(() => addClusterToSpec(BASE_SPEC, 'fleet.yaml', { name: 'dev-2', environment: 'dev', kubernetesVersion: '1.32' })),
      'fleet.yaml:56: spec.clusters[3].kubernetesVersion: "1.32" must be a Kubernetes version v<major>.<minor>.<patch>, e.g. v1.32.6',
    );
  });

  it('refuses to edit a spec that does not load', () => {
    assert.equal(errorOf(() => addClusterToSpec(BASE_SPEC.replace('kind: Fleet', 'kind: Flet'), 'fleet.yaml', { name: 'dev-2', environment: 'dev' })), 'fleet.yaml:2: kind: expected "Fleet", got string "Flet"');
  });
});
