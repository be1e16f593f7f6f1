import assert from 'node:assert/strict';
import { it } from 'node:test';
import { Resource } from '../../../../src/engine/resource.js';
import { duplicateId } from '../../../../src/validate/rules/k8s/duplicate-id.js';
import { ResourceIndex } from '../../../../src/validate/rules/resource-index.js';
import { resourcesFromYaml } from '../../fake-catalog.js';
import { cm } from '../fixtures.js';
import { ruleTable } from '../harness.js';

ruleTable(duplicateId, [
  { name: 'distinct objects', yaml: cm('a') + cm('b') + cm('a', 'other'), expected: [] },
  { name: 'same id twice', yaml: cm('a') + cm('a'), expected: ['a /metadata/name'], message: /defined more than once \(first at .*:1\)/ },
  { name: 'another version of the same object', yaml: cm('a', 'x', 'v1') + cm('a', 'x', 'v2'), expected: ['a /metadata/name'] },
  { name: 'empty namespace is default', yaml: `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n${cm('a', 'default')}`, expected: ['a /metadata/name'] },
]);

it('k8s/duplicate-id: one definition two Flux Kustomizations of a cluster both build is one object; built differently it is two', () => {
  const [original] = resourcesFromYaml(cm('a'));
  const again = new Resource(structuredClone(original!.obj), { ...original!.state });
  const patched = new Resource({ ...structuredClone(original!.obj), data: { k: 'v' } }, { ...original!.state });
  const generated = resourcesFromYaml(cm('values-abc')).map((r) => new Resource(r.obj, { ...r.state, source: undefined }));
  const generatedAgain = generated.map((r) => new Resource(structuredClone(r.obj), { ...r.state }));
  const names = (resources: Resource[]) => duplicateId.check({ index: new ResourceIndex(resources) }).map((f) => f.resource.name);
  assert.deepEqual(names([original!, again, ...generated, ...generatedAgain]), []);
  assert.deepEqual(names([original!, patched]), ['a']);
});
