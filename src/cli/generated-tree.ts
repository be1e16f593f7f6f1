import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ResolvedFleet } from '../fleet/types.js';
import { generateTree } from '../generate/tree.js';

/** Writes the tree a fleet generates under a (temporary) folder and returns it, for rendering without touching the user's tree. */
export function writeGeneratedTree(fleet: ResolvedFleet, root: string): string {
  const { files } = generateTree(fleet);
  for (const dir of new Set(files.map((f) => path.dirname(path.join(root, f.path))))) fs.mkdirSync(dir, { recursive: true });
  for (const f of files) fs.writeFileSync(path.join(root, f.path), f.content);
  return root;
}
