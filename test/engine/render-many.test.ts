import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { BuildError } from '../../src/errors.js';
import { renderMany } from '../../src/engine/render-many.js';
import { renderYaml } from '../../src/engine/output.js';
import { render } from '../../src/engine/target.js';

/** A base and `n` overlays over it, each with its own namespace and prefix. */
function fleet(n: number): string[] {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-many-'));
  fs.mkdirSync(path.join(root, 'base'));
  fs.writeFileSync(path.join(root, 'base', 'kustomization.yaml'), 'resources: [cm.yaml]\nconfigMapGenerator: [{name: gen, literals: [a=b]}]\n');
  fs.writeFileSync(path.join(root, 'base', 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n');
  return Array.from({ length: n }, (_, i) => {
    const dir = path.join(root, `o${i}`);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'kustomization.yaml'), `resources: [../base]\nnamespace: ns-${i}\nnamePrefix: p${i}-\n`);
    return dir;
  });
}

describe('renderMany', () => {
  it('gives each directory the same output as a single render, in order, across threads', async () => {
    const dirs = fleet(130);
    const many = await renderMany(dirs, { threads: 2 });
    assert.deepEqual(many.map((m) => m.dir), dirs);
    for (const i of [0, 1, 64, 129]) assert.equal(many[i]!.yaml, renderYaml(render(dirs[i]!)));
    assert.match(many[7]!.yaml, /namespace: ns-7/);
  });

  it('reports progress for every directory', async () => {
    const dirs = fleet(3);
    const seen: number[] = [];
    await renderMany(dirs, { onProgress: (done) => seen.push(done) });
    assert.deepEqual(seen, [1, 2, 3]);
  });

  it('passes a user error back from a worker thread as a BuildError with its file', async () => {
    const dirs = fleet(130);
    fs.writeFileSync(path.join(dirs[100]!, 'kustomization.yaml'), 'resources: [missing.yaml]\n');
    await assert.rejects(renderMany(dirs, { threads: 2 }), (e: unknown) => e instanceof BuildError && /kustomization\.yaml$/.test(e.file ?? ''));
  });
});
