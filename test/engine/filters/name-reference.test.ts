import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_NAME_REFERENCES, type NameBackReferences } from '../../../src/engine/config/name-reference.js';
import { nameReferenceTransformer } from '../../../src/engine/filters/name-reference.js';
import { getPath, type JsonObject, type JsonValue } from '../../../src/json/value.js';
import { Resource } from '../../../src/engine/resource.js';
import { ResMap } from '../../../src/engine/resmap.js';

/** A resource that was renamed from `from` (by a prefix, suffix or hash) to its current name. */
function renamed(obj: JsonObject, from: string, prefixes: string[] = [], suffixes: string[] = []): Resource {
  const r = new Resource(obj);
  const name = r.name;
  r.setName(from);
  r.storePreviousId();
  r.setName(name);
  r.state.namePrefixes = prefixes;
  r.state.nameSuffixes = suffixes;
  return r;
}

const cm = (name: string, namespace?: string): JsonObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(namespace ? { namespace } : {}) } });
const deploymentUsing = (cmName: string, extra: JsonObject = {}): JsonObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', ...extra },
  spec: { template: { spec: { containers: [{ name: 'c', envFrom: [{ configMapRef: { name: cmName } }] }] } } },
});
const ENV_FROM = ['spec', 'template', 'spec', 'containers', '0', 'envFrom', '0', 'configMapRef', 'name'];
const role = (kind: 'Role' | 'ClusterRole', name: string): JsonObject => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind, metadata: { name } });

function at(obj: JsonValue, path: string[]): JsonValue | undefined {
  return path.reduce<JsonValue | undefined>((v, p) => (Array.isArray(v) ? v[Number(p)] : getPath(v, [p])), obj);
}

describe('nameReferenceTransformer', () => {
  const cases: {
    name: string;
    resources: () => Resource[];
    config?: NameBackReferences[];
    /** index of the referrer, path in it, and the value expected there */
    expected: { index: number; path: string[]; value: JsonValue }[] | RegExp;
  }[] = [
    {
      name: 'scalar reference follows the rename',
      resources: () => [renamed(cm('p-cfg-hash'), 'cfg'), new Resource(deploymentUsing('cfg'))],
      expected: [{ index: 1, path: ENV_FROM, value: 'p-cfg-hash' }],
    },
    {
      name: 'a target that was never renamed is no candidate',
      resources: () => [new Resource(cm('cfg')), new Resource(deploymentUsing('cfg'))],
      expected: [{ index: 1, path: ENV_FROM, value: 'cfg' }],
    },
    {
      name: 'a target in another namespace is out of reach',
      resources: () => [renamed(cm('p-cfg', 'a'), 'cfg'), new Resource(deploymentUsing('cfg', { namespace: 'b' }))],
      expected: [{ index: 1, path: ENV_FROM, value: 'cfg' }],
    },
    {
      name: 'same-named targets told apart by the prefixes the referrer shares',
      resources: () => [
        renamed(cm('front-cfg'), 'cfg', ['front-']),
        renamed(cm('back-cfg'), 'cfg', ['back-']),
        renamed(deploymentUsing('cfg'), 'web', ['back-']),
      ],
      expected: [{ index: 2, path: ENV_FROM, value: 'back-cfg' }],
    },
    {
      name: 'same-named targets whose prefixes the referrer does not share are left alone',
      resources: () => [renamed(cm('front-cfg'), 'cfg', ['front-']), renamed(cm('back-cfg'), 'cfg', ['back-']), new Resource(deploymentUsing('cfg'))],
      expected: [{ index: 2, path: ENV_FROM, value: 'cfg' }],
    },
    {
      name: 'same-named targets with nothing to tell them apart',
      resources: () => [
        renamed(cm('a-cfg', 'a'), 'cfg'),
        renamed(cm('b-cfg', 'b'), 'cfg'),
        new Resource({ ...role('ClusterRole', 'read'), rules: [{ resourceNames: ['cfg'] }] }),
      ],
      expected: /found multiple possible referrals: ConfigMap\.v1\.\[noGrp\]\/a-cfg\.a, ConfigMap\.v1\.\[noGrp\]\/b-cfg\.b/,
    },
    {
      name: 'candidates that ended up with the same name are one answer',
      resources: () => [
        renamed(cm('x-cfg', 'a'), 'cfg'),
        renamed(cm('x-cfg', 'b'), 'cfg'),
        new Resource({ ...role('ClusterRole', 'read'), rules: [{ resourceNames: ['cfg', 'other'] }] }),
      ],
      expected: [{ index: 2, path: ['rules', '0', 'resourceNames'], value: ['x-cfg', 'other'] }],
    },
    {
      name: 'roleRef picks the kind it names',
      resources: () => [
        renamed(role('Role', 'p-edit-role'), 'edit'),
        renamed(role('ClusterRole', 'p-edit-cluster'), 'edit'),
        new Resource({
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'RoleBinding',
          metadata: { name: 'b' },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
        }),
      ],
      expected: [{ index: 2, path: ['roleRef', 'name'], value: 'p-edit-cluster' }],
    },
    {
      name: 'subjects get name and namespace; a subject namespace reaches into that namespace',
      resources: () => [
        renamed({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'p-sa', namespace: 'ci' } }, 'sa'),
        renamed({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'p-local', namespace: 'apps' } }, 'local'),
        new Resource({
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'RoleBinding',
          metadata: { name: 'b', namespace: 'apps' },
          subjects: [
            { kind: 'ServiceAccount', name: 'sa', namespace: 'ci' },
            { kind: 'ServiceAccount', name: 'local' },
          ],
        }),
      ],
      expected: [
        { index: 2, path: ['subjects', '0'], value: { kind: 'ServiceAccount', name: 'p-sa', namespace: 'ci' } },
        { index: 2, path: ['subjects', '1'], value: { kind: 'ServiceAccount', name: 'p-local', namespace: 'apps' } },
      ],
    },
    {
      name: 'a subject without a name is a configuration error',
      resources: () => [new Resource({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'b' }, subjects: [{ kind: 'ServiceAccount' }] })],
      expected: /updating name reference in 'subjects' field of .*path config error; no 'name' field in node/,
    },
    {
      name: 'referrers are chosen by their original kind',
      resources: () => {
        const d = new Resource({ ...deploymentUsing('cfg'), kind: 'Deployment' });
        d.setKind('Workload');
        d.state.previousIds = [{ group: 'apps', version: 'v1', kind: 'Deployment', name: 'web', namespace: 'default' }];
        return [renamed(cm('p-cfg'), 'cfg'), d];
      },
      expected: [{ index: 1, path: ENV_FROM, value: 'p-cfg' }],
    },
    {
      name: 'custom configuration entries',
      config: [{ kind: 'ConfigMap', version: 'v1', fieldSpecs: [{ kind: 'HelmRelease', path: 'spec/valuesFrom/name' }] }],
      resources: () => [
        renamed(cm('p-values'), 'values'),
        new Resource({ apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name: 'r' }, spec: { valuesFrom: [{ kind: 'ConfigMap', name: 'values' }] } }),
      ],
      expected: [{ index: 1, path: ['spec', 'valuesFrom', '0', 'name'], value: 'p-values' }],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const resources = c.resources();
      const run = () => nameReferenceTransformer(c.config ?? DEFAULT_NAME_REFERENCES)(new ResMap(resources));
      if (c.expected instanceof RegExp) {
        assert.throws(run, { message: c.expected });
        return;
      }
      run();
      for (const e of c.expected) assert.deepEqual(at(resources[e.index]!.obj, e.path), e.value);
    });
  }

  it('records which resources referred to a target', () => {
    const target = renamed(cm('p-cfg'), 'cfg');
    nameReferenceTransformer(DEFAULT_NAME_REFERENCES)(new ResMap([target, new Resource(deploymentUsing('cfg'))]));
    assert.deepEqual(target.state.refBy.map((id) => `${id.kind}/${id.name}`), ['Deployment/web']);
  });
});
