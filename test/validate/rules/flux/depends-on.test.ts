import { fluxDependsOn } from '../../../../src/validate/rules/flux/depends-on.js';
import { fluxKs, helmRelease } from '../fixtures.js';
import { ruleTable } from '../harness.js';

ruleTable(fluxDependsOn, [
  { name: 'dependency present', yaml: fluxKs('a', '  dependsOn: [{name: b}]\n') + fluxKs('b', '  path: ./b\n'), expected: [] },
  { name: 'dependency missing', yaml: fluxKs('a', '  dependsOn: [{name: b}, {name: c, namespace: other}]\n') + fluxKs('b', '  path: ./b\n'), expected: ['a /spec/dependsOn/1'] },
  { name: 'HelmRelease depends on HelmReleases', yaml: helmRelease('a', '  dependsOn: [{name: b}]\n') + fluxKs('b', '  path: x\n', 'apps'), expected: ['a /spec/dependsOn/0'] },
]);
