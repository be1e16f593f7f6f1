import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { Resource } from '../../src/engine/resource.js';
import type { JsonObject } from '../../src/json/value.js';
import { loadValidateConfig } from '../../src/validate/config.js';
import { Validator, type ValidateOptions } from '../../src/validate/validator.js';
import { configurableRuleIds } from '../../src/validate/rule-registry.js';
import { SourceLocator } from '../../src/validate/source-map.js';
import { fakeCatalog, objectSchema, resourcesFromYaml, strict } from './fake-catalog.js';

const catalog = fakeCatalog([
  { apiVersion: 'v1', kind: 'ConfigMap', schema: strict({ apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, data: { type: 'object', additionalProperties: { type: 'string' } } }) },
  { apiVersion: 'example.io/v1', kind: 'Widget', schema: objectSchema(strict({ replicas: { type: 'integer' }, clusterName: { type: 'string' } })) },
  { apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'MachineDeployment', schema: objectSchema({ type: 'object' }) },
]);

const OPTIONS: ValidateOptions = { vars: new Map(), strictVars: false, strictRefs: false, missingSchemas: 'warn', rules: new Map() };

function validate(yaml: string, options: Partial<ValidateOptions> = {}, file?: string) {
  return new Validator(catalog, { ...OPTIONS, ...options }).validate({ name: 'overlay', resources: resourcesFromYaml(yaml, file) });
}

const WIDGET = 'apiVersion: example.io/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  replicas: ${R}\n  extra: 1\n';
const MD = 'apiVersion: cluster.x-k8s.io/v1beta2\nkind: MachineDeployment\nmetadata: {name: md, namespace: ns}\nspec: {clusterName: nope}\n';

describe('validation engine', () => {
  it('fills overlay, resource and rule severity into every finding', () => {
    const [f] = validate('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: n}\ndata: {a: 1}\n');
    assert.deepEqual(
      { ruleId: f!.ruleId, severity: f!.severity, overlay: f!.overlay, resource: f!.resource, path: f!.path },
      { ruleId: 'schema/type', severity: 'error', overlay: 'overlay', resource: { apiVersion: 'v1', kind: 'ConfigMap', name: 'c', namespace: 'n' }, path: '/data/a' },
    );
  });

  const severityCases: { name: string; options: Partial<ValidateOptions>; expected: string[] }[] = [
    { name: 'missing reference targets are warnings', options: {}, expected: ['capi/cluster-name warning'] },
    { name: '--strict-refs makes them errors', options: { strictRefs: true }, expected: ['capi/cluster-name error'] },
    { name: 'configuration re-grades a rule', options: { strictRefs: true, rules: new Map([['capi/cluster-name', 'info']]) }, expected: ['capi/cluster-name info'] },
    { name: 'configuration switches a rule off', options: { rules: new Map([['capi/cluster-name', 'off']]) }, expected: [] },
  ];
  for (const c of severityCases) {
    it(c.name, () => assert.deepEqual(validate(MD, c.options).map((f) => `${f.ruleId} ${f.severity}`), c.expected));
  }

  it('configuration re-grades schema findings too', () => {
    const findings = validate(WIDGET, { rules: new Map([['schema/unknown-field', 'warning']]) });
    assert.deepEqual(findings.map((f) => `${f.ruleId} ${f.severity}`), ['schema/unknown-field warning']);
  });

  it('substitutes --var values before checking', () => {
    const findings = validate(WIDGET, { vars: new Map([['R', 'three']]) });
    assert.deepEqual(findings.map((f) => `${f.ruleId} ${f.path}`).sort(), ['schema/type /spec/replicas', 'schema/unknown-field /spec/extra']);
  });

  it('points at the line of the offending field, or its nearest ancestor in the source', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-loc-'));
    const file = path.join(dir, 'w.yaml');
    fs.writeFileSync(file, `# leading comment\n---\n${WIDGET}`);
    const resources = resourcesFromYaml(fs.readFileSync(file, 'utf8'), file);
    // a transformer added a field the source does not have: point at its parent
    (resources[0]!.obj.spec as JsonObject).added = { deep: true };
    const findings = new Validator(catalog, OPTIONS).validate({ name: 'o', resources });
    assert.deepEqual(findings.map((f) => `${f.path} ${f.location?.line}`).sort(), ['/spec/added 7', '/spec/extra 9']);
    assert.equal(findings[0]!.location!.file, file);
  });

  it('finds items of a List document', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-loc-'));
    const file = path.join(dir, 'list.yaml');
    fs.writeFileSync(file, 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: b}\n  data:\n    x: 1\n');
    const r = new Resource({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' }, data: { x: 1 } });
    r.state.source = { file, line: 1 };
    const [f] = new Validator(catalog, OPTIONS).validate({ name: 'o', resources: [r] });
    assert.equal(f!.location!.line, 11);
  });

  it('asks a field-origin hook first, e.g. for the patch that set a value', () => {
    const locator = new SourceLocator({ fieldOrigin: (_r, pointer) => (pointer === '/spec/extra' ? { file: 'patch.yaml', line: 3 } : undefined) });
    const findings = new Validator(catalog, OPTIONS, { locator }).validate({ name: 'o', resources: resourcesFromYaml(WIDGET) });
    assert.deepEqual(findings[0]!.location, { file: 'patch.yaml', line: 3 });
  });

  it('points generated objects (no source) at the fallback location', () => {
    const r = new Resource({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'gen' }, data: { x: 1 } });
    const [f] = new Validator(catalog, OPTIONS).validate({ name: 'o', resources: [r], fallbackLocation: { file: 'kustomization.yaml', line: 1 } });
    assert.deepEqual(f!.location, { file: 'kustomization.yaml', line: 1 });
  });
});

describe('.capifleet.yaml', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-config-'));
  const write = (text: string): string => {
    const file = path.join(dir, `${Math.random()}.yaml`);
    fs.writeFileSync(file, text);
    return file;
  };
  const knownIds = configurableRuleIds();
  const cases: { name: string; text: string; expected?: [string, string][]; error?: RegExp }[] = [
    { name: 'rules by id', text: 'rules:\n  k8s/dns-name: off\n  flux/source-ref: error\n  schema/missing: info\n', expected: [['k8s/dns-name', 'off'], ['flux/source-ref', 'error'], ['schema/missing', 'info']] },
    { name: 'other keys are left to other commands', text: 'schemas: {dir: x}\n', expected: [] },
    { name: 'false means off', text: 'rules:\n  k8s/dns-name: false\n', expected: [['k8s/dns-name', 'off']] },
    { name: 'an unknown rule is an error with its line', text: 'rules:\n  k8s/dns-name: off\n  no-such-rule: off\n', error: /:3: unknown rule "no-such-rule"/ },
    { name: 'a bad setting', text: 'rules:\n  k8s/dns-name: loud\n', error: /expected one of off, error, warning, info/ },
    { name: 'ids of earlier releases name the same rules', text: 'rules:\n  dns1123-name: off\n  flux-source-ref: error\n', expected: [['k8s/dns-name', 'off'], ['flux/source-ref', 'error']] },
    { name: 'input problems cannot be switched off', text: 'rules:\n  input/build: off\n', error: /unknown rule "input\/build"/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const file = write(c.text);
      if (c.error) {
        assert.throws(() => loadValidateConfig({ file, dir, knownIds }), (e: Error & { format(): string }) => c.error!.test(e.format()));
      } else {
        assert.deepEqual([...loadValidateConfig({ file, dir, knownIds }).rules], c.expected);
      }
    });
  }
  it('no file: no settings', () => assert.equal(loadValidateConfig({ dir, knownIds }).rules.size, 0));
  it('a named file that does not exist is an error', () => assert.throws(() => loadValidateConfig({ file: path.join(dir, 'nope'), dir, knownIds }), /cannot read/));
});
