import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { BuildError } from '../../../src/errors.js';
import { loadCrdConfig } from '../../../src/engine/config/crds.js';
import { Loader } from '../../../src/engine/loader.js';

const BEE = {
  'example.com/v1beta1.Bee': {
    Schema: {
      properties: {
        apiVersion: { type: 'string' },
        kind: { type: 'string' },
        metadata: { $ref: 'k8s.io/apimachinery/pkg/apis/meta/v1.ObjectMeta' },
        spec: { $ref: 'example.com/v1beta1.BeeSpec' },
      },
    },
  },
  'example.com/v1beta1.BeeSpec': {
    Schema: {
      properties: {
        secretRef: { 'x-kubernetes-object-ref-api-version': 'v1', 'x-kubernetes-object-ref-kind': 'Secret' },
        cmRef: { 'x-kubernetes-object-ref-api-version': 'v1', 'x-kubernetes-object-ref-kind': 'ConfigMap', 'x-kubernetes-object-ref-name-key': 'cmName' },
        upper: { 'X-Kubernetes-Object-Ref-Api-Version': 'v1', 'x-kubernetes-object-ref-kind': 'Service' },
        sel: { 'x-kubernetes-label-selector': '' },
        ann: { 'x-kubernetes-annotation': '' },
        notString: { 'x-kubernetes-annotation': true },
        ident: { 'x-kubernetes-identity': '' },
      },
    },
  },
  'example.com/v1beta1.NotAnObject': { Schema: { properties: { ann: { 'x-kubernetes-annotation': '' } } } },
};

describe('loadCrdConfig', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-crds-'));
  fs.writeFileSync(path.join(dir, 'bee.json'), JSON.stringify(BEE, null, 2));
  fs.writeFileSync(path.join(dir, 'bee.yaml'), 'example.com/v1.Wasp:\n  schema:\n    properties:\n      apiVersion: {}\n      kind: {}\n      metadata: {}\n      tag: {x-kubernetes-identity: ""}\n');
  fs.writeFileSync(path.join(dir, 'self.json'), JSON.stringify({ 'a.T': { Schema: { properties: { kind: {}, apiVersion: {}, metadata: {}, me: { $ref: 'a.T' } } } } }));
  fs.writeFileSync(path.join(dir, 'bad.json'), '{"a": ');
  const loader = Loader.forDirectory(dir, 'root');

  it('reads the vendor extensions of object definitions, following $refs', () => {
    const c = loadCrdConfig(loader, ['bee.json']);
    assert.deepEqual(c.commonLabels, [{ kind: 'Bee', path: 'spec/sel' }]);
    assert.deepEqual(c.commonAnnotations, [{ kind: 'Bee', path: 'spec/ann' }]);
    assert.deepEqual(c.namePrefix, [{ kind: 'Bee', path: 'spec/ident' }]);
    assert.deepEqual(c.nameReference, [
      { kind: 'ConfigMap', version: 'v1', fieldSpecs: [{ kind: 'Bee', path: 'spec/cmRef/cmName' }] },
      { kind: 'Secret', version: 'v1', fieldSpecs: [{ kind: 'Bee', path: 'spec/secretRef/name' }] },
    ]);
  });

  it('YAML files, several files merged', () => {
    const c = loadCrdConfig(loader, ['bee.json', 'bee.yaml']);
    assert.deepEqual(c.namePrefix.map((fs) => fs.kind), ['Bee', 'Wasp']);
  });

  it('no crds: an empty config', () => assert.deepEqual(loadCrdConfig(loader, undefined).nameReference, []));

  const errors: { name: string; files: string[]; message: RegExp }[] = [
    { name: 'unparsable file', files: ['bad.json'], message: /^loading CRDs \[bad.json\]: unable to parse open API definition from 'bad.json'/ },
    { name: 'missing file', files: ['nope.json'], message: /^loading CRDs \[nope.json\]: / },
    { name: 'a definition referring to itself', files: ['self.json'], message: /refers to itself/ },
  ];
  for (const c of errors) {
    it(`error: ${c.name}`, () => assert.throws(() => loadCrdConfig(loader, c.files), (e: unknown) => e instanceof BuildError && c.message.test(e.message)));
  }
});
