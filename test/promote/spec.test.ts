/**
 * What `promote` carries from one environment's settings into another's (promotedDefaults): what
 * `from` writes, versions `to` lags behind on, and what stays `to`'s own.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClusterSettings, FleetSpec } from '../../src/fleet/types.js';
import { SPEC_CATEGORIES, selectCategories, type SpecCategory } from '../../src/promote/categories.js';
import { promotedDefaults } from '../../src/promote/spec.js';

function spec(defaults: ClusterSettings, staging: ClusterSettings | undefined, prod: ClusterSettings | undefined): FleetSpec {
  return {
    apiVersion: 'capifleet.io/v1alpha1',
    kind: 'Fleet',
    metadata: { name: 'acme' },
    spec: {
      repository: { url: 'https://example.com/fleet' },
      defaults,
      environments: [
        { name: 'staging', ...(staging ? { defaults: staging } : {}) },
        { name: 'prod', promotesFrom: 'staging', ...(prod ? { defaults: prod } : {}) },
      ],
      addons: [{ name: 'podinfo', namespace: 'apps', chart: { name: 'podinfo', version: '6.7.0', repository: 'oci://ghcr.io/stefanprodan/charts' } }],
      clusters: [],
    },
  };
}

const ALL = new Set<SpecCategory>(SPEC_CATEGORIES);

describe('promotedDefaults', () => {
  const cases: { name: string; defaults?: ClusterSettings; staging?: ClusterSettings; prod?: ClusterSettings; only?: SpecCategory[]; want: ClusterSettings | undefined }[] = [
    {
      name: 'what staging writes replaces or joins what prod writes',
      staging: { kubernetesVersion: 'v1.33.4', addons: { podinfo: { version: '6.8.0', values: { ui: { color: 'blue' } } } } },
      prod: { kubernetesVersion: 'v1.32.6', addons: { podinfo: { values: { replicaCount: 3 } } } },
      want: { kubernetesVersion: 'v1.33.4', addons: { podinfo: { values: { replicaCount: 3, ui: { color: 'blue' } }, version: '6.8.0' } } },
    },
    {
      name: 'a version staging inherits from the fleet defaults and prod pins: the pin goes, prod inherits it too',
      defaults: { kubernetesVersion: 'v1.33.4' },
      prod: { kubernetesVersion: 'v1.32.6', nodePools: [{ name: 'system', replicas: 5 }] },
      want: { nodePools: [{ name: 'system', replicas: 5 }] },
    },
    {
      name: "an add-on version staging takes from the chart and prod pins: the pin goes",
      prod: { addons: { podinfo: { version: '6.6.0', enabled: true } } },
      want: { addons: { podinfo: { enabled: true } } },
    },
    {
      name: "values, sizes and places prod sets over what staging inherits stay prod's",
      defaults: { location: 'westeurope', nodePools: [{ name: 'system', vmSize: 'Standard_D4ds_v5', replicas: 3 }], addons: { podinfo: { values: { replicaCount: 2 } } } },
      prod: { location: 'northeurope', nodePools: [{ name: 'system', replicas: 5 }], addons: { podinfo: { values: { replicaCount: 3 } } } },
      want: { location: 'northeurope', nodePools: [{ name: 'system', replicas: 5 }], addons: { podinfo: { values: { replicaCount: 3 } } } },
    },
    {
      name: "staging's sizes, places and labels are never carried; a pool prod lacks comes whole",
      staging: {
        location: 'eastus',
        labels: { tier: 'bronze' },
        controlPlane: { replicas: 1, vmSize: 'Standard_D2ds_v5' },
        nodePools: [{ name: 'system', replicas: 1, vmSize: 'Standard_D8ds_v5' }, { name: 'gpu', vmSize: 'Standard_NC6', minReplicas: 1, maxReplicas: 2 }],
      },
      defaults: { nodePools: [{ name: 'system', replicas: 3 }] },
      want: { controlPlane: { vmSize: 'Standard_D2ds_v5' }, nodePools: [{ name: 'system', vmSize: 'Standard_D8ds_v5' }, { name: 'gpu', vmSize: 'Standard_NC6', minReplicas: 1, maxReplicas: 2 }] },
    },
    {
      name: '--only kubernetes leaves add-ons alone',
      staging: { kubernetesVersion: 'v1.33.4', addons: { podinfo: { version: '6.8.0' } } },
      only: ['kubernetes'],
      want: { kubernetesVersion: 'v1.33.4' },
    },
    {
      name: 'nothing to carry: prod as it is, empty maps it wrote included',
      staging: { location: 'eastus' },
      prod: { addons: {} },
      want: { addons: {} },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const categories = c.only ? new Set(c.only) : ALL;
      assert.deepEqual(promotedDefaults(spec(c.defaults ?? {}, c.staging, c.prod), 'staging', 'prod', categories), c.want);
    });
  }
});

describe('selectCategories', () => {
  it('all by default, comma-separated or repeated, refusing unknown ones naming the valid', () => {
    assert.deepEqual([...selectCategories([], SPEC_CATEGORIES, 'spec')], ['kubernetes', 'addons', 'pools']);
    assert.deepEqual([...selectCategories(['kubernetes,addons'], SPEC_CATEGORIES, 'spec')], ['kubernetes', 'addons']);
    assert.throws(() => selectCategories(['nodes'], SPEC_CATEGORIES, 'spec'), /--only nodes: unknown; with a fleet spec choose from kubernetes, addons, pools/);
  });
});
