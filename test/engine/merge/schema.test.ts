import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MergeSchemaSet, type MergeSchema } from '../../../src/engine/merge/schema.js';

describe('MergeSchema (generated from Kubernetes v1.21.2 OpenAPI)', () => {
  const podSpec = (): MergeSchema | undefined => MergeSchemaSet.builtin().forType('apps/v1', 'Deployment')?.field('spec')?.field('template')?.field('spec');
  const cases: { name: string; schema: () => MergeSchema | undefined; keys: string[] | undefined }[] = [
    { name: 'containers merge by name', schema: () => podSpec()?.field('containers'), keys: ['name'] },
    { name: 'container ports by containerPort+protocol', schema: () => podSpec()?.field('containers')?.elements()?.field('ports'), keys: ['containerPort', 'protocol'] },
    { name: 'volumeMounts by mountPath', schema: () => podSpec()?.field('containers')?.elements()?.field('volumeMounts'), keys: ['mountPath'] },
    { name: 'tolerations are replaced', schema: () => podSpec()?.field('tolerations'), keys: undefined },
    { name: 'finalizers are a merging set', schema: () => MergeSchemaSet.builtin().forType('v1', 'ConfigMap')?.field('metadata')?.field('finalizers'), keys: [] },
    { name: 'service ports by port+protocol', schema: () => MergeSchemaSet.builtin().forType('v1', 'Service')?.field('spec')?.field('ports'), keys: ['port', 'protocol'] },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(c.schema()?.mergeKeys(), c.keys));

  it('knows built-in kinds only', () => {
    assert.ok(MergeSchemaSet.builtin().forType('batch/v1', 'CronJob'));
    assert.equal(MergeSchemaSet.builtin().forType('cluster.x-k8s.io/v1beta1', 'Cluster'), undefined);
  });
  it('map values share one schema; scalars have no fields', () => {
    const labels = MergeSchemaSet.builtin().forType('v1', 'ConfigMap')?.field('metadata')?.field('labels');
    assert.ok(labels?.field('anything'));
    assert.equal(labels?.field('anything')?.field('x'), undefined);
  });
});
