import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Resource } from '../../src/engine/resource.js';
import { diffClusters, type DiffOptions } from '../../src/diff/report.js';
import type { ResourceChange } from '../../src/diff/types.js';
import { bundledCatalog } from '../../src/schemas/catalog.js';
import { objects } from './objects.js';

function diffOne(from: string, to: string, options: DiffOptions = {}): readonly ResourceChange[] {
  return diffClusters({ from: 'a', to: 'b' }, [{ name: 'c', from: objects(from), to: objects(to) }], [], options).clusters[0]!.resources;
}

function paths(changes: readonly ResourceChange[]): string[] {
  return changes.flatMap((c) => c.fields.map((f) => `${c.key.name} ${f.change} ${f.path}`));
}

const deployment = (containers: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: apps, labels: {app: web, helm.sh/chart: web-1.0.0}}
spec:
  template:
    metadata: {annotations: {checksum/config: abc}}
    spec:
      containers:
${containers}`;

describe('diff: matching', () => {
  it('matches objects by group, kind, namespace and name, whatever their order or version', () => {
    const a = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: n}\ndata: {k: "1"}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: y, namespace: n}\n';
    const b = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: y, namespace: n}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: n}\ndata: {k: "2"}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: other}\n';
    const changes = diffOne(a, b);
    assert.deepEqual(changes.map((c) => `${c.change} ${c.key.namespace}/${c.key.name}`), ['changed n/x', 'added other/x']);
    assert.deepEqual(paths(changes), ['x changed data.k']);
  });

  it('takes the engine’s resources as well as plain objects', () => {
    const [a] = objects('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {k: "1"}\n');
    const [b] = objects('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {k: "2"}\n');
    const report = diffClusters({ from: 'a', to: 'b' }, [{ name: 'c', from: [new Resource(a!)], to: [b!] }]);
    assert.deepEqual(report.clusters[0]!.resources.map((r) => r.fields.map((f) => f.path)), [['data.k']]);
  });

  it('matches containers and their env by name (the merge table), not by position', () => {
    const a = deployment('      - name: app\n        image: app:1\n        env: [{name: A, value: "1"}, {name: B, value: "2"}]\n      - name: sidecar\n        image: proxy:1\n');
    const b = deployment('      - name: sidecar\n        image: proxy:1\n      - name: app\n        image: app:2\n        env: [{name: B, value: "3"}, {name: A, value: "1"}]\n');
    assert.deepEqual(paths(diffOne(a, b)), ['web changed spec.template.spec.containers[name=app].image', 'web changed spec.template.spec.containers[name=app].env[name=B].value']);
  });

  it('matches entries by the x-kubernetes-list-map-keys of the bundled CRD schemas', () => {
    const cluster = (gates: string) => `apiVersion: cluster.x-k8s.io/v1beta2\nkind: Cluster\nmetadata: {name: c, namespace: f}\nspec:\n  availabilityGates: ${gates}\n`;
    const a = cluster('[{conditionType: A, polarity: Positive}, {conditionType: B, polarity: Positive}]');
    const b = cluster('[{conditionType: B, polarity: Negative}, {conditionType: A, polarity: Positive}]');
    assert.deepEqual(paths(diffOne(a, b, { catalog: bundledCatalog() })), ['c changed spec.availabilityGates[conditionType=B].polarity']);
    // without the schema the entries have no name to go by, so they are compared by position
    assert.equal(paths(diffOne(a, b)).length, 3);
  });

  it('shows a generated ConfigMap whose hash suffix changed as a change of that ConfigMap', () => {
    const a = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app-config-7f8h9kdt5m, namespace: n}\ndata: {LOG: info}\n';
    const b = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app-config-c2g6b5k4t8, namespace: n}\ndata: {LOG: debug}\n';
    const [change, ...rest] = diffOne(a, b);
    assert.deepEqual(rest, []);
    assert.equal(change!.change, 'changed');
    assert.equal(change!.renamedFrom, 'app-config-7f8h9kdt5m');
    assert.deepEqual(paths([change!]), ['app-config-c2g6b5k4t8 changed metadata.name', 'app-config-c2g6b5k4t8 changed data.LOG']);
  });

  it('shows a machine template renamed after its new spec hash (as generate names them) as a change of that template', () => {
    const template = (name: string, vmSize: string) => `apiVersion: infrastructure.cluster.x-k8s.io/v1beta1\nkind: AzureMachineTemplate\nmetadata: {name: ${name}, namespace: n}\nspec: {template: {spec: {vmSize: ${vmSize}}}}\n---\n`;
    const [change, ...rest] = diffOne(template('c1-system-65a34140', 'D4') + template('c1-apps-0123abcd', 'D8'), template('c1-system-772d304c', 'D16') + template('c1-apps-0123abcd', 'D8'));
    assert.deepEqual(rest, []);
    assert.equal(change!.renamedFrom, 'c1-system-65a34140');
    assert.deepEqual(paths([change!]), ['c1-system-772d304c changed metadata.name', 'c1-system-772d304c changed spec.template.spec.vmSize']);
    // another kind's hash-like suffix, or a template without a hash, is no rename
    const other = (name: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}, namespace: n}\n---\n`;
    assert.deepEqual(diffOne(other('web-65a34140'), other('web-772d304c')).map((c) => c.change).sort(), ['added', 'removed']);
    assert.deepEqual(diffOne(template('c1-system', 'D4'), template('c1-system-772d304c', 'D16')).map((c) => c.change).sort(), ['added', 'removed']);
  });

  it('does not pair names that only look hashed, or two generators', () => {
    const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}, namespace: n}\n---\n`;
    // vowels are not in kustomize's hash alphabet
    assert.deepEqual(diffOne(cm('app-config-aaaaaaaaaa'), cm('app-config-bbbbbbbbbb')).map((c) => `${c.change} ${c.key.name}`).sort(), ['added app-config-bbbbbbbbbb', 'removed app-config-aaaaaaaaaa']);
    assert.deepEqual(diffOne(cm('a-7f8h9kdt5m'), cm('b-c2g6b5k4t8')).map((c) => `${c.change} ${c.key.name}`).sort(), ['added b-c2g6b5k4t8', 'removed a-7f8h9kdt5m']);
  });
});

describe('diff: filters', () => {
  const a = deployment('      - name: app\n        image: app:1\n');
  const b = deployment('      - name: app\n        image: app:1\n').replace('web-1.0.0', 'web-1.1.0').replace('checksum/config: abc', 'checksum/config: def');

  it('leaves out helm.sh/chart labels and checksum annotations by default', () => {
    assert.deepEqual(diffOne(a, b), []);
    assert.deepEqual(paths(diffOne(a, b, { noise: false })), ['web changed metadata.labels["helm.sh/chart"]', 'web changed spec.template.metadata.annotations["checksum/config"]']);
  });

  it('leaves out the fields --ignore names, list entries stepped over', () => {
    const c = deployment('      - name: app\n        image: app:2\n        resources: {limits: {cpu: "1"}}\n');
    assert.deepEqual(paths(diffOne(a, c)), ['web changed spec.template.spec.containers[name=app].image', 'web added spec.template.spec.containers[name=app].resources']);
    assert.deepEqual(paths(diffOne(a, c, { ignore: ['spec.template.spec.containers.image'] })), ['web added spec.template.spec.containers[name=app].resources']);
    assert.deepEqual(paths(diffOne(a, c, { ignore: ['spec.template.spec.containers[name=app].*', 'metadata.labels["helm.sh/chart"]'] })), []);
    assert.throws(() => diffOne(a, c, { ignore: ['spec[unclosed'] }), /not a field path/);
  });
});

describe('diff: Secrets', () => {
  const secret = (data: string) => `apiVersion: v1\nkind: Secret\nmetadata: {name: creds, namespace: n}\ntype: Opaque\n${data}\n`;

  it('masks data and stringData values: a changed value shows as changed, never its value', () => {
    const [change] = diffOne(secret('data: {same: c2FtZQ==, token: b2xkLXRva2Vu}\nstringData: {password: hunter2}'), secret('data: {same: c2FtZQ==, token: bmV3LXRva2Vu}\nstringData: {password: correct-horse}'));
    assert.deepEqual(change!.fields.map((f) => [f.path, f.masked, f.from, f.to]), [
      ['data.token', true, '(masked)', '(masked, changed)'],
      ['stringData.password', true, '(masked)', '(masked, changed)'],
    ]);
    const text = JSON.stringify(change);
    for (const value of ['c2FtZQ==', 'b2xkLXRva2Vu', 'bmV3LXRva2Vu', 'hunter2', 'correct-horse']) assert.ok(!text.includes(value), value);
  });

  it('masks the values of a Secret added or removed', () => {
    const [change] = diffOne('', secret('stringData: {password: hunter2}'));
    assert.equal(change!.change, 'added');
    assert.ok(!JSON.stringify(change).includes('hunter2'));
  });
});

describe('diff: the report', () => {
  it('is frozen, and leaves its inputs as they were', () => {
    const from = objects('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {k: "1"}\n');
    const to = objects('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {k: "2"}\n');
    const report = diffClusters({ from: 'a', to: 'b' }, [{ name: 'c', from, to }], [], { noise: false });
    assert.ok(Object.isFrozen(report.clusters[0]!.resources[0]!.to));
    assert.ok(!Object.isFrozen(to[0]) && !Object.isFrozen(from[0]));
    assert.throws(() => (report.summary as { changed: number }).changed++);
  });

  it('counts clusters and resources, and reads two clusters’ names as one', () => {
    const side = (cluster: string, replicas: number) =>
      objects(`apiVersion: cluster.x-k8s.io/v1beta2\nkind: MachineDeployment\nmetadata: {name: ${cluster}-md, namespace: f}\nspec: {clusterName: ${cluster}, replicas: ${replicas}}\n`);
    const report = diffClusters({ from: 'staging', to: 'prod' }, [
      { name: 'eu-1', from: side('staging-eu-1', 1), to: side('prod-eu-1', 1), names: { from: 'staging-eu-1', to: 'prod-eu-1' } },
      { name: 'eu-2', from: side('staging-eu-2', 1), to: side('prod-eu-2', 3), names: { from: 'staging-eu-2', to: 'prod-eu-2' } },
      { name: 'us-1', to: side('prod-us-1', 1) },
    ]);
    assert.deepEqual(report.clusters.map((c) => c.status), ['unchanged', 'changed', 'added']);
    assert.deepEqual(paths(report.clusters[1]!.resources), ['<cluster>-md changed spec.replicas']);
    // the names are read as one only to compare: what the report shows is each side as it is
    const [change] = report.clusters[1]!.resources;
    assert.deepEqual([change!.from?.spec, change!.to?.spec], [{ clusterName: 'staging-eu-2', replicas: 1 }, { clusterName: 'prod-eu-2', replicas: 3 }]);
    // a Secret value that differs only by the cluster's name is no change either, and stays masked
    const secret = (cluster: string, level: string) => objects(`apiVersion: v1\nkind: Secret\nmetadata: {name: ${cluster}-env, namespace: f}\nstringData: {NAME: ${cluster}, LEVEL: ${level}}\n`);
    const secrets = diffClusters({ from: 'staging', to: 'prod' }, [{ name: 'eu-1', from: secret('staging-eu-1', 'a'), to: secret('prod-eu-1', 'b'), names: { from: 'staging-eu-1', to: 'prod-eu-1' } }]);
    assert.deepEqual(paths(secrets.clusters[0]!.resources), ['<cluster>-env changed stringData.LEVEL']);
    assert.ok(!JSON.stringify(secrets).includes('prod-eu-1"'), 'no Secret value printed');
    assert.deepEqual({ ...report.summary, dangers: undefined }, { clusters: 3, clustersChanged: 2, added: 1, changed: 1, removed: 0, dangers: undefined });
  });
});
