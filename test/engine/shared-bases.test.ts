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

  it('build each overlay as it builds alone', () => {
    const root = overlaysOverNestedBase();
    const cache = new FileCache();
    for (const overlay of ['a', 'b', 'c', 'a']) {
      const dir = path.join(root, overlay);
      assert.equal(renderYaml(render(dir, { fileCache: cache })), renderYaml(render(dir)), overlay);
    }
  });
});
