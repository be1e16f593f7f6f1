import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { cliPath } from '../support/paths.js';
import { tempTree } from '../support/files.js';

/** A kustomization whose build prints far more than a pipe holds (64 KiB), so the tool is still writing when its reader goes. */
function largeBuild(): string {
  const configMaps = Array.from({ length: 3000 }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings-${i}\ndata:\n  key: value-${i}\n`).join('---\n');
  return tempTree('capifleet-closed-output-', { 'kustomization.yaml': 'resources:\n- configmaps.yaml\n', 'configmaps.yaml': configMaps });
}

/** Runs the tool, closes its standard output after the first bytes arrive (as `| head -c 1` does) and gives its exit code and standard error. */
function runUntilFirstBytes(args: string[], cwd: string): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout.once('data', () => child.stdout.destroy());
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stderr }));
  });
}

describe('a reader that goes away before the output ends', () => {
  for (const [what, args] of [
    ['render', ['render', '.']],
    ['validate --output json', ['validate', '.', '--output', 'json', '--no-cache']],
  ] as const) {
    it(`${what} drops the rest of its output and exits as its work says, with no stack trace`, async () => {
      const r = await runUntilFirstBytes([...args], largeBuild());
      assert.equal(r.stderr, '');
      assert.equal(r.status, 0);
    });
  }
});
