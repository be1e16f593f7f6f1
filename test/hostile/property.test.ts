/*
 * The promises of the README's threat model, checked on generated hostile input: repositories of
 * kustomizations, manifests, a fleet spec and capifleet's own state files (journal, catalog index,
 * configuration, caches), with symbolic links leading out of them, and argument lists over every
 * command. Whatever the input, capifleet:
 * - exits 0, 1 or 2, in bounded time;
 * - on exit 2 prints one line (besides one-line warnings; validate may instead report the input it
 *   could not read in its report), never a stack trace, an internal error or a raw JavaScript error;
 * - changes nothing outside the folders it was asked to write (a sentinel folder beside the
 *   repository, which the repository's links lead to; a path the user names through such a link
 *   is theirs to write, so none is given), and nothing at all for a command that only reads;
 * - leaves after `generate` (and `add-cluster`) the old tree or the new one, never a mix.
 *
 * A fixed seed and a bounded count keep CI short; CAPIFLEET_FUZZ_RUNS=5000 (and CAPIFLEET_FUZZ_SEED)
 * run longer on demand.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { it } from 'node:test';
import fc from 'fast-check';
import { tempTree } from '../support/files.js';
import { cliPath } from '../support/paths.js';

const RUNS = Number(process.env.CAPIFLEET_FUZZ_RUNS ?? 30);
const SEED = Number(process.env.CAPIFLEET_FUZZ_SEED ?? 13);
/** Far above any run's time here: only a hang reaches it. */
const TIMEOUT_MS = 60_000;

interface Run {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function capifleet(args: readonly string[], cwd: string, env: Record<string, string>, stdin: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliPath, ...args], { cwd, env: { ...process.env, ...env }, timeout: TIMEOUT_MS });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.stdin.on('error', () => {}); // a command that does not read stdin may close it first
    child.stdin.end(stdin);
    child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
}

/** Every entry below `root` with what it is: a file's content hash, a link's target, a folder; `skip` names left out. */
function snapshot(root: string, skip: ReadonlySet<string> = new Set()): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string): void => {
    for (const name of fs.readdirSync(path.join(root, rel)).sort()) {
      const p = rel ? `${rel}/${name}` : name;
      if (skip.has(p)) continue;
      const abs = path.join(root, p);
      const st = fs.lstatSync(abs);
      if (st.isSymbolicLink()) out.set(p, `link ${fs.readlinkSync(abs)}`);
      else if (st.isDirectory()) {
        out.set(p, 'folder');
        walk(p);
      } else if (st.isFile()) out.set(p, `file ${st.mode.toString(8)} ${createHash('sha256').update(fs.readFileSync(abs)).digest('hex')}`);
      else out.set(p, `special ${st.mode.toString(8)}`);
    }
  };
  walk('');
  return out;
}

/** The entries of `snap` below the generated roots. */
function generatedPart(snap: Map<string, string>): Map<string, string> {
  return new Map([...snap].filter(([p]) => /^(base|overlays)(\/|$)/.test(p)));
}

// ---- what a repository holds

const CONFIGMAP = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  k: v\n`;

/** Names a resource, a cluster or an environment may be given: ordinary, and made to lead out of a folder. */
const hostileName = fc.constantFrom('a', 'dev-1', '../../outside/escaped', '..', '.', '/etc/passwd', 'a/b', 'x\\y', "'\"", '', 'a'.repeat(300), '\u2028', 'é');

/** Kustomization texts: well-formed ones, ones reaching out of the tree, and broken YAML of each kind the issue lists. */
const kustomization = fc.oneof(
  fc.constantFrom(
    'resources:\n- cm.yaml\n',
    'resources:\n- cm.yaml\nnamePrefix: p-\nnamespace: ns\n',
    'resources:\n- ../outside-link/secret.yaml\n',
    'resources:\n- escape/sentinel.yaml\n',
    'resources:\n- ../../outside/sentinel.yaml\n',
    'configMapGenerator:\n- name: g\n  files:\n  - escape/sentinel.yaml\n',
    'configMapGenerator:\n- name: g\n  envs:\n  - /etc/hostname\n',
    'resources:\n',
    'resources: !!omap [a: b]\n',
    'resources:\n- cm.yaml\nnamePrefix: *nope\n',
    'resources:\n- cm.yaml\ncommonLabels:\n  <<: [1, 2]\n',
    'resources:\n- cm.yaml\nnamePrefix: "\u001b"\n',
    'resources:\n- cm.yaml\nnamePrefix: "\u0000"\n',
    '\t\n',
    '\ufeffresources:\n- cm.yaml\n',
    'resources:\n- cm.yaml\r',
    'resources:\n- cm.yaml\n...\n{[',
    'resources:\n- k2\n',
    'components:\n- cm.yaml\n',
    'patches:\n- path: escape/sentinel.yaml\n',
    'patches:\n- patch: |\n    - op: remove\n      path: /metadata\n',
    'helmCharts:\n- name: x\n',
    'generators:\n- |\n  apiVersion: builtin\n  kind: ConfigMapGenerator\n  metadata: {name: x}\n',
    'transformers:\n- |\n  apiVersion: someteam.example.com/v1\n  kind: Exec\n  metadata: {name: x}\n',
    'sortOptions:\n  order: bogus\nresources:\n- cm.yaml\n',
    'replicas:\n- name: a\n  count: 99999999999999999999999\n',
    'crds:\n- cm.yaml\nresources:\n- cm.yaml\n',
    'openapi:\n  path: escape/sentinel.yaml\nresources:\n- cm.yaml\n',
    'vars:\n- name: V\n  objref: {kind: ConfigMap, name: a, apiVersion: v1}\nresources:\n- cm.yaml\n',
    'kind: Kustomization\napiVersion: kustomize.config.k8s.io/v1beta1\nbuildMetadata: [originAnnotations]\nresources:\n- cm.yaml\n',
  ),
  fc.integer({ min: 1, max: 700 }).map((n) => `resources:\n- cm.yaml\nnamePrefix: ${'['.repeat(n)}${']'.repeat(n)}\n`),
  fc.integer({ min: 1, max: 700 }).map((n) => `resources:\n- cm.yaml\nlabels:\n- pairs:\n${Array.from({ length: n }, (_, i) => `${'  '.repeat(i + 2)}k:\n`).join('')}`),
  fc.tuple(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 6 })).map(([wide, deep]) => {
    let s = `a0: &a0 [${Array(wide).fill('x').join(', ')}]\n`;
    for (let i = 1; i <= deep; i++) s += `a${i}: &a${i} [${Array(wide).fill(`*a${i - 1}`).join(', ')}]\n`;
    return `resources:\n- cm.yaml\n${s}`;
  }),
  // a well-formed one with hostile bytes spliced in
  fc.tuple(fc.nat(40), fc.constantFrom('\u0000', '\u0085', '\u2028', '\uFFFE', '\t', '\r', '&a', '*a', '!!binary ', '%YAML 2.0\n', '\n---\n', '{', ']', '"', "'", '#', '<<: *a\n'))
    .map(([at, bytes]) => {
      const text = 'resources:\n- cm.yaml\nnamePrefix: p-\n';
      const i = Math.min(at, text.length);
      return text.slice(0, i) + bytes + text.slice(i);
    }),
);

/** Manifest texts: named to lead out of an -o folder, broken, encoded oddly. */
const manifest = fc.oneof(
  hostileName.map((n) => CONFIGMAP(JSON.stringify(n))),
  fc.constantFrom(
    'apiVersion: v1\nkind: 65535\nmetadata: {name: a}\n',
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n',
    'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: ws.example.com}\nspec:\n  group: example.com\n  names: {kind: ../../../../outside/pwned, plural: ws}\n  scope: Namespaced\n  versions:\n  - name: v1\n    served: true\n    storage: true\n    schema: {openAPIV3Schema: {type: object}}\n',
    '\ufeff\u0000a\u0000:\u0000 \u00001\u0000',
    '   \t  \n',
    '',
    'a: [[[[[[[[[[',
    CONFIGMAP('a') + 'data: {x: *undefined}\n',
  ),
);

/** A fleet spec, or something in its place. */
const fleetSpec = fc.oneof(
  fc.tuple(hostileName, fc.constantFrom('dev', 'prod', '../x', '')).map(
    ([cluster, env]) => `apiVersion: capifleet.io/v1alpha1
kind: Fleet
metadata:
  name: contoso
spec:
  namespace: contoso-clusters
  repository: {url: https://github.com/contoso/fleet, branch: main}
  defaults:
    provider: docker
    kubernetesVersion: v1.32.6
    controlPlane: {replicas: 1}
    nodePools: [{name: workers, replicas: 1}]
  environments:
    - name: dev
  clusters:
    - name: dev-1
      environment: dev
    - name: ${JSON.stringify(cluster)}
      environment: ${JSON.stringify(env)}
`,
  ),
  fc.integer({ min: 1, max: 3000 }).map((n) => `apiVersion: capifleet.io/v1alpha1\nkind: Fleet\nspec: ${'['.repeat(n)}${']'.repeat(n)}\n`),
  fc.constantFrom('', 'null\n', '[]\n', 'kind: Fleet\n', '\u0000'),
);

const journal = fc.constantFrom(
  '[]',
  'null',
  '{"renames":5}',
  '{"renames":[],"removals":[5]}',
  '{"renames":[],"removals":["escape/sentinel.yaml"]}',
  '{"renames":[["escape/secret.yaml","stolen.yaml"]],"removals":[]}',
  '{"renames":[["overlays/dev/dev-1/.capifleet-1-0.tmp","../outside/x"]],"removals":[]}',
  '{"renames":[],"removals":["base/../../outside/sentinel.yaml"]}',
  '{',
  '',
);

const catalogIndex = fc.constantFrom(
  '',
  '{"schemas": [',
  '[]',
  '{"schemas": 5}',
  '{"schemas":[{"apiVersion":"example.com/v1","kind":"W","file":"../../../etc/hostname","deprecated":false,"hash":"x","source":{"project":"p","tag":"t","file":"f"}}]}',
  '{"schemas":[{"apiVersion":"v1","kind":"ConfigMap","file":"link.json","deprecated":false,"hash":"x","source":{"project":"p","tag":"t","file":"f"}}]}',
);

const config = fc.constantFrom('', 'null\n', '[]\n', 'rules: 5\n', 'exclude: [**]\n', 'missingSchemas: maybe\n', '\u0000');

/** One repository: each file or state file present or not, and links out of it. */
const repository = fc.record(
  {
    kustomization,
    nested: kustomization,
    manifest,
    fleet: fleetSpec,
    journal,
    catalogIndex,
    config,
    cacheIsLinkOut: fc.boolean(),
    generatedRootIsLinkOut: fc.boolean(),
    generateFirst: fc.boolean(),
  },
  { requiredKeys: ['kustomization', 'manifest', 'generateFirst'] },
);

type Repository = typeof repository extends fc.Arbitrary<infer T> ? T : never;

// ---- what the user asks

/** Commands and their arguments; the flag says whether the command only reads. */
const command = fc.oneof(
  fc.constantFrom<[string[], boolean]>(
    [['render', 'k'], true],
    [['render', 'k', 'k'], true],
    [['render', 'k', '--load-restrictor', 'none'], true],
    [['render', 'k', '-o', 'out'], false],
    [['render', 'k', '-o', 'out.yaml'], false],
    [['render', 'k', '-o', 'link-out.yaml'], false],
    [['render', 'k', '-o', '/dev/null'], false],
    [['render', 'k', '-o', ''], false],
    [['render', 'fifo'], true],
    [['validate', '.', '--no-cache'], true],
    [['validate', 'k', '--no-cache'], true],
    [['validate', 'k', 'cm.yaml', '--no-cache', '-o', 'json'], true],
    [['validate', '-', '--no-cache'], true],
    [['validate', 'fifo', '--no-cache'], true],
    [['validate', '.', '--vars-file', ''], true],
    [['validate', '.'], false],
    [['generate'], false],
    [['generate', '--spec', 'fleet.yaml'], false],
    [['add-cluster', 'dev-9', '--env', 'dev'], false],
    [['add-cluster', '../x', '--env', 'dev'], false],
    [['schemas', 'list'], true],
    [['schemas', 'list', '-o', 'json'], true],
    [['schemas', 'import', 'cm.yaml'], false],
    [['schemas', 'import', 'k'], false],
    [['init', 'new.yaml'], false],
    [['init', 'fleet.yaml', '--force'], false],
    [['diff', 'k', 'k2'], true],
  ),
  // words from every command, in any order
  fc
    .array(
      fc.constantFrom('render', 'validate', 'generate', 'schemas', 'import', 'list', 'diff', 'init', 'k', '.', '-', '-o', 'out', '--jobs', '0', '99999999999999999999', '--load-restrictor', 'bogus', '--var', 'A', '--vars-file', '', '--spec', '--env', '--provider', '--strict-refs', '--no-cache', '--help', '--', '--bogus', '-x', 'fifo'),
      { maxLength: 6 },
    )
    .map((args): [string[], boolean] => [args, false]),
);

/** Writes the repository `repo` at `root/repo`, beside the sentinel folder `root/outside`. */
function writeRepository(root: string, r: Repository): string {
  const dir = path.join(root, 'repo');
  const write = (rel: string, content: string | undefined): void => {
    if (content === undefined) return;
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  };
  write('k/kustomization.yaml', r.kustomization);
  write('k/cm.yaml', r.manifest);
  write('k/k2/kustomization.yaml', r.nested ?? 'resources:\n- ../cm.yaml\n');
  write('k2/kustomization.yaml', 'resources:\n- cm.yaml\n');
  write('k2/cm.yaml', CONFIGMAP('b'));
  write('cm.yaml', r.manifest);
  write('fleet.yaml', r.fleet);
  write('.capifleet-generate.journal', r.journal);
  write('.capifleet/schemas/index.json', r.catalogIndex);
  write('.capifleet.yaml', r.config);
  fs.symlinkSync('../outside', path.join(dir, 'escape'));
  fs.symlinkSync('../../outside', path.join(dir, 'k', 'escape'));
  fs.symlinkSync('../outside/sentinel.yaml', path.join(dir, 'link-out.yaml'));
  if (r.catalogIndex !== undefined) fs.symlinkSync('../../../outside/schema.json', path.join(dir, '.capifleet/schemas/link.json'));
  if (r.cacheIsLinkOut) fs.symlinkSync('../outside', path.join(dir, '.capifleet-cache'));
  if (r.generatedRootIsLinkOut) fs.symlinkSync('../outside', path.join(dir, 'overlays'));
  fs.symlinkSync('..', path.join(root, 'outside-link'));
  return dir;
}

it('hostile repositories and command lines: exit 0/1/2, one line for 2, nothing written outside, generate whole or not at all', { timeout: 30 * 60_000 }, async () => {
  await fc.assert(
    fc.asyncProperty(repository, command, async (repo, [args, readOnly]) => {
      const root = tempTree('property');
      try {
        fs.mkdirSync(path.join(root, 'outside'));
        fs.writeFileSync(path.join(root, 'outside', 'sentinel.yaml'), CONFIGMAP('sentinel'));
        fs.writeFileSync(path.join(root, 'outside', 'secret.yaml'), 'token: secret-token-13\n');
        fs.writeFileSync(path.join(root, 'outside', 'schema.json'), '{"type": "object"}');
        const dir = writeRepository(root, repo);
        // a FIFO nobody writes: reading it would block for ever
        execFileSync('mkfifo', [path.join(dir, 'fifo')]);
        const env = { XDG_CACHE_HOME: path.join(root, 'xdg'), HOME: path.join(root, 'home'), NO_COLOR: '1' };
        if (repo.generateFirst && repo.fleet !== undefined && !repo.journal) await capifleet(['generate'], dir, env, '');
        const outsideBefore = snapshot(path.join(root, 'outside'));
        // the user's cache secret and the caches validate keeps are its own to write
        const own = new Set(['.capifleet-cache', 'fifo']);
        const repoBefore = snapshot(dir, own);
        const r = await capifleet(args, dir, env, repo.manifest);
        const what = `capifleet ${JSON.stringify(args)}\n--- stderr\n${r.stderr}`;

        assert.ok(r.signal === null, `ended by ${r.signal} (a hang?): ${what}`);
        assert.ok([0, 1, 2].includes(r.status!), `exit ${r.status}: ${what}`);
        assert.doesNotMatch(r.stderr, /^\s+at .*:\d+:\d+\)?$/m, `a stack trace: ${what}`);
        assert.doesNotMatch(r.stderr + r.stdout, /internal error|\b(TypeError|RangeError|ReferenceError|SyntaxError)\b|Maximum call stack|\bE[A-Z]{3,}\b.*(open|scandir|rename|mkdir|lstat|unlink)/, `a raw error: ${what}`);
        if (r.status === 2) {
          const lines = r.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('capifleet: warning: '));
          // validate reports input it cannot read as findings of its report, on stdout
          const reported = args[0] === 'validate' && lines.length === 0 && r.stdout !== '';
          if (!reported) {
            assert.equal(lines.length, 1, `not one line: ${what}`);
            assert.match(lines[0]!, /^capifleet: \S/, what);
          }
        }
        assert.doesNotMatch(r.stdout + r.stderr, /secret-token-13/, `a file outside was quoted: ${what}`);
        assert.deepEqual(snapshot(path.join(root, 'outside')), outsideBefore, `outside changed: ${what}`);
        if (readOnly) assert.deepEqual(snapshot(dir, own), repoBefore, `a reading command changed the repository: ${what}`);
        if ((args[0] === 'generate' || args[0] === 'add-cluster') && r.status !== 0) {
          assert.deepEqual(generatedPart(snapshot(dir, own)), generatedPart(repoBefore), `a failed ${args[0]} changed the tree: ${what}`);
        }
        if (args[0] === 'generate' && r.status === 0) {
          // the new tree, whole: generating again from it changes nothing
          const again = snapshot(dir, own);
          const second = await capifleet(['generate'], dir, env, '');
          assert.equal(second.status, 0, `a second generate: ${second.stderr}`);
          assert.deepEqual(generatedPart(snapshot(dir, own)), generatedPart(again), `generate left a tree it does not stand by: ${what}`);
        }
      } finally {
        fs.rmSync(root, { recursive: true, force: true });
      }
    }),
    { numRuns: RUNS, seed: SEED, endOnFailure: true, includeErrorInReport: true },
  );
});
