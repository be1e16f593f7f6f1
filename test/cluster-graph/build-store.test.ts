import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BuildStore } from '../../src/cluster-graph/build-store.js';
import type { Read } from '../../src/engine/read-set.js';
import { emptyBuildState, Resource } from '../../src/engine/resource.js';
import type { JsonObject } from '../../src/json/value.js';

const ROOT = '/repo';
const READS: Read[] = [
  { path: '/repo/apps', kinds: ['stat', 'list'] },
  { path: '/repo/apps/cm.yaml', kinds: ['read'] },
];
const SPEC: JsonObject = { path: './apps', interval: '10m', prune: true, sourceRef: { kind: 'GitRepository', name: 'fleet' } };

function configMap(data: JsonObject): Resource {
  return new Resource({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data }, { ...emptyBuildState(), source: { file: '/repo/apps/cm.yaml', line: 2 } });
}

/** What the file system shows, as a test sets it: one hash per state. */
function observer(state: { now: string }) {
  return (reads: readonly Read[]) => `${state.now}:${reads.map((r) => r.path).join(',')}`;
}

/** A store that kept one build of `apps` and sealed it while the file system showed `state.now`. */
function storeWith(resources: Resource[], state: { now: string }, spec = SPEC): BuildStore {
  const store = new BuildStore();
  store.keep(ROOT, 'apps', spec, { resources, reads: READS, warnings: [{ message: 'deprecated', file: '/repo/apps/kustomization.yaml' }] });
  store.settle(observer(state));
  return store;
}

describe('BuildStore', () => {
  it('serves a build while its reads show what they showed, as fresh copies with their build state, reads and warnings', () => {
    const state = { now: 'a' };
    const store = storeWith([configMap({ k: 'v' })], state);
    const served = store.get(ROOT, 'apps', SPEC, observer(state))!;
    assert.deepEqual(served.resources.map((r) => r.obj), [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { k: 'v' } }]);
    assert.deepEqual(served.resources[0]!.state.source, { file: '/repo/apps/cm.yaml', line: 2 });
    assert.deepEqual(served.reads.entries(), READS);
    assert.deepEqual(served.warnings, [{ message: 'deprecated', file: '/repo/apps/kustomization.yaml' }]);
    // substitution changes served objects in place: the next one served is untouched
    served.resources[0]!.obj.data = { k: 'changed' };
    assert.deepEqual(store.get(ROOT, 'apps', SPEC, observer(state))!.resources[0]!.obj.data, { k: 'v' });
    state.now = 'b';
    assert.equal(store.get(ROOT, 'apps', SPEC, observer(state)), undefined, 'a read shows something else');
  });

  it('names a build by the repository, the path and the spec fields that shape the build, and nothing else of the spec', () => {
    const state = { now: 'a' };
    const store = storeWith([configMap({ k: 'v' })], state);
    const serves = (root: string, rel: string, spec: JsonObject) => store.get(root, rel, spec, observer(state)) !== undefined;
    assert.ok(serves(ROOT, 'apps', { ...SPEC, interval: '1h', postBuild: { substitute: { A: 'b' } }, kubeConfig: { secretRef: { name: 'k' } } }));
    assert.equal(serves('/other', 'apps', SPEC), false);
    assert.equal(serves(ROOT, 'other', SPEC), false);
    for (const shaping of <JsonObject[]>[{ namePrefix: 'x-' }, { targetNamespace: 'ns' }, { patches: [{ patch: 'x' }] }, { components: ['../c'] }, { images: [{ name: 'i', newTag: '1' }] }, { commonMetadata: { labels: { a: 'b' } } }]) {
      assert.equal(serves(ROOT, 'apps', { ...SPEC, ...shaping }), false, JSON.stringify(shaping));
    }
  });

  it('serves nothing it kept this run until settle seals it, and drops what settle cannot tell', () => {
    const store = new BuildStore();
    store.keep(ROOT, 'apps', SPEC, { resources: [configMap({})], reads: READS, warnings: [] });
    assert.equal(store.get(ROOT, 'apps', SPEC, () => 'a'), undefined);
    store.settle(() => undefined);
    assert.equal(store.get(ROOT, 'apps', SPEC, () => undefined), undefined);
    assert.equal(BuildStore.decode(store.encode('key'), 'key').peek(ROOT, 'apps', SPEC), undefined);
  });

  it('comes back from its bytes under the same key with big integers, NaN and -0 as they were; other bytes are an empty store', () => {
    const state = { now: 'a' };
    const exact = storeWith([configMap({ k: 'v' })], state);
    const inexact = storeWith([configMap({ big: 12345678901234567890n, nan: NaN, zero: -0 })], state, { ...SPEC, namePrefix: 'x-' });
    for (const [store, spec, data] of [
      [exact, SPEC, { k: 'v' }],
      [inexact, { ...SPEC, namePrefix: 'x-' }, { big: 12345678901234567890n, nan: NaN, zero: -0 }],
    ] as const) {
      const bytes = store.encode('key');
      const back = BuildStore.decode(bytes, 'key').get(ROOT, 'apps', spec, observer(state))!;
      assert.deepEqual(back.resources[0]!.obj.data, data);
      assert.ok(Object.is((back.resources[0]!.obj.data as JsonObject).zero ?? -0, -0));
      assert.equal(BuildStore.decode(bytes, 'another key').get(ROOT, 'apps', spec, observer(state)), undefined, "another user's or build's");
      assert.equal(BuildStore.decode(bytes.subarray(0, bytes.length - 5), 'key').get(ROOT, 'apps', spec, observer(state)), undefined, 'cut short');
    }
    assert.equal(BuildStore.decode(Buffer.from('{"not":"ours"}'), 'key').peek(ROOT, 'apps', SPEC), undefined);
    assert.equal(BuildStore.decode(undefined, 'key').peek(ROOT, 'apps', SPEC), undefined);
  });
});
