import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CLOCK_TICK_MS } from '../../src/engine/read-set.js';

/** A fresh temporary folder holding `files` (relative path → content). */
export function tempTree(prefix: string, files: Record<string, string> = {}): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `capifleet-${prefix}-`));
  for (const [p, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
    fs.writeFileSync(path.join(root, p), content);
  }
  return root;
}

/** Every file and folder under `root`, relative with POSIX separators, dot files included, sorted. */
export function listing(root: string): string[] {
  return (fs.readdirSync(root, { recursive: true }) as string[]).map((p) => p.split(path.sep).join('/')).sort();
}

/** Waits out the clock tick after writing files, so that a run starting next trusts them by their stat (see CLOCK_TICK_MS) however loaded the machine. */
export const pastTheClockTick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 2 * CLOCK_TICK_MS));
