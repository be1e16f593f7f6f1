/**
 * The dangers of `capifleet diff` over a generated fleet: two trees generated from a spec and from
 * the same spec changed the ways that hurt (a Kubernetes minor version skipped across every prod
 * cluster, one cluster's version downgraded, node pools' VM sizes changed on AKS and CAPZ
 * clusters (a CAPZ pool's machine template swapped), a cluster renamed, an add-on turned off, a major chart bump), each flagged where it
 * happens, in every output.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import type { ClusterEntry, FleetSpec } from '../../src/fleet/types.js';
import { generateTree } from '../../src/generate/tree.js';
import { tempTree } from '../support/files.js';
import { runCli } from '../support/cli.js';
import { fleetFixture, resolveFleet, writeTree } from '../generate/fleet-fixture.js';

interface Danger {
  id: string;
  cluster?: string;
  message: string;
}

describe('capifleet diff: dangers over a generated fleet', () => {
  const fleet = fleetFixture({ clusters: 12, providers: ['aks', 'azure', 'docker'], clusterEnvironments: ['prod'] });
  const names = fleet.clusters.map((c) => c.name);
  const [aks, azure, renamed, addonOff, downgraded] = names as [string, string, string, string, string];
  let root = '';
  let dangers: Danger[] = [];
  before(() => {
    const changed = structuredClone(fleet.spec) as FleetSpec;
    const prod = changed.spec.environments.find((e) => e.name === 'prod')!;
    prod.defaults = { ...prod.defaults, kubernetesVersion: 'v1.34.1', addons: { ...prod.defaults?.addons, 'ingress-nginx': { ...prod.defaults?.addons?.['ingress-nginx'], version: '5.0.0' } } };
    const cluster = (name: string): ClusterEntry => changed.spec.clusters.find((c) => c.name === name)!;
    for (const name of [aks, azure]) cluster(name).nodePools = [{ name: 'system', vmSize: 'Standard_D8ds_v5' }];
    cluster(renamed).name = `${renamed}-new`;
    cluster(addonOff).addons = { ...cluster(addonOff).addons, podinfo: { enabled: false }, 'ingress-nginx': { enabled: false } };
    cluster(downgraded).kubernetesVersion = 'v1.31.2';
    root = tempTree('diff-dangers', {});
    writeTree(path.join(root, 'before'), generateTree(fleet).files);
    writeTree(path.join(root, 'after'), generateTree(resolveFleet(changed)).files);
    const r = runCli(['diff', 'before/overlays/prod', 'after/overlays/prod', '-o', 'json'], root);
    assert.equal(r.status, 0, r.stderr);
    dangers = (JSON.parse(r.stdout) as { dangers: Danger[] }).dangers;
  });

  const flagged = (id: string): string[] => [...new Set(dangers.filter((d) => d.id === id).map((d) => d.cluster ?? ''))].sort();

  it('a minor version skipped in every prod cluster, and one downgraded', () => {
    const jumps = dangers.filter((d) => d.id === 'capi/version-jump');
    assert.ok(jumps.some((d) => d.cluster === aks && /skips 1 minor version/.test(d.message)), JSON.stringify(jumps));
    assert.ok(jumps.some((d) => d.cluster === downgraded && /downgrade/.test(d.message)), JSON.stringify(jumps));
  });

  it("node pools' VM size changed: the embedded AKS agent pool of an AzureASOManagedMachinePool cannot change in place; a CAPZ pool gets a new machine template, which rolls its nodes", () => {
    const immutable = dangers.filter((d) => d.id === 'capz/immutable-field');
    assert.ok(immutable.some((d) => d.cluster === aks && /^AzureASOManagedMachinePool .*: spec\.spec\.vmSize cannot change in place/.test(d.message)), JSON.stringify(immutable));
    assert.deepEqual(immutable.filter((d) => d.cluster === azure), [], 'generate names a changed AzureMachineTemplate anew rather than changing it');
    const swaps = dangers.filter((d) => d.id === 'capi/template-swap' && d.cluster === azure);
    assert.ok(swaps.some((d) => /^MachineDeployment .*-system: spec\.template\.spec\.infrastructureRef changes, so every machine is replaced/.test(d.message)), JSON.stringify(swaps));
  });

  it('a cluster renamed is recreated; an add-on turned off deletes what it applied', () => {
    assert.ok(dangers.some((d) => d.id === 'capi/recreated' && d.cluster === renamed && /^Cluster .* is removed/.test(d.message)), JSON.stringify(dangers.filter((d) => d.id === 'capi/recreated')));
    assert.ok(dangers.some((d) => d.id === 'flux/prune-deletion' && d.cluster === addonOff && /HelmRelease .*ingress-nginx/.test(d.message)), JSON.stringify(dangers.filter((d) => d.cluster === addonOff)));
  });

  it('a major chart bump, and the count of clusters changed at once', () => {
    // every cluster that keeps ingress-nginx at prod's version (not one pinning its own)
    const own = fleet.spec.spec.clusters.filter((c) => c.addons?.['ingress-nginx']?.version !== undefined).map((c) => c.name);
    assert.deepEqual(flagged('helm/major-bump'), names.filter((n) => ![renamed, addonOff, ...own].includes(n)).sort());
    assert.match(dangers.find((d) => d.id === 'fleet/many-clusters')?.message ?? '', /^1[23] of 1[23] clusters change at once$/);
  });

  it('text and markdown show the same dangers', () => {
    const text = runCli(['diff', 'before/overlays/prod', 'after/overlays/prod'], root).stdout;
    const md = runCli(['diff', 'before/overlays/prod', 'after/overlays/prod', '-o', 'markdown'], root).stdout;
    for (const id of new Set(dangers.map((d) => d.id))) {
      assert.ok(text.includes(`[${id}]`), id);
      assert.ok(md.includes(`\`${id}\``), id);
    }
  });
});
