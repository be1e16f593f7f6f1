/**
 * The differential corpus: every tree under test/cases is rendered by capifleet and compared byte
 * for byte with Kustomize v5.5.0's output committed beside it. Where kubectl is installed, the
 * committed output is re-checked against a live `kubectl kustomize` too. Each renders as the CLI
 * does, in this thread unless its YAML is nested too deep for this thread's stack.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BuildError } from '../../src/errors.js';
import { renderMany } from '../../src/engine/render-many.js';
import { kubectlAvailable, listCases, renderOptions, runKustomize } from '../support/cases.js';

const cases = listCases();
const live = kubectlAvailable();

describe('differential corpus against kustomize v5.5.0', () => {
  it('has cases', () => assert.ok(cases.length > 0, 'no cases under test/cases'));
  for (const c of cases) {
    describe(c.name, () => {
      it('matches kustomize', async () => {
        assert.ok(c.expectedYaml !== undefined || c.expectedError !== undefined, 'no expected.yaml or expected.err: run npm run cases:expect');
        const rendered = async () => (await renderMany([c.dir], { ...renderOptions(c), threads: 1 }))[0]!.yaml;
        if (c.expectedYaml !== undefined) {
          assert.equal(await rendered(), c.expectedYaml);
        } else {
          await assert.rejects(rendered, BuildError, `kustomize fails here:\n${c.expectedError}`);
        }
      });
      const skip = !live ? 'kubectl not installed: live comparison skipped' : c.noLiveCheck ?? false;
      it('committed expectation is current', { skip }, () => {
        const r = runKustomize(c);
        if (c.expectedYaml !== undefined) assert.equal(r.stdout, c.expectedYaml);
        else assert.equal(r.ok, false, 'kustomize now succeeds; re-run npm run cases:expect');
      });
    });
  }
});
