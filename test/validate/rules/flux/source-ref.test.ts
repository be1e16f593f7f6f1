import { fluxSourceRef } from '../../../../src/validate/rules/flux/source-ref.js';
import { fluxKs, gitRepo, helmRelease } from '../fixtures.js';
import { ruleTable } from '../harness.js';

ruleTable(fluxSourceRef, [
  { name: 'sourceRef resolves', yaml: gitRepo('fleet') + fluxKs('apps', '  sourceRef: {kind: GitRepository, name: fleet}\n'), expected: [] },
  { name: 'sourceRef to another namespace', yaml: gitRepo('fleet', 'other') + fluxKs('apps', '  sourceRef: {kind: GitRepository, name: fleet, namespace: other}\n'), expected: [] },
  { name: 'sourceRef missing', yaml: fluxKs('apps', '  sourceRef: {kind: GitRepository, name: fleet}\n'), expected: ['apps /spec/sourceRef'] },
  { name: 'wrong kind', yaml: gitRepo('fleet') + fluxKs('apps', '  sourceRef: {kind: OCIRepository, name: fleet}\n'), expected: ['apps /spec/sourceRef'] },
  { name: 'HelmRelease chart sourceRef and chartRef', yaml: helmRelease('a', '  chart:\n    spec:\n      chart: x\n      sourceRef: {kind: HelmRepository, name: charts}\n') + helmRelease('b', '  chartRef: {kind: OCIRepository, name: oci}\n'), expected: ['a /spec/chart/spec/sourceRef', 'b /spec/chartRef'] },
  {
    name: 'an ExternalArtifact that an ArtifactGenerator of the set produces',
    yaml:
      'apiVersion: source.extensions.fluxcd.io/v1beta1\nkind: ArtifactGenerator\nmetadata: {name: gen, namespace: flux-system}\nspec:\n  artifacts:\n  - name: apps\n---\n' +
      fluxKs('apps', '  sourceRef: {kind: ExternalArtifact, name: apps}\n') +
      fluxKs('other', '  sourceRef: {kind: ExternalArtifact, name: infra}\n'),
    expected: ['other /spec/sourceRef'],
  },
]);
