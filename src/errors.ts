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
    const message = this.displayMessage(base);
    if (!this.file) return message;
    const file = base ? displayPath(this.file, base) : this.file;
    return `${file}${this.line ? `:${this.line}` : ''}: ${message}`;
  }

  /**
   * The message as one line (kustomize's words sometimes quote a plugin's config or a node across
   * lines), with the paths below `base` relative to it when given.
   */
  displayMessage(base?: string): string {
    const oneLine = this.message.trim().replace(/\s*\n\s*/g, ' ');
    return base ? relativeToBase(oneLine, base) : oneLine;
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

/**
 * YAML nested deeper than this thread's stack can read, though within go-yaml's limit: a thread
 * with a deep stack (see DEEP_STACK_MB) reads it; where none can be asked, it is the user's error.
 */
export class NestedTooDeepForThisThread extends BuildError {}
