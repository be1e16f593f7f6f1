import * as fs from 'node:fs';
import { displayPath } from '../display-path.js';
import { BuildError } from '../errors.js';
import { decodeUtf8 } from '../yaml/parse.js';

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

/** Prints an engine warning on stderr, naming its file relative to the working directory. */
export function printWarning(message: string, file?: string): void {
  process.stderr.write(`capifleet: warning: ${file ? `${displayPath(file, process.cwd())}: ` : ''}${message}\n`);
}

/** Reads a file the user named; a missing or unreadable one is their error, not a bug. */
export function readInputFile(file: string): string {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    throw new BuildError(`cannot read ${file}`);
  }
  return decodeUtf8(bytes, file);
}

/** Colors on a terminal, never when NO_COLOR is set (https://no-color.org), forced by FORCE_COLOR. */
export function useColor(): boolean {
  if (process.env.NO_COLOR) return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== '0') return true;
  return Boolean(process.stdout.isTTY);
}
