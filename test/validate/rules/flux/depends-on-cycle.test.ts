import { fluxDependsOnCycle } from '../../../../src/validate/rules/flux/depends-on-cycle.js';
import { fluxKs } from '../fixtures.js';
import { ruleTable } from '../harness.js';

ruleTable(fluxDependsOnCycle, [
  { name: 'a chain', yaml: fluxKs('a', '  dependsOn: [{name: b}]\n') + fluxKs('b', '  dependsOn: [{name: c}]\n') + fluxKs('c', '  path: x\n'), expected: [] },
  { name: 'a cycle of three, reported once', yaml: fluxKs('a', '  dependsOn: [{name: b}]\n') + fluxKs('b', '  dependsOn: [{name: c}]\n') + fluxKs('c', '  dependsOn: [{name: a}]\n'), expected: ['c /spec/dependsOn/0'], message: /a → .*b → .*c → .*a$/ },
  { name: 'depends on itself', yaml: fluxKs('a', '  dependsOn: [{name: a}]\n'), expected: ['a /spec/dependsOn/0'] },
  { name: 'a diamond is no cycle', yaml: fluxKs('a', '  dependsOn: [{name: b}, {name: c}]\n') + fluxKs('b', '  dependsOn: [{name: d}]\n') + fluxKs('c', '  dependsOn: [{name: d}]\n') + fluxKs('d', '  path: x\n'), expected: [] },
]);
