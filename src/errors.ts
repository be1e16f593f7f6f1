import { displayPath } from './display-path.js';

/**
 * An error in the user's input: printed as one line (file, line, what is wrong) and exit code 2.
 * Anything else thrown is a bug in capifleet.
 */
export class BuildError extends Error {
  constructor(
    message: string,
    readonly file?: string,
    readonly line?: number,
  ) {
    super(message);
    this.name = 'BuildError';
  }

  /** The one-line form for terminals: `file:line: message`, the file relative to `base` when given. */
  format(base?: string): string {
    if (!this.file) return this.message;
    const file = base ? displayPath(this.file, base) : this.file;
    return `${file}${this.line ? `:${this.line}` : ''}: ${this.message}`;
  }

  /** The same error with a file (and line) attached, unless it already names one. */
  at(file: string, line?: number): BuildError {
    if (this.file) return this;
    return new BuildError(this.message, file, line);
  }
}
