import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { buildId, BUILD_ID_CODE_DIR, BUILD_ID_FILE, hashCompiledCode } from '../../src/cli/build-info.js';
import { BUNDLED_SCHEMAS_DIR } from '../../src/schemas/catalog.js';
import { SHIPPED_CODE_ROOT } from '../../src/schemas/compiled-schemas.js';
import { repoRoot } from '../support/paths.js';

describe('the build', () => {
  it("makes package.json's bin executable, so `npx capifleet` runs in a fresh clone (npm links it before the build)", () => {
    const bin = (JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin.capifleet!;
    assert.doesNotThrow(() => fs.accessSync(path.join(repoRoot, bin), fs.constants.X_OK));
  });

  it('packs every file the tool reads at run time (package.json files)', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { files: string[]; bin: Record<string, string> };
    const packed = (file: string) => manifest.files.some((entry) => file === entry || file.startsWith(`${entry}/`));
    for (const needed of [manifest.bin.capifleet!, BUILD_ID_FILE, BUILD_ID_CODE_DIR, SHIPPED_CODE_ROOT, BUNDLED_SCHEMAS_DIR]) {
      const relative = path.relative(repoRoot, path.resolve(repoRoot, needed)).split(path.sep).join('/');
      assert.ok(packed(relative), `${relative} is not in package.json's files`);
    }
  });
});

describe('build id', () => {
  it('is the hash the build recorded over the compiled code', () => {
    assert.equal(buildId(), fs.readFileSync(BUILD_ID_FILE, 'utf8').trim());
    assert.equal(buildId(), hashCompiledCode(BUILD_ID_CODE_DIR));
  });

  it('changes when any compiled module changes, and only then', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-build-id-'));
    fs.mkdirSync(path.join(dir, 'validate'));
    fs.writeFileSync(path.join(dir, 'a.js'), 'a');
    fs.writeFileSync(path.join(dir, 'validate', 'b.js'), 'b');
    fs.writeFileSync(path.join(dir, 'notes.md'), 'not code');
    const first = hashCompiledCode(dir);
    assert.equal(hashCompiledCode(dir), first);
    fs.writeFileSync(path.join(dir, 'notes.md'), 'still not code');
    assert.equal(hashCompiledCode(dir), first);
    fs.writeFileSync(path.join(dir, 'validate', 'b.js'), 'b2');
    assert.notEqual(hashCompiledCode(dir), first);
  });
});
