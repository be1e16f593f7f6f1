import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { casesDir, cliPath } from '../support/paths.js';

function capifleet(args: string[], cwd = process.cwd()): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', cwd });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const basic = path.join(casesDir, 'core-nested-bases');
const other = path.join(casesDir, 'core-component-basic');
const expected = (dir: string): string => fs.readFileSync(path.join(dir, 'expected.yaml'), 'utf8');

describe('capifleet render', () => {
  it('prints the build of one directory and exits 0', () => {
    const r = capifleet(['render', basic]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, expected(basic));
  });

  it('prints several builds as one stream', () => {
    const r = capifleet(['render', basic, other]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, `${expected(basic)}---\n${expected(other)}`);
  });

  it('writes one file per overlay with -o and several directories', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-out-'));
    const r = capifleet(['render', '-o', out, path.relative(casesDir, basic), path.relative(casesDir, other)], casesDir);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(fs.readdirSync(out).sort(), ['core-component-basic.yaml', 'core-nested-bases.yaml']);
    assert.equal(fs.readFileSync(path.join(out, 'core-nested-bases.yaml'), 'utf8'), expected(basic));
  });

  it('writes one file per resource with -o to a folder and one directory, as kustomize build -o', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-out-'));
    const r = capifleet(['render', '-o', out, other]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(fs.readdirSync(out).sort(), ['v1_configmap_base-cm.yaml', 'v1_configmap_from-component.yaml']);
  });

  it('writes a file with -o and one directory', () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-out-')), 'all.yaml');
    const r = capifleet(['render', '-o', out, basic]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(fs.readFileSync(out, 'utf8'), expected(basic));
  });

  for (const [name, needle] of [
    ['core-err-unknown-field', /kustomization\.yaml:2: unknown field 'namePrefx'/],
    ['core-err-missing-resource', /kustomization\.yaml:1: .*nope\.yaml/],
    ['core-err-malformed-yaml', /bad\.yaml:\d+: /],
    ['core-err-remote', /vendor it/],
    ['no-such-case', /must build at directory: not a valid directory: .*no-such-case: no such file or directory/],
    // kustomize's words quote the plugin's config and the node across lines
    ['patch-err-path-and-patch', /kustomization\.yaml:4: trouble configuring builtin PatchTransformer with config: ` patch: '\[\]' path: p\.json/],
    ['patch-err-wrong-node-kind', /kustomization\.yaml:4: wrong node kind: expected MappingNode but got SequenceNode: node contents: - not - a - map$/m],
    ['core-err-alias-fanout', /kustomization\.yaml:8: invalid YAML: document contains excessive aliasing/],
    ['yaml-parse-err-control-char-value', /resources\.yaml:7: invalid YAML: control characters are not allowed/],
  ] as const) {
    it(`reports ${name} as one line naming the file, exit 2`, () => {
      const r = capifleet(['render', path.join(casesDir, name)]);
      assert.equal(r.status, 2);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, needle);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    });
  }

  it('takes --jobs as validate does: 1 is this thread alone, 0 is refused', () => {
    const r = capifleet(['render', '--jobs', '1', basic, other]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, `${expected(basic)}---\n${expected(other)}`);
    const refused = capifleet(['render', '--jobs', '0', basic, other]);
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /--jobs 0: expected a whole number of threads, 1 or more/);
  });

  it('rejects bad usage with exit 2', () => {
    assert.equal(capifleet(['render']).status, 2);
    assert.equal(capifleet(['render', '--load-restrictor', 'sometimes', basic]).status, 2);
    assert.equal(capifleet(['frobnicate']).status, 2);
  });
});

describe('capifleet render -o writes only where it is told', () => {
  /** A kustomization `k` holding a ConfigMap named `name`, in `work/` beside an empty `outside/`. */
  function workspace(name: string): { work: string; outside: string } {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-render-out-'));
    const work = path.join(parent, 'work');
    fs.mkdirSync(path.join(work, 'k'), { recursive: true });
    fs.mkdirSync(path.join(parent, 'outside'));
    fs.writeFileSync(path.join(work, 'k/kustomization.yaml'), 'resources: [cm.yaml]\n');
    fs.writeFileSync(path.join(work, 'k/cm.yaml'), `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${JSON.stringify(name)}\n`);
    return { work, outside: path.join(parent, 'outside') };
  }

  it('keeps a file named from a resource inside the folder', () => {
    const { work, outside } = workspace('../../../../outside/escaped');
    fs.mkdirSync(path.join(work, 'out'));
    const r = capifleet(['render', 'k', '-o', 'out'], work);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(fs.readdirSync(path.join(work, 'out')), ['v1_configmap_.._.._.._.._outside_escaped.yaml']);
    assert.deepEqual(fs.readdirSync(outside), []);
  });

  for (const [what, target, kind] of [
    ['a symbolic link', 'link.yaml', /link\.yaml: it is a symbolic link, not a regular file/],
    ['a device', '/dev/null', /\/dev\/null: it is a device, not a regular file/],
  ] as const) {
    it(`refuses to replace ${what} in one line, exit 2, leaving it as it was`, () => {
      const { work, outside } = workspace('cm');
      fs.writeFileSync(path.join(outside, 'secret.yaml'), 'secret\n');
      fs.symlinkSync(path.join(outside, 'secret.yaml'), path.join(work, 'link.yaml'));
      const r = capifleet(['render', 'k', '-o', target], work);
      assert.equal(r.status, 2);
      assert.match(r.stderr, kind);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.ok(fs.lstatSync(path.join(work, 'link.yaml')).isSymbolicLink());
      assert.ok(fs.lstatSync('/dev/null').isCharacterDevice());
      assert.equal(fs.readFileSync(path.join(outside, 'secret.yaml'), 'utf8'), 'secret\n');
      assert.deepEqual(fs.readdirSync(work).sort(), ['k', 'link.yaml']);
    });
  }
});
