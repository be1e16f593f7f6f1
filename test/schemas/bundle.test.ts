import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { writeCatalogFolder } from '../../src/schemas/bundle.js';

describe('writeCatalogFolder', () => {
  it('replaces the generated catalog and keeps the hand-written fleet spec schema', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-catalog-'));
    fs.mkdirSync(path.join(dir, 'fleet'));
    fs.writeFileSync(path.join(dir, 'fleet', 'v1alpha1.json'), '{}\n');
    fs.mkdirSync(path.join(dir, 'stale.io', 'v1'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'stale.io', 'v1', 'Old.json'), '{}\n');
    writeCatalogFolder(dir, new Map([['index.json', '{"schemas":[]}\n'], ['apps/v1/Deployment.json', '{}\n']]));
    assert.deepEqual(fs.readdirSync(dir).sort(), ['apps', 'fleet', 'index.json']);
    assert.equal(fs.readFileSync(path.join(dir, 'fleet', 'v1alpha1.json'), 'utf8'), '{}\n');
  });
});
