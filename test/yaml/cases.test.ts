import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocuments } from '../../src/yaml/parse.js';
import { emitDocument } from '../../src/yaml/emit.js';
import { BuildError } from '../../src/errors.js';

/**
 * The yaml-* differential cases hold resources that kustomize prints unchanged (ConfigMaps
 * first, then other kinds, as its legacy order does), so parsing and printing each document
 * must give kubectl's bytes without the rest of the pipeline.
 */
const casesDir = join(import.meta.dirname, '..', '..', '..', 'test', 'cases');
const cases = readdirSync(casesDir).filter((d) => d.startsWith('yaml-'));

function render(dir: string): string {
  const file = join(dir, 'resources.yaml');
  return parseDocuments(readFileSync(file), file)
    .filter((d) => d.value !== null)
    .map((d) => emitDocument(d.value))
    .join('---\n');
}

for (const name of cases) {
  const dir = join(casesDir, name);
  const expectedFile = join(dir, 'expected.yaml');
  test(`kubectl case ${name}`, () => {
    if (existsSync(expectedFile)) {
      assert.equal(render(dir), readFileSync(expectedFile, 'utf8'));
    } else {
      assert.throws(() => render(dir), BuildError);
    }
  });
}
