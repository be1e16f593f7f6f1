import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ResourceIndex } from '../../../src/validate/rules/resource-index.js';
import { resourcesFromYaml } from '../fake-catalog.js';

const SET = `apiVersion: v1
kind: ConfigMap
metadata: {name: a}
---
apiVersion: cluster.x-k8s.io/v1beta2
kind: Cluster
metadata: {name: c1, namespace: ns}
---
apiVersion: v1
kind: Namespace
metadata: {name: ns, namespace: ignored}
---
apiVersion: example.com/v1
kind: Cluster
metadata: {name: c1, namespace: ns}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: a, namespace: default}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: 123, namespace: other}
---
apiVersion: cluster.x-k8s.io/v1beta1
kind: Cluster
metadata: {name: c1, namespace: ns}
`;

describe('ResourceIndex', () => {
  const index = new ResourceIndex(resourcesFromYaml(SET));
  const names = (rs: readonly { kind: string; group: string; name: string; position: number }[]): string[] => rs.map((r) => `${r.position}:${r.group}/${r.kind}/${r.name}`);

  it('reads each resource once: group, kind, name and the namespace it lives in', () => {
    assert.deepEqual(
      index.all.map(({ group, kind, name, declaredNamespace, namespace }) => [group, kind, name, declaredNamespace, namespace]),
      [
        ['', 'ConfigMap', 'a', '', 'default'],
        ['cluster.x-k8s.io', 'Cluster', 'c1', 'ns', 'ns'],
        ['', 'Namespace', 'ns', 'ignored', '_non_namespaceable_'],
        ['example.com', 'Cluster', 'c1', 'ns', 'ns'],
        ['', 'ConfigMap', 'a', 'default', 'default'],
        ['', 'ConfigMap', '123', 'other', 'other'],
        ['cluster.x-k8s.io', 'Cluster', 'c1', 'ns', 'ns'],
      ],
    );
  });

  it('lists resources of several kinds in set order, each once', () => {
    const kinds = [
      { group: 'cluster.x-k8s.io', kind: 'Cluster' },
      { group: '', kind: 'ConfigMap' },
      { group: 'cluster.x-k8s.io', kind: 'Cluster' },
    ];
    assert.deepEqual(names(index.ofKinds(kinds)), ['0:/ConfigMap/a', '1:cluster.x-k8s.io/Cluster/c1', '4:/ConfigMap/a', '5:/ConfigMap/123', '6:cluster.x-k8s.io/Cluster/c1']);
    assert.deepEqual(names(index.ofKinds([{ group: 'example.com', kind: 'ConfigMap' }])), []);
    // asked again, in another order or for fewer kinds: the same set order, no answer of another question
    assert.deepEqual(names(index.ofKinds([...kinds].reverse())), names(index.ofKinds(kinds)));
    assert.deepEqual(names(index.ofKinds([{ group: 'cluster.x-k8s.io', kind: 'Cluster' }])), ['1:cluster.x-k8s.io/Cluster/c1', '6:cluster.x-k8s.io/Cluster/c1']);
  });

  it('finds the first match by kind, name and namespace, narrowed by group when the target names one', () => {
    assert.equal(index.find({ kind: 'Cluster', name: 'c1', namespace: 'ns' })?.position, 1);
    assert.equal(index.find({ kind: 'Cluster', name: 'c1', namespace: 'ns', group: 'example.com' })?.position, 3);
    assert.equal(index.find({ kind: 'ConfigMap', name: 'a', namespace: '' })?.position, 0);
    assert.equal(index.find({ kind: 'ConfigMap', name: '123', namespace: 'other' })?.position, 5);
    assert.equal(index.find({ kind: 'Cluster', name: 'c1', namespace: 'other' }), undefined);
    assert.equal(index.find({ kind: 'Cluster', name: 'c1', namespace: 'ns', group: 'infrastructure.cluster.x-k8s.io' }), undefined);
  });

  it('names the first resource with the same id: same group, any version', () => {
    assert.deepEqual(
      index.all.map((r) => index.firstWithId(r).position),
      [0, 1, 2, 3, 0, 5, 1],
    );
  });
});
