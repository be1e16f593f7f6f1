import type { PathSegment } from './types.js';

/** A field name as a path prints it: bare when it is a plain word, else quoted in brackets (`labels["helm.sh/chart"]`). */
function fieldText(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(name) ? name : `[${JSON.stringify(name)}]`;
}

/** `spec.template.spec.containers[name=app].image`, as people and `--ignore` write a field. */
export function formatPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const s of segments) {
    if ('entry' in s) out += `[${s.entry}]`;
    else {
      const text = fieldText(s.field);
      out += text.startsWith('[') || out === '' ? text : `.${text}`;
    }
  }
  return out;
}

/** One step of an `--ignore` pattern: a field name (`*` for any), or a list entry (`[*]`, `[name=app]`, `[0]`). */
type PatternSegment = { field: string } | { entry: string };

/**
 * Parses a field path as formatPath prints it. `*` matches any one field; a list entry the
 * pattern does not name is stepped over, so `spec.containers.image` means every container's image.
 */
export function parsePattern(pattern: string): PatternSegment[] | undefined {
  const out: PatternSegment[] = [];
  const re = /\[("(?:[^"\\]|\\.)*")\]|\[([^\]]*)\]|([^.[\]]+)|(\.)/gy;
  let m: RegExpExecArray | null;
  let last = 0;
  while ((m = re.exec(pattern)) !== null) {
    last = re.lastIndex;
    if (m[1] !== undefined) out.push({ field: JSON.parse(m[1]) as string });
    else if (m[2] !== undefined) out.push({ entry: m[2] });
    else if (m[3] !== undefined) out.push({ field: m[3] });
  }
  return last === pattern.length && out.length > 0 ? out : undefined;
}

/** Whether a path lies at or under what a pattern names. */
export function matchesPattern(pattern: readonly PatternSegment[], path: readonly PathSegment[]): boolean {
  const match = (p: number, s: number): boolean => {
    if (p === pattern.length) return true;
    if (s === path.length) return false;
    const want = pattern[p]!;
    const have = path[s]!;
    if ('entry' in have) {
      if ('entry' in want) return (want.entry === '*' || want.entry === have.entry) && match(p + 1, s + 1);
      return match(p, s + 1);
    }
    return 'field' in want && (want.field === '*' || want.field === have.field) && match(p + 1, s + 1);
  };
  return match(0, 0);
}

export type FieldPattern = PatternSegment[];
