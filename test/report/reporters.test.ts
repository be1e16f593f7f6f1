import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { REPORTERS } from '../../src/report/findings/index.js';
import type { Report } from '../../src/report/findings/report.js';
import type { Finding } from '../../src/validate/finding.js';

const cwd = '/repo';
const cluster = { apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'Cluster', name: 'prod', namespace: 'fleet' };
const cm = { apiVersion: 'v1', kind: 'ConfigMap', name: 'vals' };

const findings: Finding[] = [
  {
    ruleId: 'schema/unknown-field',
    severity: 'error',
    message: 'unknown field "spec.fo|o"',
    overlay: 'overlays/prod',
    resource: cluster,
    path: '/spec/fo|o',
    location: { file: '/repo/base/cluster.yaml', line: 12 },
  },
  {
    ruleId: 'schema/deprecated-version',
    severity: 'warning',
    message: 'cluster.x-k8s.io/v1beta1 Cluster is deprecated; migrate to cluster.x-k8s.io/v1beta2',
    overlay: 'overlays/prod',
    resource: cluster,
    path: '/apiVersion',
    expected: 'cluster.x-k8s.io/v1beta2',
    actual: 'cluster.x-k8s.io/v1beta1',
    location: { file: '/repo/base/cluster.yaml', line: 1 },
  },
  { ruleId: 'k8s/dns-name', severity: 'info', message: 'name <x> & "y"\n100%', overlay: 'overlays/dev', resource: cm, location: { file: '/repo/a,b.yaml', line: 3 } },
  { ruleId: 'input/yaml', severity: 'error', message: 'invalid YAML: bad', overlay: 'plain', location: { file: '/repo/plain/x.yaml', line: 2 } },
];

const report: Report = {
  tool: { name: 'capifleet', version: '1.2.3' },
  units: [
    { name: 'overlays/prod', resources: [cluster] },
    { name: 'overlays/dev', resources: [cm] },
    { name: 'overlays/clean', resources: [cm] },
    { name: 'plain', resources: [] },
  ],
  findings,
  rules: [
    { id: 'schema/unknown-field', defaultSeverity: 'error', doc: 'unknown field' },
    { id: 'schema/deprecated-version', defaultSeverity: 'warning', doc: 'deprecated' },
    { id: 'k8s/dns-name', defaultSeverity: 'error', doc: 'names' },
    { id: 'input/yaml', defaultSeverity: 'error', doc: 'yaml' },
  ],
};

const render = (format: keyof typeof REPORTERS, color = false, r: Report = report): string => REPORTERS[format].render(r, { color, cwd });

describe('reporters', () => {
  it('text: grouped by overlay, file:line first, summary line', () => {
    assert.equal(
      render('text'),
      [
        'overlays/prod',
        '  error   base/cluster.yaml:12: Cluster fleet/prod: unknown field "spec.fo|o" [schema/unknown-field]',
        '  warning base/cluster.yaml:1: Cluster fleet/prod: cluster.x-k8s.io/v1beta1 Cluster is deprecated; migrate to cluster.x-k8s.io/v1beta2 [schema/deprecated-version]',
        '',
        'overlays/dev',
        '  info    a,b.yaml:3: ConfigMap vals: name <x> & "y"\n100% [k8s/dns-name]',
        '',
        'plain',
        '  error   plain/x.yaml:2: invalid YAML: bad [input/yaml]',
        '',
        '✖ 2 errors, 1 warning, 1 note in 2 of 4 overlays (3 resources)',
        '',
      ].join('\n'),
    );
  });

  it('text: colors only when asked', () => {
    assert.match(render('text', true), /\x1b\[31merror/);
    assert.doesNotMatch(render('text', false), /\x1b/);
  });

  it('text: a clean run says so', () => {
    assert.equal(render('text', false, { ...report, findings: [] }), '✔ 0 errors, 0 warnings in 4 overlays (3 resources)\n');
  });

  it('json: summary, overlays and findings with relative paths', () => {
    const out = JSON.parse(render('json'));
    assert.deepEqual(out.summary, { errors: 2, warnings: 1, infos: 1, units: 4, unitsWithErrors: 2, resources: 3 });
    assert.deepEqual(out.overlays[0], { name: 'overlays/prod', resources: 1 });
    assert.deepEqual(out.findings[0].location, { file: 'base/cluster.yaml', line: 12 });
    assert.equal(out.findings[1].expected, 'cluster.x-k8s.io/v1beta2');
  });

  it('junit: a suite per overlay, a case per object, errors as failures, text escaped', () => {
    const xml = render('junit');
    assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="capifleet validate" tests="4" failures="2" errors="0">/);
    assert.match(xml, /<testsuite name="overlays\/prod" tests="1" failures="1"/);
    assert.match(xml, /<testcase classname="overlays\/prod" name="cluster.x-k8s.io\/v1beta2 Cluster fleet\/prod">\n {6}<failure message="unknown field &quot;spec.fo\|o&quot;" type="schema\/unknown-field">/);
    assert.match(xml, /<system-out>info: ConfigMap vals: name &lt;x&gt; &amp; &quot;y&quot;\n100% \[k8s\/dns-name\] at a,b.yaml:3<\/system-out>/);
    assert.match(xml, /<testcase classname="overlays\/clean" name="v1 ConfigMap vals"\/>/);
    assert.match(xml, /<testcase classname="plain" name="plain\/x.yaml:2">/);
  });

  it('sarif: 2.1.0, rules described, results at file and line', () => {
    const sarif = JSON.parse(render('sarif'));
    assert.equal(sarif.version, '2.1.0');
    const run = sarif.runs[0];
    assert.deepEqual(run.tool.driver.rules.map((r: { id: string }) => r.id), report.rules.map((r) => r.id));
    assert.equal(run.originalUriBaseIds['%SRCROOT%'].uri, 'file:///repo/');
    const [first, , third] = run.results;
    assert.deepEqual(first.locations[0].physicalLocation, { artifactLocation: { uri: 'base/cluster.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 12 } });
    assert.equal(first.level, 'error');
    assert.equal(first.ruleIndex, 0);
    assert.equal(first.message.text, 'Cluster fleet/prod: unknown field "spec.fo|o" (in overlays/prod)');
    assert.equal(third.level, 'note');
    assert.equal(run.results[1].level, 'warning');
  });

  it('github: workflow commands with escaped properties and data, then the summary', () => {
    assert.deepEqual(render('github').split('\n'), [
      '::error file=base/cluster.yaml,line=12,title=capifleet schema/unknown-field::Cluster fleet/prod: unknown field "spec.fo|o" (in overlays/prod)',
      '::warning file=base/cluster.yaml,line=1,title=capifleet schema/deprecated-version::Cluster fleet/prod: cluster.x-k8s.io/v1beta1 Cluster is deprecated; migrate to cluster.x-k8s.io/v1beta2 (in overlays/prod)',
      '::notice file=a%2Cb.yaml,line=3,title=capifleet k8s/dns-name::ConfigMap vals: name <x> & "y"%0A100%25 (in overlays/dev)',
      '::error file=plain/x.yaml,line=2,title=capifleet input/yaml::invalid YAML: bad (in plain)',
      '2 errors, 1 warning, 1 note in 2 of 4 overlays (3 resources)',
      '',
    ]);
  });

  it('markdown: summary and a table per overlay, cells escaped', () => {
    const md = render('markdown');
    assert.match(md, /^## capifleet validate\n\n❌ 2 errors, 1 warning, 1 note in 2 of 4 overlays \(3 resources\)\n/);
    assert.match(md, /### overlays\/prod\n\n\| \| Rule \| Object \| Finding \| Location \|\n/);
    assert.match(md, /\| ❌ \| `schema\/unknown-field` \| Cluster fleet\/prod \| unknown field "spec.fo\\\|o" \| `base\/cluster.yaml:12` \|/);
    assert.match(md, /name <x> & "y"<br>100%/);
    assert.doesNotMatch(md, /overlays\/clean/);
  });

  it('markdown: stops before GitHub comment limits', () => {
    const many = Array.from({ length: 300 }, (_, i): Finding => ({ ruleId: 'r', severity: 'error', message: `m${i}`, overlay: 'overlays/prod' }));
    const md = render('markdown', false, { ...report, findings: many });
    assert.equal(md.split('\n').filter((l) => l.startsWith('| ❌')).length, 250);
    assert.match(md, /…and 50 more/);
  });
});
