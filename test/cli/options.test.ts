import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { oneLineUsageMessage, unknownOption } from '../../src/cli/options.js';
import { casesDir, cliPath } from '../support/paths.js';

function capifleet(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', cwd: casesDir });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('unknownOption', () => {
  const known = { key: { 'strict-refs': true, output: true, o: true, help: true, 'load-restrictor': true }, alias: { output: ['o'] } };
  const cases: [string[], string | undefined][] = [
    [['validate', '--strict-refs', '.'], undefined],
    [['validate', '--no-strict-refs', '-o', 'json', '-', '--output=json'], undefined],
    [['validate', '--strict-ref', '.'], 'unknown option --strict-ref; did you mean --strict-refs?'],
    [['render', '--load-restrictr=none', 'x'], 'unknown option --load-restrictr; did you mean --load-restrictor?'],
    [['render', '--bogus', '.'], 'unknown option --bogus'],
    [['render', '-x', '.'], 'unknown option -x'],
    [['render', '--', '--bogus'], undefined],
  ];
  for (const [args, expected] of cases) it(args.join(' '), () => assert.equal(unknownOption(args, known), expected));
});

describe('command-line options', () => {
  const outside = 'core-err-outside-root/overlay';
  it('a mistyped option is named with the closest one, not read as a path (exit 2)', () => {
    const r = capifleet(['validate', '--strict-ref', '.']);
    assert.equal(r.status, 2);
    assert.equal(r.stderr.split('\n')[0], 'capifleet: unknown option --strict-ref; did you mean --strict-refs?');
  });
  it('an unknown option does not swallow the path after it', () => {
    const r = capifleet(['render', '--bogus', outside]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^capifleet: unknown option --bogus \(see 'capifleet --help'\)\n$/);
  });
  it("--load-restrictor takes kustomize's spellings", () => {
    const theirs = capifleet(['render', '--load-restrictor', 'LoadRestrictionsNone', outside]);
    const ours = capifleet(['render', '--load-restrictor', 'none', outside]);
    assert.equal(theirs.status, 0, theirs.stderr);
    assert.equal(theirs.stdout, ours.stdout);
    assert.ok(theirs.stdout.length > 0);
    assert.equal(capifleet(['render', '--load-restrictor', 'LoadRestrictionsRootOnly', outside]).status, 2);
  });
  it('the load restrictor refusal names paths relative to the working directory and says how to allow them', () => {
    const r = capifleet(['render', outside]);
    assert.equal(r.status, 2);
    assert.ok(!r.stderr.includes(casesDir), r.stderr);
    assert.match(r.stderr, /file 'core-err-outside-root\/outside.yaml' is not in or below 'core-err-outside-root\/overlay' \(--load-restrictor LoadRestrictionsNone allows/);
  });
  it('validate builds with --load-restrictor and takes --enable-helm, as render does', () => {
    // without the option, a kustomization that builds only without the restrictor is checked, with a warning
    const warned = capifleet(['validate', '--no-cache', outside]);
    assert.equal(warned.status, 0, warned.stdout);
    assert.match(warned.stdout, /builds only with --load-restrictor none: .*not in or below.*\[input\/load-restrictor\]/);
    // asked for explicitly, the restrictor holds: a kustomization that does not build is a finding (input/build, exit 1)
    const refused = capifleet(['validate', '--no-cache', '--load-restrictor', 'LoadRestrictionsRootOnly', outside]);
    assert.equal(refused.status, 1, refused.stdout);
    assert.match(refused.stdout, /not in or below.*\[input\/build\]/);
    const allowed = capifleet(['validate', '--no-cache', '--load-restrictor', 'LoadRestrictionsNone', '--enable-helm', outside]);
    assert.equal(allowed.status, 0, allowed.stdout + allowed.stderr);
  });
  it('an absurd --jobs is refused before any thread starts', () => {
    const r = capifleet(['render', '--jobs', '99999999999999999999', outside, outside]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^capifleet: --jobs 100000000000000000000: at most 256 threads\n$/);
  });
  // every command's options with a fixed set of values, each given a wrong one
  const choiceOptions: string[][] = [
    ['render', '--load-restrictor', 'bogus', outside],
    ['validate', '--load-restrictor', 'bogus', '.'],
    ['validate', '-o', 'xml', '.'],
    ['validate', '--missing-schemas', 'maybe', '.'],
    ['diff', '-o', 'xml', 'a', 'b'],
    ['add-cluster', 'c', '--env', 'dev', '--provider', 'gcp'],
    ['schemas', 'list', '-o', 'yaml'],
  ];
  for (const args of choiceOptions) {
    it(`a value outside the choices is one line, exit 2: ${args.join(' ')}`, () => {
      const r = capifleet(args);
      assert.equal(r.status, 2);
      assert.match(r.stderr, /^capifleet: --[a-z-]+: "[a-z]+" is not one of "[^\n]+ \(see 'capifleet --help'\)\n$/);
    });
  }
  it('a missing argument is one line, exit 2', () => {
    for (const args of [['add-cluster'], ['add-cluster', 'c'], ['diff'], ['render'], []]) {
      const r = capifleet(args);
      assert.equal(r.status, 2, args.join(' '));
      assert.equal(r.stderr.split('\n').length, 2, r.stderr);
    }
  });
});

describe('oneLineUsageMessage', () => {
  it("joins yargs' block of invalid values into one line naming each option", () => {
    const block = 'Invalid values:\n  Argument: output, Given: "xml", Choices: "text", "json"\n  Argument: mode, Given: "x", Choices: "a"';
    assert.equal(oneLineUsageMessage(block), '--output: "xml" is not one of "text", "json"; --mode: "x" is not one of "a"');
  });
  it('joins the lines of any other message', () => {
    assert.equal(oneLineUsageMessage('Implications failed:\n  a -> b'), 'Implications failed: a -> b');
  });
});
