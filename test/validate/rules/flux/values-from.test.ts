import { fluxValuesFrom } from '../../../../src/validate/rules/flux/values-from.js';
import { cm, fluxKs, helmRelease } from '../fixtures.js';
import { ruleTable } from '../harness.js';

ruleTable(fluxValuesFrom, [
  { name: 'ConfigMap present', yaml: cm('values', 'apps') + helmRelease('a', '  valuesFrom: [{kind: ConfigMap, name: values}]\n'), expected: [] },
  { name: 'Secret missing, optional one skipped', yaml: helmRelease('a', '  valuesFrom: [{kind: Secret, name: s}, {kind: Secret, name: o, optional: true}]\n'), expected: ['a /spec/valuesFrom/0'] },
  { name: 'postBuild.substituteFrom', yaml: fluxKs('k', '  postBuild:\n    substituteFrom: [{kind: ConfigMap, name: cluster-vars}]\n'), expected: ['k /spec/postBuild/substituteFrom/0'] },
  { name: 'the kube-root-ca.crt ConfigMap Kubernetes puts in every namespace', yaml: helmRelease('a', '  valuesFrom: [{kind: ConfigMap, name: kube-root-ca.crt}, {kind: ConfigMap, name: other}]\n'), expected: ['a /spec/valuesFrom/1'] },
]);
