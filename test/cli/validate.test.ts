import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { BASE_SPEC as FLEET } from '../fleet/specs.js';
import { casesDir, cliPath } from '../support/paths.js';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function capifleet(args: string[], options: { cwd: string; stdin?: string; env?: Record<string, string> }): Promise<Run> {
  return new Promise((resolve) => {
    const env = { ...process.env, ...options.env };
    delete env.NO_COLOR;
    delete env.FORCE_COLOR;
    Object.assign(env, options.env);
    const child = spawn(process.execPath, [cliPath, 'validate', ...args], { cwd: options.cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}

function project(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-validate-'));
  for (const [p, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
    fs.writeFileSync(path.join(root, p), content);
  }
  return root;
}

const GOOD = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: good\ndata:\n  a: "1"\n';
const BAD = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bad\ndata:\n  a: 1\n';
const UNKNOWN = 'apiVersion: example.io/v1\nkind: Gadget\nmetadata:\n  name: g\n';
const TEMPLATED = 'apiVersion: cluster.x-k8s.io/v1beta2\nkind: MachineDeployment\nmetadata:\n  name: md\nspec:\n  clusterName: c\n  replicas: ${WORKER_MACHINE_COUNT}\n  selector: {}\n  template:\n    spec:\n      clusterName: c\n      bootstrap: {dataSecretName: x}\n      infrastructureRef: {apiGroup: infrastructure.cluster.x-k8s.io, kind: DockerMachineTemplate, name: t}\n';

describe('capifleet validate', { concurrency: true }, () => {
  const cases: { name: string; files: Record<string, string>; args: string[]; stdin?: string; env?: Record<string, string>; status: number; out?: RegExp; err?: RegExp; noOut?: RegExp }[] = [
    { name: 'no findings: exit 0 (default path: the working directory)', files: { 'a.yaml': GOOD }, args: [], status: 0, out: /✔ 0 errors, 0 warnings in 1 overlay \(1 resource\)/ },
    { name: 'warnings only: exit 0', files: { 'a.yaml': UNKNOWN }, args: ['a.yaml'], status: 0, out: /no schema for example\.io\/v1 Gadget/ },
    { name: 'errors: exit 1, pointing at the line', files: { 'a.yaml': BAD }, args: ['.'], status: 1, out: /a\.yaml:6: ConfigMap bad: data\.a: expected string, got integer 1 \[schema\/type\]/ },
    { name: '--missing-schemas error: exit 1', files: { 'a.yaml': UNKNOWN }, args: ['--missing-schemas', 'error'], status: 1, out: /error +a\.yaml:1/ },
    { name: '--missing-schemas ignore', files: { 'a.yaml': UNKNOWN }, args: ['--missing-schemas', 'ignore'], status: 0, out: /0 warnings/ },
    { name: 'stdin', files: {}, args: ['-', '-o', 'github'], stdin: BAD, status: 1, out: /^::error title=capifleet schema\/type::ConfigMap bad/m },
    { name: 'template variables are exempt', files: { 'md.yaml': TEMPLATED }, args: ['md.yaml'], status: 0 },
    { name: '--strict-vars checks them', files: { 'md.yaml': TEMPLATED }, args: ['md.yaml', '--strict-vars'], status: 1, out: /spec\.replicas: expected integer/ },
    { name: '--var substitutes first', files: { 'md.yaml': TEMPLATED }, args: ['md.yaml', '--var', 'WORKER_MACHINE_COUNT=many'], status: 1, out: /got string "many"/ },
    { name: '--vars-file', files: { 'md.yaml': TEMPLATED, 'vars.env': 'WORKER_MACHINE_COUNT=3\n' }, args: ['md.yaml', '--vars-file', 'vars.env', '--strict-vars'], status: 0 },
    { name: '.capifleet.yaml re-grades a rule', files: { 'a.yaml': BAD, '.capifleet.yaml': 'rules:\n  schema/type: warning\n' }, args: [], status: 0, out: /warning +a\.yaml:6/ },
    { name: 'colors when forced, never with NO_COLOR', files: { 'a.yaml': BAD }, args: [], env: { FORCE_COLOR: '1', NO_COLOR: '1' }, status: 1, noOut: /\x1b/ },
    { name: 'FORCE_COLOR colors', files: { 'a.yaml': BAD }, args: [], env: { FORCE_COLOR: '1' }, status: 1, out: /\x1b\[31merror/ },
    { name: 'a fleet spec is checked as generate would, not taken for a kind without schema', files: { 'fleet.yaml': FLEET }, args: [], status: 0, out: /✔ 0 errors, 0 warnings/ },
    { name: 'a bad fleet spec: its error with file and line', files: { 'fleet.yaml': FLEET.replace('environment: dev', 'environment: qa') }, args: [], status: 1, out: /fleet\.yaml:\d+: .*qa.* \[fleet\/spec\]/ },
    { name: 'sarif output', files: { 'a.yaml': BAD }, args: ['-o', 'sarif'], status: 1, out: /"startLine": 6/ },
    { name: 'bad YAML: report, then exit 2', files: { 'a.yaml': 'a: [\n' }, args: ['a.yaml'], status: 2, out: /input\/yaml/ },
    { name: 'a path that does not exist: exit 2', files: {}, args: ['nope'], status: 2, err: /no such file or directory: nope/ },
    { name: 'an unknown output format: exit 2', files: { 'a.yaml': GOOD }, args: ['-o', 'xml'], status: 2, err: /Invalid values/ },
    { name: 'a bad --var: exit 2', files: { 'a.yaml': GOOD }, args: ['--var', 'novalue'], status: 2, err: /--var novalue: expected NAME=VALUE/ },
    { name: 'a bad configuration: exit 2', files: { 'a.yaml': GOOD, '.capifleet.yaml': 'rules:\n  nope: off\n' }, args: [], status: 2, err: /\.capifleet\.yaml:2: unknown rule "nope"/ },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const r = await capifleet(c.args, { cwd: project(c.files), ...(c.stdin !== undefined ? { stdin: c.stdin } : {}), ...(c.env ? { env: c.env } : {}) });
      assert.equal(r.status, c.status, `${r.stdout}\n${r.stderr}`);
      if (c.out) assert.match(r.stdout, c.out);
      if (c.noOut) assert.doesNotMatch(r.stdout, c.noOut);
      if (c.err) assert.match(r.stderr, c.err);
    });
  }

  it('renders a kustomization; references missing from it are errors only with --strict-refs', async () => {
    const overlay = path.join(casesDir, 'gitops-capi-cluster', 'prod');
    const [lenient, strict] = await Promise.all([
      capifleet([overlay, '--no-cache', '-o', 'json'], { cwd: os.tmpdir() }),
      capifleet([overlay, '--no-cache', '--strict-refs', '-o', 'json'], { cwd: os.tmpdir() }),
    ]);
    assert.equal(lenient.status, 0, lenient.stderr);
    assert.equal(strict.status, 1, strict.stderr);
    const findings = JSON.parse(strict.stdout).findings as { ruleId: string; severity: string; location: { file: string } }[];
    assert.ok(findings.some((f) => f.ruleId === 'capi-cluster-refs' && f.severity === 'error' && f.location.file.endsWith('base/cluster.yaml')));
  });
});
