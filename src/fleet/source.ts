import { BuildError } from '../errors.js';
import { joinPointer, parentPointer } from '../json/pointer.js';

/** Where the parts of a fleet spec are, so every problem names the line a person must edit. */
export class SpecSource {
  constructor(
    readonly file: string,
    private readonly lines: ReadonlyMap<string, number>,
  ) {}

  /** The line of the node at a JSON pointer (a mapping entry's key line), else of its nearest ancestor that is written. */
  lineOf(pointer: string): number | undefined {
    for (let p = pointer; ; p = parentPointer(p)) {
      const line = this.lines.get(p);
      if (line !== undefined || p === '') return line;
    }
  }

  /** Whether the spec writes a node at this pointer. */
  has(pointer: string): boolean {
    return this.lines.has(pointer);
  }

  fail(message: string, pointer: string): never {
    throw new BuildError(message, this.file, this.lineOf(pointer));
  }
}

/** `/spec/clusters/3` + `name` + ... → `/spec/clusters/3/name/...`. */
export function pointerOf(base: string, ...tokens: (string | number)[]): string {
  return tokens.reduce<string>((p, t) => joinPointer(p, t), base);
}
