import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { patchTransformer, patchesJson6902Transformer, patchesStrategicMergeTransformer, patchResourcesFromText } from '../../../src/engine/filters/patch.js';
import { Loader } from '../../../src/engine/loader.js';
import type { Patch } from '../../../src/engine/types.js';
import { BuildError } from '../../../src/errors.js';
import { objects, resMapOf, transform } from './fixtures.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-patch-'));
fs.writeFileSync(path.join(dir, 'two.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {x: "1"}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n$patch: delete\n');
fs.writeFileSync(path.join(dir, 'ops.yaml'), '- {op: add, path: /metadata/labels/y, value: "2"}\n');
fs.writeFileSync(path.join(dir, 'a.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {x: "1"}\n');
const loader = Loader.forDirectory(dir, 'root');

const CMS = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, labels: {env: dev}}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b, namespace: ns}';
const SM = (body: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n${body}`;

describe('patchTransformer', () => {
  const cases: { name: string; patches: Patch[]; expected: string }[] = [
    { name: 'SMP without target patches the resource with its id', patches: [{ patch: SM('data: {k: v}') }], expected: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, labels: {env: dev}}\ndata: {k: v}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b, namespace: ns}' },
    {
      name: 'SMP with target patches every match; name and namespace are kept',
      patches: [{ target: { kind: 'ConfigMap' }, patch: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: zzz, namespace: other}\ndata: {k: v}' }],
      expected: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, labels: {env: dev}}\ndata: {k: v}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b, namespace: ns}\ndata: {k: v}',
    },
    { name: 'every patch of a multi-document file applies to every target; one deletes them', patches: [{ path: 'two.yaml', target: { name: 'a|b' } }], expected: '' },
    {
      name: 'JSON 6902 from a file, on a label-selected target',
      patches: [{ path: 'ops.yaml', target: { labelSelector: 'env=dev' } }],
      expected: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, labels: {env: dev, y: "2"}}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b, namespace: ns}',
    },
    {
      name: 'JSON 6902 sees an annotations map even where the resource has none',
      patches: [{ target: { name: 'b' }, patch: '- {op: add, path: /metadata/annotations/k, value: v}' }],
      expected: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, labels: {env: dev}}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b, namespace: ns, annotations: {k: v}}',
    },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(transform(patchTransformer(c.patches, loader), CMS), objects(c.expected)));

  it('allowNameChange renames and remembers the previous id', () => {
    const m = resMapOf(CMS);
    patchTransformer([{ target: { name: 'a' }, options: { allowNameChange: true }, patch: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a2}' }], loader)(m);
    const r = m.resources()[0]!;
    assert.equal(r.name, 'a2');
    assert.deepEqual(r.state.previousIds.map((id) => id.name), ['a']);
  });

  const errors: { name: string; patches: Patch[]; message: string | RegExp }[] = [
    { name: 'no match', patches: [{ patch: SM('data: {}').replace('name: a', 'name: q') }], message: 'no resource matches strategic merge patch "ConfigMap.v1.[noGrp]/q.[noNs]": no matches for Id ConfigMap.v1.[noGrp]/q.[noNs]; failed to find unique target for patch ConfigMap.v1.[noGrp]/q.[noNs]' },
    { name: 'JSON patch without target', patches: [{ patch: '- {op: remove, path: /x}' }], message: 'must specify a target for JSON patch [patch: "- {op: remove, path: /x}"]' },
    { name: 'neither SM nor JSON', patches: [{ target: { kind: 'ConfigMap' }, patch: 'data: {}' }], message: /unable to parse SM or JSON patch from \[patch: "data: \{\}"\]$/ },
    { name: 'both SM and JSON', patches: [{ target: { kind: 'ConfigMap' }, patch: '[]' }], message: /illegally qualifies as both an SM and JSON patch: \[patch: "\[\]"\]$/ },
    { name: 'missing file', patches: [{ path: 'none.yaml' }], message: /^trouble configuring builtin PatchTransformer with config: `\npath: none.yaml\n`: failed to get the patch file from path\(none.yaml\): / },
    { name: 'neither path nor patch', patches: [{ target: { kind: 'X' } }], message: /must specify one of patch and path in\ntarget:\n {2}kind: X\n$/ },
  ];
  for (const c of errors) {
    it(`error: ${c.name}`, () =>
      assert.throws(
        () => transform(patchTransformer(c.patches, loader), CMS),
        (e: unknown) => e instanceof BuildError && (typeof c.message === 'string' ? e.message === c.message : c.message.test(e.message)),
      ));
  }
});

describe('legacy patch fields', () => {
  it('patchesStrategicMerge takes inline patches and files', () => {
    const t = patchesStrategicMergeTransformer([SM('data: {k: v}'), 'a.yaml'], loader);
    assert.deepEqual(transform(t, CMS), objects(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, labels: {env: dev}}\ndata: {k: v, x: "1"}\n---\n${CMS.split('---\n')[1]}`));
  });
  it('patchesStrategicMerge reports a missing match without the patches prefix', () =>
    assert.throws(() => transform(patchesStrategicMergeTransformer([SM('').replace('name: a', 'name: q')], loader), CMS), (e: unknown) => e instanceof BuildError && e.message.startsWith('no matches for Id ConfigMap.v1.[noGrp]/q.[noNs]')));
  it('patchesJson6902 needs a target name and does not record previous ids', () => {
    assert.throws(() => patchesJson6902Transformer([{ target: { kind: 'ConfigMap' }, path: 'ops.yaml' }], loader), /must specify the target name$/);
    const m = resMapOf(CMS);
    patchesJson6902Transformer([{ target: { name: 'a' }, patch: '- {op: replace, path: /metadata/name, value: a3}' }], loader)(m);
    assert.equal(m.resources()[0]!.name, 'a3');
    assert.deepEqual(m.resources()[0]!.state.previousIds, []);
  });
});

describe('patchResourcesFromText', () => {
  const cases: { name: string; text: string; names: string[] | 'error' }[] = [
    { name: 'skips empty documents, expands Lists', text: '---\n{}\n---\napiVersion: v1\nkind: List\nitems: [{kind: A, metadata: {name: x}}, {kind: B, metadata: {name: y}}]', names: ['x', 'y'] },
    { name: 'needs a kind', text: 'metadata: {name: x}', names: 'error' },
    { name: 'needs a name', text: 'kind: A', names: 'error' },
    { name: 'a scalar is not a patch', text: 'patch.yaml', names: 'error' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      if (c.names === 'error') assert.throws(() => patchResourcesFromText(c.text), BuildError);
      else assert.deepEqual(patchResourcesFromText(c.text).map((o) => (o.metadata as { name: string }).name), c.names);
    });
  }
});
