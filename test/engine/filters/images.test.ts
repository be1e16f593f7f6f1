import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BuildError } from '../../../src/errors.js';
import type { FieldSpec } from '../../../src/engine/fieldspec.js';
import { imageTransformer, rewriteImageReference, splitImageReference, type ImageReference } from '../../../src/engine/filters/images.js';
import type { Image } from '../../../src/engine/types.js';
import { objects, transform } from './fixtures.js';

describe('splitImageReference', () => {
  const cases: { ref: string; expected: ImageReference }[] = [
    { ref: 'nginx', expected: { name: 'nginx', tag: '', digest: '' } },
    { ref: 'nginx:1.2', expected: { name: 'nginx', tag: '1.2', digest: '' } },
    { ref: 'nginx@sha256:abc', expected: { name: 'nginx', tag: '', digest: 'sha256:abc' } },
    { ref: 'nginx:1.2@sha256:abc', expected: { name: 'nginx', tag: '1.2', digest: 'sha256:abc' } },
    { ref: 'my.reg:5000/team/nginx', expected: { name: 'my.reg:5000/team/nginx', tag: '', digest: '' } },
    { ref: 'my.reg:5000/team/nginx:1', expected: { name: 'my.reg:5000/team/nginx', tag: '1', digest: '' } },
    { ref: 'my.reg:5000/nginx@sha256:abc', expected: { name: 'my.reg:5000/nginx', tag: '', digest: 'sha256:abc' } },
    { ref: 'a/b@sha256:x:y', expected: { name: 'a/b', tag: '', digest: 'sha256:x:y' } },
  ];
  for (const c of cases) it(c.ref, () => assert.deepEqual(splitImageReference(c.ref), c.expected));
});

describe('rewriteImageReference', () => {
  const cases: { name: string; ref: string; image: Image; expected: string }[] = [
    { name: 'new name keeps tag and digest', ref: 'nginx:1@sha256:a', image: { name: 'nginx', newName: 'r/n' }, expected: 'r/n:1@sha256:a' },
    { name: 'new tag drops the digest', ref: 'nginx:1@sha256:a', image: { name: 'nginx', newTag: '2' }, expected: 'nginx:2' },
    { name: 'new digest drops the tag', ref: 'nginx:1', image: { name: 'nginx', digest: 'sha256:b' }, expected: 'nginx@sha256:b' },
    { name: 'tag and digest together', ref: 'nginx', image: { name: 'nginx', newTag: '2', digest: 'sha256:b' }, expected: 'nginx:2@sha256:b' },
    { name: 'tag suffix, digest dropped', ref: 'nginx:1@sha256:a', image: { name: 'nginx', tagSuffix: '-x' }, expected: 'nginx:1-x' },
    { name: 'tag suffix without a tag', ref: 'nginx', image: { name: 'nginx', tagSuffix: '-x' }, expected: 'nginx:-x' },
    { name: 'tag suffix ignored with a new tag', ref: 'nginx:1', image: { name: 'nginx', newTag: '2', tagSuffix: '-x' }, expected: 'nginx:2' },
  ];
  for (const c of cases) it(c.name, () => assert.equal(rewriteImageReference(c.ref, c.image), c.expected));
});

const FIELDS: FieldSpec[] = [
  { path: 'spec/containers[]/image', create: true },
  { path: 'spec/initContainers[]/image', create: true },
  { path: 'spec/img', kind: 'Foo' },
  { path: 'spec/made', kind: 'Foo', create: true },
];

describe('imageTransformer', () => {
  const cases: { name: string; image: Image; input: string; expected: string }[] = [
    {
      name: 'containers and init containers; ephemeral containers and other names untouched',
      image: { name: 'nginx', newName: 'r/nginx', newTag: '2' },
      input: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{image: nginx}, {image: nginx:1}, {image: docker.io/nginx}, {image: nginxy}]\n  initContainers: [{image: "nginx@sha256:a"}]\n  ephemeralContainers: [{image: nginx}]',
      expected: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{image: "r/nginx:2"}, {image: "r/nginx:2"}, {image: docker.io/nginx}, {image: nginxy}]\n  initContainers: [{image: "r/nginx:2"}]\n  ephemeralContainers: [{image: nginx}]',
    },
    {
      name: 'containers lists anywhere, custom specs, nothing created',
      image: { name: 'nginx', newTag: '2' },
      input: 'apiVersion: x/v1\nkind: Foo\nmetadata: {name: f}\nspec:\n  img: nginx:1\n  deep: {containers: [{image: nginx}, {name: noimage}, plain]}',
      expected: 'apiVersion: x/v1\nkind: Foo\nmetadata: {name: f}\nspec:\n  img: nginx:2\n  deep: {containers: [{image: nginx:2}, {name: noimage}, plain]}',
    },
    {
      name: 'the name is a regular expression',
      image: { name: 'a.b', newName: 'c' },
      input: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{image: aXb}, {image: "a.b:1"}]}',
      expected: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{image: c}, {image: "c:1"}]}',
    },
    {
      name: 'tag suffix twice on pod containers (both passes), once elsewhere',
      image: { name: 'nginx', tagSuffix: '-x' },
      input: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{image: "nginx:1"}]}\n---\napiVersion: x/v1\nkind: Foo\nmetadata: {name: f}\nspec: {img: "nginx:1", deep: {containers: [{image: "nginx:1"}]}}',
      expected: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{image: "nginx:1-x-x"}]}\n---\napiVersion: x/v1\nkind: Foo\nmetadata: {name: f}\nspec: {img: "nginx:1-x", deep: {containers: [{image: "nginx:1-x"}]}}',
    },
    {
      name: 'CustomResourceDefinitions are never changed',
      image: { name: 'nginx', newTag: '2' },
      input: 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: c}\nspec: {containers: [{image: nginx}]}',
      expected: 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: c}\nspec: {containers: [{image: nginx}]}',
    },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(transform(imageTransformer(c.image, FIELDS), c.input), objects(c.expected)));

  it('a null image is the text null (and an image name is a pattern)', () => {
    const input = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{image: null}]}';
    assert.deepEqual(transform(imageTransformer({ name: 'null', newTag: '1' }, FIELDS), input)[0]!.spec, { containers: [{ image: 'null:1' }] });
  });

  it('an image field holding a map is an error', () => {
    const input = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{image: {a: b}}]}';
    assert.throws(() => transform(imageTransformer({ name: 'nginx', newTag: '1' }, FIELDS), input), (e: unknown) => e instanceof BuildError && /expected ScalarNode but got MappingNode/.test(e.message));
  });

  it('a scalar where a container list should be is an error', () => {
    const input = 'apiVersion: x/v1\nkind: Foo\nmetadata: {name: f}\nspec: {containers: notalist}';
    assert.throws(
      () => transform(imageTransformer({ name: 'nginx', newTag: '1' }, FIELDS), input),
      { message: "considering field 'spec/containers[]/image' of object Foo.v1.x/f.[noNs]: expected sequence or mapping node" },
    );
  });
});
