import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonValue } from '../../src/json/value.js';
import { holdsVariable, parseVarArgs, parseVarsFile, substituteVars } from '../../src/validate/template-vars.js';

describe('template variables', () => {
  const vars = new Map([
    ['NAME', 'prod'],
    ['REPLICAS', '3'],
    ['EMPTY', ''],
  ]);
  const cases: { name: string; input: JsonValue; expected: JsonValue }[] = [
    { name: 'a set variable', input: '${NAME}-md-0', expected: 'prod-md-0' },
    { name: 're-read as YAML like text substitution: integer', input: '${REPLICAS}', expected: 3 },
    { name: 'default when unset (:=)', input: '${MISSING:=2}', expected: 2 },
    { name: 'default when unset (:-)', input: '${MISSING:-x}', expected: 'x' },
    { name: ':= also replaces an empty value', input: '${EMPTY:=d}', expected: 'd' },
    { name: 'set value wins over default', input: '${NAME:=other}', expected: 'prod' },
    { name: 'unset without default stays', input: '${MISSING}', expected: '${MISSING}' },
    { name: 'escaped $${VAR} stays', input: '$${NAME}', expected: '$${NAME}' },
    { name: 'a default that is a flow list or map becomes one', input: { a: '${POD_CIDR:=["192.168.0.0/16"]}', b: '${M:={x: 1}}' }, expected: { a: ['192.168.0.0/16'], b: { x: 1 } } },
    { name: 'a quoted default is the string inside the quotes', input: { a: '${D:="cluster.local"}', b: '${KEY:=""}', c: "${S:='x y'}" }, expected: { a: 'cluster.local', b: '', c: 'x y' } },
    { name: 'text in brackets that is not YAML stays text', input: '${X:=[unclosed}', expected: '[unclosed' },
    { name: 'nested in objects and lists', input: { a: ['${NAME}', 1], b: { c: '${REPLICAS}' } }, expected: { a: ['prod', 1], b: { c: 3 } } },
    { name: 'a default holding a variable', input: '${VNET:=${NAME}-vnet}', expected: 'prod-vnet' },
    { name: 'a default holding an unset variable stays templated', input: '${VNET:=${MISSING}-vnet}', expected: '${MISSING}-vnet' },
    { name: 'several in one value', input: '${NAME}-${MISSING}-${REPLICAS}', expected: 'prod-${MISSING}-3' },
    { name: 'multi-line text stays a string', input: 'a: ${REPLICAS}\nb', expected: 'a: 3\nb' },
    { name: "clusterctl's ${ VAR }, ${ VAR} and ${VAR }", input: ['${ NAME }-a', '${ NAME}', '${REPLICAS }'], expected: ['prod-a', 'prod', 3] },
    { name: 'an unset ${ VAR } stays as written', input: '${ MISSING }', expected: '${ MISSING }' },
    { name: 'blanks with an operator are no form clusterctl reads', input: '${ NAME:=x }', expected: '${ NAME:=x }' },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(substituteVars(c.input, vars), c.expected));

  it('returns the same object when nothing changes', () => {
    const obj = { a: { b: ['x', 1] } };
    assert.equal(substituteVars(obj, vars), obj);
  });

  for (const [value, expected] of [['${A}', true], ['x-${A:=1}', true], ['$${A}', false], ['$${A}-${B}', true], ['plain', false], ['${', false], [3, false], ['${ CLUSTER_NAME }-md-0', true], ['${ }', false]] as const) {
    it(`holdsVariable(${JSON.stringify(value)}) is ${expected}`, () => assert.equal(holdsVariable(value), expected));
  }

  it('parses --var NAME=VALUE, values may hold =', () => {
    assert.deepEqual([...parseVarArgs(['A=1', 'B=x=y', 'C='])], [['A', '1'], ['B', 'x=y'], ['C', '']]);
  });
  it('refuses a --var without =', () => assert.throws(() => parseVarArgs(['A']), /expected NAME=VALUE/));

  const files: { name: string; text: string; expected: [string, string][] }[] = [
    { name: 'YAML map', text: 'A: 1\nB: two\n', expected: [['A', '1'], ['B', 'two']] },
    { name: 'ConfigMap data', text: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: v}\ndata:\n  A: x\n', expected: [['A', 'x']] },
    { name: 'Secret data (base64) and stringData', text: 'kind: Secret\ndata:\n  A: eA==\nstringData:\n  B: y\n', expected: [['A', 'x'], ['B', 'y']] },
    { name: 'NAME=VALUE lines with comments and export', text: '# vars\nA=1\nexport B=2\n\n', expected: [['A', '1'], ['B', '2']] },
  ];
  for (const f of files) it(`vars file: ${f.name}`, () => assert.deepEqual([...parseVarsFile(f.text, 'vars')], f.expected));
  it('vars file that is neither', () => assert.throws(() => parseVarsFile('just words\nmore', 'vars'), { file: 'vars', message: 'neither a YAML map nor NAME=VALUE lines: "just words"' }));
});
