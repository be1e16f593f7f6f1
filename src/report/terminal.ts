/** Wraps text in an ANSI SGR code (`31` red, `1` bold, …) when colors are on; the caller decides from the terminal and NO_COLOR. */
export type Paint = (code: string, text: string) => string;

export function painter(color: boolean): Paint {
  return color ? (code, text) => `\x1b[${code}m${text}\x1b[0m` : (_code, text) => text;
}

/** A unified diff as terminals show it: file headers bold, hunk headers cyan, additions green, removals red. */
export function paintUnifiedDiff(patch: string, paint: Paint): string {
  return patch
    .split('\n')
    .map((line) => {
      if (line.startsWith('+++') || line.startsWith('---')) return paint('1', line);
      if (line.startsWith('@@')) return paint('36', line);
      if (line.startsWith('+')) return paint('32', line);
      if (line.startsWith('-')) return paint('31', line);
      return line;
    })
    .join('\n');
}
