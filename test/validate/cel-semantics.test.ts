import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { JsonObject } from '../../src/json/value.js';
import { CelRules, fieldPathPointer } from '../../src/validate/cel/evaluator.js';
import { Validator } from '../../src/validate/validator.js';
import { fakeCatalog, objectSchema, resourcesFromYaml, strict } from './fake-catalog.js';

type Rule = { rule: string; message?: string; messageExpression?: string; fieldPath?: string; reason?: string };

/** A Widget whose spec schema is `spec`, with `rules` at the spec node. */
function widgetCatalog(spec: Record<string, object>, rules: Rule[] = []) {
  return fakeCatalog([{ apiVersion: 'example.io/v1', kind: 'Widget', schema: objectSchema({ ...strict(spec), 'x-kubernetes-validations': rules }) }]);
}

function widget(spec: JsonObject): JsonObject {
  return { apiVersion: 'example.io/v1', kind: 'Widget', metadata: { name: 'w' }, spec };
}

/** [path, message] of each CEL finding, and the skip notes. */
function evaluate(catalog: ReturnType<typeof fakeCatalog>, spec: JsonObject, strictVars = false): { findings: string[][]; notes: string[] } {
  const notes: string[] = [];
  const rules = new CelRules({ strictVars, onSkip: (n) => notes.push(n) });
  const findings = rules.evaluate(catalog.lookup('example.io/v1', 'Widget')!, widget(spec)).map((f) => [f.path ?? '', f.message]);
  return { findings, notes };
}

function rulesAt(rule: Rule | Rule[], schema: object = {}): object {
  return { ...schema, 'x-kubernetes-validations': Array.isArray(rule) ? rule : [rule] };
}

describe('CEL rule evaluation', () => {
  it('self is the value at the rule node; a false rule is one finding with its message', () => {
    const catalog = widgetCatalog({ replicas: rulesAt({ rule: 'self <= 5', message: 'at most 5' }, { type: 'integer' }) });
    assert.deepEqual(evaluate(catalog, { replicas: 3 }).findings, []);
    assert.deepEqual(evaluate(catalog, { replicas: 7 }).findings, [['/spec/replicas', 'spec.replicas: at most 5']]);
  });

  it('a rule under an absent optional field is not evaluated; has() sees presence', () => {
    const catalog = widgetCatalog(
      { replicas: rulesAt({ rule: 'self > 100' }, { type: 'integer' }), a: { type: 'string' }, b: { type: 'string' } },
      [{ rule: 'has(self.a) != has(self.b)', message: 'set a or b' }],
    );
    assert.deepEqual(evaluate(catalog, { a: 'x' }).findings, []);
    assert.deepEqual(evaluate(catalog, { a: 'x', b: 'y' }).findings, [['/spec', 'spec: set a or b']]);
  });

  it('rules on list items and map values apply to each element', () => {
    const catalog = widgetCatalog({
      ports: { type: 'array', items: rulesAt({ rule: 'self.port < 1024', message: 'privileged ports only' }, strict({ port: { type: 'integer' } })) },
      limits: { type: 'object', additionalProperties: rulesAt({ rule: "self.endsWith('Gi')", message: 'in Gi' }, { type: 'string' }) },
    });
    const { findings } = evaluate(catalog, { ports: [{ port: 80 }, { port: 8080 }, { port: 443 }, { port: 9090 }], limits: { memory: '2Gi', 'ephemeral/storage': '10G' } });
    assert.deepEqual(findings, [
      ['/spec/ports/1', 'spec.ports[1]: privileged ports only'],
      ['/spec/ports/3', 'spec.ports[3]: privileged ports only'],
      ['/spec/limits/ephemeral~1storage', 'spec.limits["ephemeral/storage"]: in Gi'],
    ]);
  });

  it('integers are CEL ints, numbers doubles, int-or-string either', () => {
    const catalog = widgetCatalog(
      {
        count: { type: 'integer' },
        ratio: { type: 'number' },
        surge: { type: ['integer', 'string'], 'x-kubernetes-int-or-string': true },
      },
      [
        { rule: 'self.count / 2 == 1', message: 'int division' },
        { rule: 'self.ratio / 2.0 == 1.0', message: 'double division' },
        { rule: "type(self.surge) == int ? self.surge <= 3 : self.surge.endsWith('%')", message: 'surge' },
      ],
    );
    assert.deepEqual(evaluate(catalog, { count: 3, ratio: 2, surge: 2 }).findings, []);
    assert.deepEqual(evaluate(catalog, { count: 3, ratio: 2, surge: '25%' }).findings, []);
    assert.deepEqual(evaluate(catalog, { count: 3, ratio: 2, surge: 'lots' }).findings, [['/spec', 'spec: surge']]);
  });

  it('sees defaults the API server would set, and not nulls it would prune', () => {
    const catalog = widgetCatalog(
      { provider: { type: 'string', default: 'generic' }, region: { type: 'string' } },
      [{ rule: "self.provider == 'generic' || has(self.region)", message: 'region needed' }, { rule: '!has(self.region)', message: 'no region' }],
    );
    assert.deepEqual(evaluate(catalog, {}).findings, []);
    assert.deepEqual(evaluate(catalog, { region: null }).findings, []);
    assert.deepEqual(evaluate(catalog, { provider: 'aws' }).findings, [['/spec', 'spec: region needed']]);
  });

  it('property names are escaped as Kubernetes does', () => {
    const catalog = widgetCatalog({ namespace: { type: 'string' }, 'x-name': { type: 'string' }, 'a.b': { type: 'string' } }, [
      { rule: "self.__namespace__ == 'ns' && self.x__dash__name == 'x' && self.a__dot__b == 'ab'", message: 'escaped' },
    ]);
    assert.deepEqual(evaluate(catalog, { namespace: 'ns', 'x-name': 'x', 'a.b': 'ab' }).findings, []);
    assert.deepEqual(evaluate(catalog, { namespace: 'other', 'x-name': 'x', 'a.b': 'ab' }).findings, [['/spec', 'spec: escaped']]);
  });

  it('messageExpression gives the message; when it fails, message; else the rule', () => {
    const catalog = widgetCatalog({ replicas: { type: 'integer' } }, [
      { rule: 'self.replicas <= 5', messageExpression: "'replicas ' + string(self.replicas) + ' is over 5'", message: 'too many' },
      { rule: 'self.replicas <= 6', messageExpression: 'self.nope', message: 'fallback message' },
      { rule: ' self.replicas <= 7 ' },
    ]);
    assert.deepEqual(evaluate(catalog, { replicas: 9 }).findings, [
      ['/spec', 'spec: replicas 9 is over 5'],
      ['/spec', 'spec: fallback message'],
      ['/spec', 'spec: failed rule: self.replicas <= 7'],
    ]);
  });

  it('fieldPath points below the rule node', () => {
    const catalog = widgetCatalog({ ref: strict({ name: { type: 'string' } }) }, [{ rule: "self.ref.name != 'x'", message: 'not x', fieldPath: '.ref.name' }]);
    assert.deepEqual(evaluate(catalog, { ref: { name: 'x' } }).findings, [['/spec/ref/name', 'spec.ref.name: not x']]);
    assert.equal(fieldPathPointer(".labels['app.io/name']"), '/labels/app.io~1name');
    assert.equal(fieldPathPointer('.items[2].name'), '/items/2/name');
    assert.equal(fieldPathPointer('not a path'), '');
  });

  it('skips transition rules, rules that do not compile and rules that fail at run time, with a note each', () => {
    const catalog = widgetCatalog({ replicas: { type: 'integer' }, ref: strict({ name: { type: 'string' } }) }, [
      { rule: 'self.replicas >= oldSelf.replicas', message: 'transition' },
      { rule: 'self.replicas.frobnicate()', message: 'unknown function' },
      { rule: 'self.replicas +', message: 'syntax error' },
      { rule: "self.ref.name == 'a'", message: 'no such key at run time' },
      { rule: 'self.replicas', message: 'not a bool' },
    ]);
    const { findings, notes } = evaluate(catalog, { replicas: 3 });
    assert.deepEqual(findings, []);
    assert.equal(notes.length, 5);
    assert.match(notes[0]!, /transition rule \(oldSelf\)/);
    assert.ok(notes.every((n) => n.startsWith('CEL rule skipped (')));
  });

  it('a value holding a template variable is exempt unless strictVars', () => {
    const catalog = widgetCatalog({ name: { type: 'string' } }, [{ rule: 'self.name.size() < 5', message: 'short names' }]);
    assert.deepEqual(evaluate(catalog, { name: '${CLUSTER_NAME}' }).findings, []);
    assert.deepEqual(evaluate(catalog, { name: '${CLUSTER_NAME}' }, true).findings, [['/spec', 'spec: short names']]);
  });

  it('through the validator: rule id schema/cel, pointing at the source line', () => {
    const catalog = widgetCatalog({ replicas: rulesAt({ rule: 'self <= 5', message: 'at most 5' }, { type: 'integer' }) });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capifleet-cel-'));
    try {
      const file = path.join(dir, 'widget.yaml');
      fs.writeFileSync(file, 'apiVersion: example.io/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  replicas: 9\n');
      const options = { vars: new Map(), strictVars: false, strictRefs: false, missingSchemas: 'warn' as const, rules: new Map() };
      const validator = new Validator(catalog, { ...options, cel: new CelRules({ strictVars: false }) });
      const findings = validator.validate({ name: 'o', resources: resourcesFromYaml(fs.readFileSync(file, 'utf8'), file) });
      assert.deepEqual(
        findings.map((f) => [f.ruleId, f.severity, f.path, f.location?.line]),
        [['schema/cel', 'error', '/spec/replicas', 6]],
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
