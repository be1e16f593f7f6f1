import * as path from 'node:path';
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

  /**
   * The one-line form for terminals: `file:line: message`. With `base` (the working directory),
   * the file and every path below `base` in the message print relative to it, as a person there
   * types them; kustomize's messages name absolute paths.
   */
  format(base?: string): string {
    const message = base ? relativeToBase(this.message, base) : this.message;
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

/** A message with the absolute paths below `base` made relative to it. */
export function relativeToBase(message: string, base: string): string {
  const prefix = base.endsWith(path.sep) ? base : `${base}${path.sep}`;
  return message.replaceAll(prefix, '');
}
