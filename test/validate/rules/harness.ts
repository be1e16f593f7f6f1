import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createdObjects } from '../../../src/validate/rules/created-objects.js';
import { ResourceIndex } from '../../../src/validate/rules/resource-index.js';
import type { Rule } from '../../../src/validate/rules/rule.js';
import { resourcesFromYaml } from '../fake-catalog.js';

/** One row of a rule's table: manifests, and the findings expected as `name path` (plus a message pattern). */
export interface RuleCase {
  name: string;
  yaml: string;
  expected: string[];
  message?: RegExp;
}

/** The shared harness: every rule runs its table of valid and invalid inputs through here. */
export function ruleTable(rule: Rule, cases: RuleCase[]): void {
  describe(`rule ${rule.meta.id}`, () => {
    it('has metadata', () => {
      assert.match(rule.meta.id, /^[a-z0-9]+\/[a-z0-9-]+$/);
      assert.ok(rule.meta.doc.length > 10);
    });
    for (const c of cases) {
      it(c.name, () => {
        const resources = resourcesFromYaml(c.yaml);
        const findings = rule.check({ index: new ResourceIndex(resources, createdObjects(resources)) });
        assert.deepEqual(findings.map((f) => `${f.resource.name} ${f.path ?? ''}`), c.expected);
        if (c.message) for (const f of findings) assert.match(f.message, c.message);
      });
    }
  });
}
