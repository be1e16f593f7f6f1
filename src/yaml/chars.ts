/**
 * Character classes of libyaml's emitter (which go-yaml ports), over Unicode code points.
 * They decide which scalar styles may print a string and which characters need escapes.
 */

/** Line breaks as YAML 1.1 sees them: CR, LF, NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR. */
export function isBreak(c: number): boolean {
  return c === 0x0a || c === 0x0d || c === 0x85 || c === 0x2028 || c === 0x2029;
}

export function isSpace(c: number): boolean {
  return c === 0x20;
}

/** Space, tab, a line break, or the end of the text (`undefined`). */
export function isBlankOrEnd(c: number | undefined): boolean {
  return c === undefined || c === 0x20 || c === 0x09 || c === 0 || isBreak(c);
}

/**
 * What the emitter may write unescaped. Tabs, CR, DEL, C1 controls, the BOM, non-characters
 * and everything outside the Basic Multilingual Plane (emoji!) are not "printable".
 */
export function isPrintable(c: number): boolean {
  return (
    c === 0x0a ||
    (c >= 0x20 && c <= 0x7e) ||
    (c >= 0xa0 && c <= 0xd7ff) ||
    (c >= 0xe000 && c <= 0xfffd && c !== 0xfeff)
  );
}

/** The string as code points (astral characters are one element each). */
export function codePoints(s: string): number[] {
  const out: number[] = [];
  for (const ch of s) out.push(ch.codePointAt(0)!);
  return out;
}
