import * as path from 'node:path';
import type { Input } from '../../src/validate/inputs.js';

/**
 * What validate would check, one line per input: a cluster with its objects' names (and the rule
 * ids of its own problems), a kustomization or the manifest files, relative to `root`.
 */
export function inputSummary(inputs: readonly Input[], root: string): string[] {
  return inputs.map((i) => {
    if (i.kind === 'cluster') {
      const problems = i.loaded.problems.map((p) => p.ruleId);
      return `${i.loaded.unit.name}: ${i.loaded.unit.resources.map((r) => r.name).sort().join(',')}${problems.length ? ` (${problems.join(',')})` : ''}`;
    }
    if (i.kind === 'kustomization') return `kustomization ${path.relative(root, i.dir)}`;
    if (i.kind === 'files') return `files ${i.files.map((f) => path.relative(root, f)).join(',')}`;
    return i.kind;
  });
}
