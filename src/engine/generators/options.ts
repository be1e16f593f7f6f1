import type { GeneratorOptions } from '../types.js';

/**
 * A generator's own options combined with the kustomization's `generatorOptions`: labels and
 * annotations are unioned with the generator's own values winning a conflict; the two flags are
 * on when either side turns them on (a generator cannot turn off what the kustomization turns on).
 */
export function mergeGeneratorOptions(
  local: GeneratorOptions | undefined,
  global: GeneratorOptions | undefined,
): GeneratorOptions | undefined {
  if (!global) return local;
  const merged: GeneratorOptions = { ...local };
  const labels = unionPreferringFirst(local?.labels, global.labels);
  const annotations = unionPreferringFirst(local?.annotations, global.annotations);
  if (labels) merged.labels = labels;
  if (annotations) merged.annotations = annotations;
  if (global.disableNameSuffixHash) merged.disableNameSuffixHash = true;
  if (global.immutable) merged.immutable = true;
  return merged;
}

function unionPreferringFirst(
  first: Record<string, string> | undefined,
  second: Record<string, string> | undefined,
): Record<string, string> | undefined {
  if (!first && !second) return undefined;
  return { ...second, ...first };
}
