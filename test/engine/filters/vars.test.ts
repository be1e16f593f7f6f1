import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_VAR_REFERENCES } from '../../../src/engine/config/var-reference.js';
import { expandVars, mergeVars, mergeVarSets, resolveVars, type VarSet } from '../../../src/engine/filters/vars.js';
import type { Var } from '../../../src/engine/types.js';
import { objects, resMapOf } from './fixtures.js';

describe('expandVars', () => {
  const values: Record<string, string | number | boolean> = { A: 'a', EMPTY: '', INT: 3, FLOAT: 1.5e-7, BOOL: true };
  const mapping = (n: string) => values[n];
  const cases: { input: string; expected: unknown }[] = [
    { input: '$(A)', expected: 'a' },
    { input: '$(A)-$(A)', expected: 'a-a' },
    { input: 'x$(EMPTY)y', expected: 'xy' },
    { input: '$(INT)', expected: 3 },
    { input: '$(BOOL)', expected: true },
    { input: 'n=$(INT),f=$(FLOAT),b=$(BOOL)', expected: 'n=3,f=1.5e-07,b=true' },
    { input: '$$(A)_$(A)', expected: '$(A)_a' },
    { input: '$$$$$$$(A)', expected: '$$$a' },
    { input: '$(NOPE)', expected: '$(NOPE)' },
    { input: '$(A$(A))', expected: '$(A$(A))' },
    { input: 'x$(A', expected: 'x$(A' },
    { input: '$($($(', expected: '$($($(' },
    { input: '${A} $A $', expected: '${A} $A $' },
  ];
  for (const c of cases) it(JSON.stringify(c.input), () => assert.deepEqual(expandVars(c.input, mapping), c.expected));
});

const RESOURCES =
  'apiVersion: v1\nkind: Service\nmetadata: {name: svc, namespace: ns}\nspec: {ports: [{port: 80}]}\n---\n' +
  'apiVersion: v1\nkind: Pod\nmetadata: {name: pod, labels: {l: "$(NAME)"}}\nspec: {containers: [{name: c, args: ["$(NAME)", "$(PORT)", "$(OTHER)"], env: [{name: E, value: "$(PORT)"}]}]}';

function svcVar(name: string, fieldPath?: string, extra: Partial<Var['objref']> = {}): Var {
  return { name, objref: { kind: 'Service', name: 'svc', apiVersion: 'v1', ...extra }, ...(fieldPath ? { fieldref: { fieldPath } } : {}) };
}

describe('mergeVars and resolveVars', () => {
  it('replaces references in the varReference fields, typed when whole', () => {
    const m = resMapOf(RESOURCES);
    const set: VarSet = new Map();
    mergeVars(set, [svcVar('NAME'), svcVar('PORT', 'spec.ports[0].port'), svcVar('UNUSED', 'metadata.namespace')], m);
    const unused = resolveVars(m, set, DEFAULT_VAR_REFERENCES);
    assert.deepEqual(unused, ['UNUSED']);
    assert.deepEqual(m.resources()[1]!.obj, objects(RESOURCES.replace('"$(NAME)", "$(PORT)"', 'svc, 80').replace('value: "$(PORT)"', 'value: 80').replace('l: "$(NAME)"', 'l: svc'))[1]);
  });

  const errors: { name: string; vars: Var[]; error: RegExp }[] = [
    { name: 'unmatched objref', vars: [svcVar('X', undefined, { name: 'nope' })], error: /^var '\{X Service\.v1\.\[noGrp\] \{metadata\.name\}\}' cannot be mapped to a field in the set of known resources$/ },
    { name: 'missing field', vars: [svcVar('X', 'spec.nope')], error: /^field specified in var '\{X Service\.v1\.\[noGrp\] \{spec\.nope\}\}' not found in corresponding resource$/ },
    { name: 'wrong namespace', vars: [svcVar('X', undefined, { namespace: 'other' })], error: /cannot be mapped/ },
  ];
  for (const c of errors) {
    it(c.name, () => {
      const m = resMapOf(RESOURCES);
      const set: VarSet = new Map();
      mergeVars(set, c.vars, m);
      assert.throws(() => resolveVars(m, set, DEFAULT_VAR_REFERENCES), { message: c.error });
    });
  }

  it('duplicate names are an error, within a kustomization and across sets', () => {
    const m = resMapOf(RESOURCES);
    assert.throws(() => mergeVars(new Map(), [svcVar('X'), svcVar('X')], m), { message: /^merging vars \[\{X Service\.\[noVer\]\.\[noGrp\] \{\}\} \{X Service\.\[noVer\]\.\[noGrp\] \{\}\}\]: var 'X' already encountered$/ });
    const a: VarSet = new Map();
    mergeVars(a, [svcVar('X')], m);
    assert.throws(() => mergeVarSets(a, new Map(a)), { message: /^var 'X' already encountered$/ });
  });

  it('an objref without namespace matching two objects is ambiguous', () => {
    const m = resMapOf(`${RESOURCES}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: svc, namespace: b}`);
    assert.throws(() => mergeVars(new Map(), [svcVar('X')], m), { message: /found 2 resId matches for var \{X Service\.v1\.\[noGrp\] \{\}\} \(unable to disambiguate\)$/ });
  });

  it('list items must be strings', () => {
    const m = resMapOf('apiVersion: v1\nkind: Pod\nmetadata: {name: pod}\nspec: {containers: [{name: c, args: ["$(X)", 5]}]}');
    const set: VarSet = new Map();
    mergeVars(set, [{ name: 'X', objref: { kind: 'Pod', name: 'pod', apiVersion: 'v1' } }], m);
    assert.throws(() => resolveVars(m, set, DEFAULT_VAR_REFERENCES), { message: /invalid value type expect a string/ });
  });
});
