import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deploysFluxThroughFluxInstance } from '../../src/validate/unit-schemas.js';
import { tempTree } from '../support/files.js';
import { resourcesFromYaml } from './fake-catalog.js';
import { validateRepository } from './repository-support.js';

const ALERT = [
  'apiVersion: notification.toolkit.fluxcd.io/v1beta3',
  'kind: Alert',
  'metadata:',
  '  name: operator-events',
  '  namespace: flux-system',
  'spec:',
  '  providerRef:',
  '    name: slack',
  '  eventSources:',
  '    - kind: FluxInstance',
  '      name: flux',
  '    - kind: ResourceSet',
  "      name: '*'",
  '    - kind: ResourceSetInputProvider',
  "      name: '*'",
  '    - kind: Kustomization',
  "      name: '*'",
  '',
].join('\n');

const fluxInstance = (path: string): string =>
  `apiVersion: fluxcd.controlplane.io/v1\nkind: FluxInstance\nmetadata:\n  name: flux\n  namespace: flux-system\nspec:\n  distribution:\n    version: "2.x"\n    registry: ghcr.io/fluxcd\n  sync:\n    kind: GitRepository\n    url: https://example.com/fleet.git\n    ref: refs/heads/main\n    path: ${path}\n`;

const enumErrors = (findings: string[]): string[] => findings.filter((f) => f.startsWith('schema/enum'));

describe('Flux Operator adds its kinds to the Alert event sources where a FluxInstance installs Flux', () => {
  it('accepts them in clusters synced by a FluxInstance, and reports them in one bootstrapped by flux (d2-fleet shape)', async () => {
    const root = tempTree('flux-operator', {
      'clusters/staging/flux-system/flux-instance.yaml': fluxInstance('clusters/staging'),
      'clusters/staging/alerts/alert.yaml': ALERT,
      // a FluxInstance applied from outside the path it syncs (as a bootstrap step would)
      'bootstrap/prod/flux-instance.yaml': fluxInstance('clusters/prod'),
      'clusters/prod/alerts/alert.yaml': ALERT,
      'clusters/legacy/flux-system/gotk-sync.yaml': '',
      'clusters/legacy/alerts/alert.yaml': ALERT,
    });
    const findings = await validateRepository(root);
    assert.deepEqual(
      enumErrors(findings).map((f) => f.replace(/ is not one of .*/, '')),
      [10, 12, 14].map((line, i) => `schema/enum clusters/legacy/alerts/alert.yaml:${line} spec.eventSources[${i}].kind: string "${['FluxInstance', 'ResourceSet', 'ResourceSetInputProvider'][i]}"`),
    );
    // the FluxInstance itself has no bundled schema (Flux Operator's CRDs are not bundled): --missing-schemas decides
    assert.ok(findings.includes("schema/missing clusters/staging/flux-system/flux-instance.yaml:1 no schema for fluxcd.controlplane.io/v1 FluxInstance; import its CRD with 'capifleet schemas import'"));
  });

  it('accepts them where the flux-instance chart installs the FluxInstance (home-ops shape), also outside the graph', async () => {
    const root = tempTree('flux-operator-chart', {
      'kubernetes/flux-instance/ocirepository.yaml': 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: flux-instance\nspec:\n  interval: 15m\n  ref:\n    tag: 0.40.0\n  url: oci://ghcr.io/controlplaneio-fluxcd/charts/flux-instance\n',
      'kubernetes/flux-instance/helmrelease.yaml': 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: flux-instance\nspec:\n  interval: 1h\n  chartRef:\n    kind: OCIRepository\n    name: flux-instance\n',
      'kubernetes/flux-instance/alert.yaml': ALERT,
    });
    assert.deepEqual(enumErrors(await validateRepository(root)), []);
  });

  it('tells a flux-instance chart from any other', () => {
    const release = (chart: string): string => `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: x\nspec:\n  chart:\n    spec:\n      chart: ${chart}\n`;
    assert.equal(deploysFluxThroughFluxInstance(resourcesFromYaml(release('flux-instance'))), true);
    assert.equal(deploysFluxThroughFluxInstance(resourcesFromYaml(release('flux-operator'))), false);
    assert.equal(deploysFluxThroughFluxInstance(resourcesFromYaml(ALERT)), false);
    assert.equal(deploysFluxThroughFluxInstance(resourcesFromYaml(fluxInstance('.'))), true);
  });
});
