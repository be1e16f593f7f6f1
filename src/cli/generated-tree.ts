import type { ResolvedFleet } from '../fleet/types.js';
import { memoryTree, TreeFileCache } from '../engine/file-tree.js';
import { generateTree } from '../generate/tree.js';

/** The tree a fleet generates, in memory, as if it were at `root`. */
export function generatedTree(fleet: ResolvedFleet, root: string): TreeFileCache {
  return new TreeFileCache(root, memoryTree(new Map(generateTree(fleet).files.map((f) => [f.path, Buffer.from(f.content)]))));
}
