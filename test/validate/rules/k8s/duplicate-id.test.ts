import { duplicateId } from '../../../../src/validate/rules/k8s/duplicate-id.js';
import { cm } from '../fixtures.js';
import { ruleTable } from '../harness.js';

ruleTable(duplicateId, [
  { name: 'distinct objects', yaml: cm('a') + cm('b') + cm('a', 'other'), expected: [] },
  { name: 'same id twice', yaml: cm('a') + cm('a'), expected: ['a /metadata/name'], message: /defined more than once \(first at .*:1\)/ },
  { name: 'another version of the same object', yaml: cm('a', 'x', 'v1') + cm('a', 'x', 'v2'), expected: ['a /metadata/name'] },
  { name: 'empty namespace is default', yaml: `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n${cm('a', 'default')}`, expected: ['a /metadata/name'] },
]);
