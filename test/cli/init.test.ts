import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { loadFleet } from '../../src/fleet/load.js';
import { cliPath } from '../support/paths.js';

function capifleet(args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', cwd });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('capifleet init', () => {
  it('writes fleet.yaml that loads, pointing editors at the installed schema', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-init-'));
    const r = capifleet(['init'], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'wrote fleet.yaml\n');
    const text = fs.readFileSync(path.join(dir, 'fleet.yaml'), 'utf8');
    assert.match(text, /^# yaml-language-server: \$schema=\.\/node_modules\/capifleet\/schemas\/fleet\/v1alpha1\.json\n/);
    assert.equal(loadFleet(text, 'fleet.yaml').clusters.length, 4);
    assert.deepEqual(fs.readdirSync(dir), ['fleet.yaml']);
  });

  it('refuses to overwrite a file without --force, exit 2, and overwrites with it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-init-'));
    fs.writeFileSync(path.join(dir, 'mine.yaml'), 'keep me\n');
    const refused = capifleet(['init', 'mine.yaml'], dir);
    assert.equal(refused.status, 2);
    assert.equal(refused.stderr, 'capifleet: mine.yaml: already exists; use --force to overwrite it\n');
    assert.equal(fs.readFileSync(path.join(dir, 'mine.yaml'), 'utf8'), 'keep me\n');
    const forced = capifleet(['init', 'mine.yaml', '--force'], dir);
    assert.equal(forced.status, 0, forced.stderr);
    assert.match(fs.readFileSync(path.join(dir, 'mine.yaml'), 'utf8'), /^# yaml-language-server/);
  });
});
