import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { envsubst, EnvsubstError } from '../../src/cluster-graph/envsubst.js';

const vars = new Map([
  ['NAME', 'podinfo'],
  ['EMPTY', ''],
  ['PATH_', 'a/b/c.tar.gz'],
]);
const lookup = (n: string): string | undefined => vars.get(n);

/** Expands as strict mode does, with unset variables marked so the table can show them. */
function expand(text: string): string {
  return envsubst(text, lookup, (name) => `<unset ${name}>`);
}

describe('envsubst (Flux fork of drone/envsubst)', () => {
  const cases: [string, string][] = [
    ['plain text', 'plain text'],
    ['${NAME}', 'podinfo'],
    ['x-${NAME}-y', 'x-podinfo-y'],
    ['$NAME stays', '$NAME stays'],
    ['$${NAME} is escaped', '${NAME} is escaped'],
    ['a$$b', 'a$b'],
    ['${MISSING}', '<unset MISSING>'],
    ['${MISSING:=3}', '3'],
    ['${MISSING:-def}', 'def'],
    ['${MISSING=def}', 'def'],
    ['${EMPTY:=def}', 'def'],
    ['${EMPTY=def}', 'def'],
    ['${NAME:=def}', 'podinfo'],
    ['${MISSING:=${NAME}-x}', 'podinfo-x'],
    ['${MISSING^^}', '<unset MISSING>'],
    ['${NAME^^}', 'PODINFO'],
    ['${NAME^}', 'Podinfo'],
    ['${#NAME}', '7'],
    ['${NAME:3}', 'info'],
    ['${NAME:0:3}', 'pod'],
    ['${NAME/o/0}', 'p0dinfo'],
    ['${NAME//o/0}', 'p0dinf0'],
    // Go's path.Match: `*` stops at `/`, unlike bash
    ['${PATH_##*/}', 'b/c.tar.gz'],
    ['${PATH_%%.*}', 'a/b/c'],
    ['${PATH_%.*}', 'a/b/c.tar'],
    ['echo $HOME and ${NAME}', 'echo $HOME and podinfo'],
  ];
  for (const [input, want] of cases) {
    it(`${JSON.stringify(input)} → ${JSON.stringify(want)}`, () => assert.equal(expand(input), want));
  }

  const errors: [string, string][] = [
    ['${ NAME }', 'unable to parse variable name'],
    ['${NAME', 'missing closing brace'],
    ['${}', 'unable to parse variable name'],
    ['${NAME:=x', 'unable to parse substitution within function'],
    ['${NAME^x}', 'bad substitution'],
  ];
  for (const [input, message] of errors) {
    it(`${JSON.stringify(input)} fails: ${message}`, () => {
      assert.throws(() => expand(input), (e: unknown) => e instanceof EnvsubstError && e.message === message);
    });
  }
});
