import * as fs from 'node:fs';
import * as path from 'node:path';
import { displayPath } from '../errors.js';

/**
 * Writes a file so that readers see either the old or the new content, never a partial one:
 * write a temporary sibling, then rename over the target.
 */
export function writeFileAtomic(file: string, content: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(tmp, content);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/** A one-line progress counter on stderr, shown only on a terminal so logs stay clean. */
export class Progress {
  private readonly enabled: boolean;
  private last = 0;

  constructor(
    private readonly label: string,
    private readonly total: number,
    stream: NodeJS.WriteStream = process.stderr,
  ) {
    this.enabled = Boolean(stream.isTTY) && total > 1 && !process.env.CI;
  }

  tick(done: number): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.last < 100 && done < this.total) return;
    this.last = now;
    process.stderr.write(`\r${this.label} ${done}/${this.total}`);
  }

  end(): void {
    if (this.enabled) process.stderr.write('\r\x1b[K');
  }
}

/** A note for whoever debugs capifleet, shown only when CAPIFLEET_DEBUG is set. */
export function printDebug(message: string): void {
  if (process.env.CAPIFLEET_DEBUG) process.stderr.write(`capifleet: debug: ${message}\n`);
}

/** Prints an engine warning on stderr, naming its file relative to the working directory. */
export function printWarning(message: string, file?: string): void {
  process.stderr.write(`capifleet: warning: ${file ? `${displayPath(file, process.cwd())}: ` : ''}${message}\n`);
}
