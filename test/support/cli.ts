import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cliPath } from './paths.js';

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The built command-line tool in `cwd`, without colour (NO_COLOR, no FORCE_COLOR), with `extraEnv` on top (`{FORCE_COLOR: '1', NO_COLOR: ''}` colours). */
export function runCli(args: string[], cwd: string, extraEnv: NodeJS.ProcessEnv = {}): CliRun {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.FORCE_COLOR;
  Object.assign(env, extraEnv);
  const r = spawnSync(process.execPath, [cliPath, ...args], { cwd, env, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A git command in `cwd` by a test identity, unsigned; it must succeed. Its output. */
export function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}
