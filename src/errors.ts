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
    // kustomize's words sometimes quote a plugin's config or a node across lines: joined here
    const message = this.message.trim().replace(/\s*\n\s*/g, ' ');
    if (!this.file) return message;
    const file = base ? displayPath(this.file, base) : this.file;
    return `${file}${this.line ? `:${this.line}` : ''}: ${message}`;
  }

  /** The same error with a file (and line) attached, unless it already names one. */
  at(file: string, line?: number): BuildError {
    if (this.file) return this;
    return new BuildError(this.message, file, line);
  }
}
