import { displayPath } from '../display-path.js';
import { BuildError } from '../errors.js';
import { readRegularFile } from '../files.js';
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

/** Reads a file the user named; a missing, unreadable or special one is their error, not a bug. */
export function readInputFile(file: string): string {
  const bytes = readRegularFile(file);
  if (bytes === undefined) throw new BuildError(`cannot read ${file}: no such file`);
  return decodeUtf8(bytes, file);
}

/**
 * yargs' `coerce` for options and positionals that name paths: an empty one would mean the
 * working folder to some calls and nothing to others, so it is refused in one line naming `what`.
 */
export function nonEmptyPaths(what: string): (value: string[]) => string[] {
  return (value) => {
    if (value.includes('')) throw new BuildError(`${what}: an empty path`);
    return value;
  };
}

/** nonEmptyPaths for an option or positional taking one path. */
export function nonEmptyPath(what: string): (value: string) => string {
  const check = nonEmptyPaths(what);
  return (value) => check([value])[0]!;
}

/** Colors on a terminal, never when NO_COLOR is set (https://no-color.org), forced by FORCE_COLOR. */
export function useColor(): boolean {
  if (process.env.NO_COLOR) return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== '0') return true;
  return Boolean(process.stdout.isTTY);
}
