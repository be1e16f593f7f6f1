import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { cliPath } from '../support/paths.js';

function capifleet(args: string[], cwd: string, input?: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', cwd, input });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const widgetCrd = (group: string, kind: string) => `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: x}
spec:
  group: ${group}
  names: {kind: ${kind}}
  versions:
  - name: v1
    served: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec: {type: object, properties: {size: {type: integer}}}
`;

function project(files: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-schemas-'));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

describe('capifleet schemas import', () => {
  it('imports a file into .capifleet/schemas and list shows it', () => {
    const dir = project({ 'crds/widget.yaml': widgetCrd('example.com', 'Widget') });
    const r = capifleet(['schemas', 'import', 'crds/widget.yaml'], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'imported example.com/v1 Widget\n');
    const schema = JSON.parse(fs.readFileSync(path.join(dir, '.capifleet/schemas/example.com/v1/Widget.json'), 'utf8'));
    assert.deepEqual(schema.properties.spec.properties.size, { type: 'integer' });
    const list = capifleet(['schemas', 'list'], dir);
    assert.match(list.stdout, /^example\.com\/v1 +Widget +local:crds\/widget\.yaml +- +false$/m);
    assert.match(list.stdout, /^APIVERSION +KIND +SOURCE +RELEASE +DEPRECATED$/m);
    // each bundled schema names the release it comes from
    assert.match(list.stdout, /^helm\.toolkit\.fluxcd\.io\/v2 +HelmRelease +flux\/helm-controller@v1\.6\.3 +Flux 2\.9 +false$/m);
    assert.match(list.stdout, /^cluster\.x-k8s\.io\/v1beta2 +Cluster +cluster-api@v1\.14\.0 +Cluster API v1\.14 +false$/m);
    assert.match(list.stdout, /^infrastructure\.cluster\.x-k8s\.io\/v1beta1 +AzureCluster +cluster-api-provider-azure@v1\.26\.0 +CAPZ v1\.26 +false$/m);
    assert.match(list.stdout, /^apps\/v1 +Deployment +kubernetes-models@4\.5\.1 +Kubernetes 1\.33 +false$/m);
  });

  it('imports every CRD under a directory, skipping other documents', () => {
    const dir = project({
      'in/a.yaml': `${widgetCrd('a.io', 'A')}---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n`,
      'in/sub/b.yml': widgetCrd('b.io', 'B'),
      'in/notes.txt': 'not yaml: [',
    });
    const r = capifleet(['schemas', 'import', 'in'], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'imported a.io/v1 A\nimported b.io/v1 B\n');
  });

  it('imports from stdin with -', () => {
    const dir = project();
    const r = capifleet(['schemas', 'import', '-'], dir, widgetCrd('s.io', 'S'));
    assert.equal(r.status, 0, r.stderr);
    const index = JSON.parse(fs.readFileSync(path.join(dir, '.capifleet/schemas/index.json'), 'utf8'));
    assert.deepEqual(index.schemas[0].source, { project: 'local', tag: 'imported', file: '<stdin>' });
  });

  const errors: { name: string; files: Record<string, string>; args: string[]; stdin?: string; expected: RegExp }[] = [
    { name: 'missing file', files: {}, args: ['nope.yaml'], expected: /^capifleet: no such file or directory: nope\.yaml$/m },
    { name: 'not a CRD in a named file', files: { 'c.yaml': 'apiVersion: v1\nkind: ConfigMap\n' }, args: ['c.yaml'], expected: /^capifleet: c\.yaml:2: not a CustomResourceDefinition \(kind: ConfigMap\)$/m },
    { name: 'malformed YAML', files: { 'bad.yaml': 'a: [\n' }, args: ['bad.yaml'], expected: /^capifleet: bad\.yaml:\d+: invalid YAML/m },
    { name: 'bad schema from stdin', files: {}, args: ['-'], stdin: widgetCrd('e.io', 'E').replace('size: {type: integer}', 'size: {type: 3}'), expected: /^capifleet: <stdin>:14: type must be a string$/m },
    { name: 'no CRD in a directory', files: { 'd/x.yaml': 'kind: ConfigMap\n' }, args: ['d'], expected: /^capifleet: no CustomResourceDefinition found in d$/m },
    { name: 'the same kind twice', files: { 'a.yaml': widgetCrd('a.io', 'A'), 'b.yaml': widgetCrd('a.io', 'A') }, args: ['a.yaml', 'b.yaml'], expected: /^capifleet: b\.yaml:1: a\.io\/v1 A is defined twice \(also at a\.yaml:1\)$/m },
  ];
  for (const c of errors) {
    it(`error: ${c.name} → one line, exit 2, nothing written`, () => {
      const dir = project(c.files);
      const r = capifleet(['schemas', 'import', ...c.args], dir, c.stdin);
      assert.equal(r.status, 2);
      assert.match(r.stderr, c.expected);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.equal(fs.existsSync(path.join(dir, '.capifleet')), false);
    });
  }
});

describe('capifleet schemas import writes only inside the catalog', () => {
  it('keeps a file named from a hostile kind and group inside the catalog', () => {
    const parent = project();
    const dir = path.join(parent, 'a/b/c/repo');
    fs.mkdirSync(path.join(parent, 'outside'));
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'crd.yaml'), widgetCrd('..', '../../../../../outside/pwned'));
    const r = capifleet(['schemas', 'import', 'crd.yaml'], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(fs.readdirSync(path.join(parent, 'outside')), []);
    const index = JSON.parse(fs.readFileSync(path.join(dir, '.capifleet/schemas/index.json'), 'utf8'));
    assert.equal(index.schemas[0].file, '___/v1/.._.._.._.._.._outside_pwned.json');
    assert.ok(fs.statSync(path.join(dir, '.capifleet/schemas', index.schemas[0].file)).isFile());
  });

  it('refuses a folder of the catalog that is a symbolic link out of it, in one line, exit 2', () => {
    const dir = project({ 'w.yaml': widgetCrd('example.com', 'Widget') });
    const outside = project();
    fs.mkdirSync(path.join(dir, '.capifleet/schemas'), { recursive: true });
    fs.symlinkSync(outside, path.join(dir, '.capifleet/schemas/example.com'));
    const r = capifleet(['schemas', 'import', 'w.yaml'], dir);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^capifleet: refusing to write through .*example\.com: it leads out of .*schemas, to /);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.deepEqual(fs.readdirSync(outside), []);
  });
});

describe('capifleet schemas list', () => {
  it('prints json with apiVersion, kind, source, release and deprecated', () => {
    const r = capifleet(['schemas', 'list', '--output', 'json'], project());
    assert.equal(r.status, 0, r.stderr);
    const list = JSON.parse(r.stdout) as { apiVersion: string; kind: string; deprecated: boolean; source: { project: string } }[];
    const cluster = list.find((e) => e.apiVersion === 'cluster.x-k8s.io/v1beta1' && e.kind === 'Cluster');
    assert.deepEqual(cluster, { apiVersion: 'cluster.x-k8s.io/v1beta1', kind: 'Cluster', source: { project: 'cluster-api', tag: 'v1.14.0', file: 'core/cluster.x-k8s.io_clusters.yaml' }, release: 'Cluster API v1.14', deprecated: true });
    assert.ok(list.some((e) => e.apiVersion === 'v1' && e.kind === 'Secret'));
  });

  it('uses the catalog of --project-dir', () => {
    const dir = project({ 'w.yaml': widgetCrd('example.com', 'Widget') });
    assert.equal(capifleet(['schemas', 'import', 'w.yaml'], dir).status, 0);
    const r = capifleet(['schemas', 'list', '--project-dir', dir], os.tmpdir());
    assert.match(r.stdout, /^example\.com\/v1 +Widget/m);
  });
});
