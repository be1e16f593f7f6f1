import { BuildError } from '../errors.js';

/**
 * Effects of kustomize printing through JSON: go-yaml v2 re-reads the JSON text that Go's
 * encoding/json wrote. That text escapes C0 controls, CR/LF, LS/PS, `"` and `\`, but leaves
 * other characters raw, and the YAML reader then treats some of them specially.
 */

/** C1 controls (except NEL), DEL and the non-characters U+FFFE/U+FFFF: YAML forbids them raw. */
const FORBIDDEN_RAW = /[\u007f-\u0084\u0086-\u009f\ufffe\uffff]/;
const NEL = '\u0085';
/** A run of raw NEL line breaks with the spaces around them, as a double-quoted scalar folds it. */
const FOLDED_NEL_RUN = / *\u0085(?: *\u0085)* */g;

/** The string go-yaml v2 reads back from the JSON encoding of `s`. */
export function readBackString(s: string): string {
  checkAllowed(s);
  if (!s.includes(NEL)) return s;
  // A raw NEL is a line break inside the JSON's double-quoted scalar: one break folds to a
  // space, n breaks to n-1 newlines, and spaces around them are dropped.
  return s.replace(FOLDED_NEL_RUN, (run) => {
    const breaks = run.split(NEL).length - 1;
    return breaks === 1 ? ' ' : '\n'.repeat(breaks - 1);
  });
}

/** A map key as go-yaml v2 reads it back; a key spanning lines is a syntax error there. */
export function readBackKey(key: string): string {
  checkAllowed(key);
  if (key.includes(NEL)) {
    throw new BuildError(`map key ${JSON.stringify(key)} contains U+0085 (NEL): yaml: did not find expected ',' or '}'`);
  }
  return key;
}

/**
 * go-yaml v2 reads a `<<` key as a merge key even when quoted, and (into the generic map
 * kustomize uses) nothing of its value survives: kustomize drops the entry.
 */
export function isDroppedMergeKey(key: string): boolean {
  return key === '<<';
}

function checkAllowed(s: string): void {
  const bad = FORBIDDEN_RAW.exec(s);
  if (bad) {
    const code = bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    throw new BuildError(`string ${JSON.stringify(s)} contains U+${code}: yaml: control characters are not allowed`);
  }
}
