import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { FileCache } from '../../src/engine/loader.js';
import { renderYaml } from '../../src/engine/output.js';
import { render } from '../../src/engine/target.js';
import { tempTree } from '../support/files.js';

const configMap = (name: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

/** Overlays a, b and c over one base, which has a base of its own that uses a deprecated field. */
function overlaysOverNestedBase(): string {
  return tempTree('shared-bases', {
    'inner/kustomization.yaml': 'resources:\n- cm.yaml\ncommonLabels:\n  tier: inner\n',
    'inner/cm.yaml': configMap('inner'),
    'base/kustomization.yaml': 'resources:\n- ../inner\n- cm.yaml\n',
    'base/cm.yaml': configMap('base'),
    ...Object.fromEntries(['a', 'b', 'c'].map((o) => [`${o}/kustomization.yaml`, `resources:\n- ../base\nnamePrefix: ${o}-\n`])),
  });
}

/** A base patching a list of a custom kind, under an overlay whose schema merges that list by name and one without. */
function overlaysWithAndWithoutSchema(): string {
  const schema = {
    definitions: {
      'v1.MyKind': {
        type: 'object',
        properties: { spec: { type: 'object', properties: { items: { type: 'array', items: { type: 'object' }, 'x-kubernetes-patch-merge-key': 'name', 'x-kubernetes-patch-strategy': 'merge' } } } },
        'x-kubernetes-group-version-kind': [{ group: 'example.com', kind: 'MyKind', version: 'v1' }],
      },
    },
  };
  return tempTree('shared-bases-schema', {
    'base/kustomization.yaml': 'resources: [r.yaml]\npatches:\n- patch: |-\n    apiVersion: example.com/v1\n    kind: MyKind\n    metadata:\n      name: m\n    spec:\n      items:\n      - {name: b, value: "22"}\n',
    'base/r.yaml': 'apiVersion: example.com/v1\nkind: MyKind\nmetadata:\n  name: m\nspec:\n  items:\n  - {name: a, value: "1"}\n  - {name: b, value: "2"}\n',
    'merging/kustomization.yaml': 'resources: [../base]\nopenapi:\n  path: schema.json\n',
    'merging/schema.json': JSON.stringify(schema),
    'replacing/kustomization.yaml': 'resources: [../base]\n',
  });
}

describe('bases shared by the builds of one process', () => {
  it('give every overlay the warnings of the kustomizations below them, also when a kept copy is served', () => {
    const root = overlaysOverNestedBase();
    const cache = new FileCache();
    for (const overlay of ['a', 'b', 'c']) {
      const warnings: string[] = [];
      render(path.join(root, overlay), { fileCache: cache, onWarning: (m, file) => warnings.push(`${path.relative(root, file ?? '')}: ${m}`) });
      assert.deepEqual(warnings, [`inner/kustomization.yaml: 'commonLabels' is deprecated. Please use 'labels' instead.`], overlay);
    }
  });

  it('are not served to a build whose merge schemas differ from those they were built under', () => {
    const root = overlaysWithAndWithoutSchema();
    const cache = new FileCache();
    const outputs = ['merging', 'merging', 'merging', 'replacing', 'replacing'].map((overlay) => {
      const dir = path.join(root, overlay);
      const shared = renderYaml(render(dir, { fileCache: cache }));
      assert.equal(shared, renderYaml(render(dir)), overlay);
      return shared;
    });
    assert.notEqual(outputs[0], outputs[3], 'the schema decides how the base\'s patch merges');
  });

  it('build each overlay as it builds alone', () => {
    const root = overlaysOverNestedBase();
    const cache = new FileCache();
    for (const overlay of ['a', 'b', 'c', 'a']) {
      const dir = path.join(root, overlay);
      assert.equal(renderYaml(render(dir, { fileCache: cache })), renderYaml(render(dir)), overlay);
    }
  });
});

describe('a patch configured by several builds of one process', () => {
  it('patches each overlay as it does alone, its directives read afresh each time (the patch is kept once asked for again)', () => {
    const patch = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: any\ndata:\n  $patch: replace\n  k: v\n';
    const root = tempTree('shared-patch', {
      'comp/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\npatches:\n- target:\n    kind: ConfigMap\n  patch: |-\n${patch.replace(/^/gm, '    ')}`,
      ...Object.fromEntries(
        ['a', 'b', 'c'].flatMap((o) => [
          [`${o}/kustomization.yaml`, 'resources:\n- cm.yaml\ncomponents:\n- ../comp\n'],
          [`${o}/cm.yaml`, `${configMap(o)}data:\n  old: x\n`],
        ]),
      ),
    });
    const cache = new FileCache();
    for (const overlay of ['a', 'b', 'c']) {
      const dir = path.join(root, overlay);
      const shared = renderYaml(render(dir, { fileCache: cache }));
      assert.equal(shared, `apiVersion: v1\ndata:\n  k: v\nkind: ConfigMap\nmetadata:\n  name: ${overlay}\n`, overlay);
      assert.equal(shared, renderYaml(render(dir)), overlay);
    }
  });
});
