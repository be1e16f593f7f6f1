import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { RULE_ALIASES, RULE_REGISTRY, ruleDescriptor } from '../../src/validate/rule-registry.js';
import { RULES } from '../../src/validate/rules/index.js';
import { repoRoot } from '../support/paths.js';

describe('rule registry', () => {
  it('holds every id once, each <area>/<check>', () => {
    const ids = RULE_REGISTRY.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const id of ids) assert.match(id, /^[a-z0-9]+\/[a-z0-9-]+$/);
  });
  it('each cross-resource rule lives in rules/<id>.ts, with its own table test', () => {
    for (const rule of RULES) {
      assert.ok(fs.existsSync(path.join(repoRoot, 'src', 'validate', 'rules', `${rule.meta.id}.ts`)), `src/validate/rules/${rule.meta.id}.ts`);
      assert.ok(fs.existsSync(path.join(repoRoot, 'test', 'validate', 'rules', `${rule.meta.id}.test.ts`)), `test/validate/rules/${rule.meta.id}.test.ts`);
    }
  });
  it('every alias names a rule of the registry', () => {
    for (const [old, id] of RULE_ALIASES) {
      assert.ok(ruleDescriptor(id), `${old} → ${id}`);
      assert.equal(ruleDescriptor(old), undefined);
    }
  });
});
