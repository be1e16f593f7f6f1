import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mergeGeneratorOptions } from '../../../src/engine/generators/options.js';
import type { GeneratorOptions } from '../../../src/engine/types.js';

describe('mergeGeneratorOptions', () => {
  const cases: { name: string; local?: GeneratorOptions; global?: GeneratorOptions; expected?: GeneratorOptions }[] = [
    { name: 'neither', expected: undefined },
    { name: 'local only', local: { labels: { a: '1' } }, expected: { labels: { a: '1' } } },
    { name: 'global only', global: { annotations: { n: 'g' }, immutable: true }, expected: { annotations: { n: 'g' }, immutable: true } },
    {
      name: 'maps unioned, local wins',
      local: { labels: { shared: 'local', l: '1' } },
      global: { labels: { shared: 'global', g: '1' } },
      expected: { labels: { shared: 'local', l: '1', g: '1' } },
    },
    {
      name: 'global flags cannot be turned off locally',
      local: { disableNameSuffixHash: false, immutable: false },
      global: { disableNameSuffixHash: true, immutable: true },
      expected: { disableNameSuffixHash: true, immutable: true },
    },
    { name: 'local flags survive', local: { disableNameSuffixHash: true }, global: {}, expected: { disableNameSuffixHash: true } },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(mergeGeneratorOptions(c.local, c.global), c.expected));
});
