/**
 * The order go-yaml v2 prints map keys in (kustomize's last step marshals a
 * map[interface{}]interface{} with it). Not byte order: it compares code points, but
 * non-letters sort before letters and runs of digits compare by numeric value,
 * so `a9` < `a10` and `_x` < `Z`.
 */

const LETTER = /\p{L}/u;
const DIGIT = /\p{Nd}/u;

/** Keys are nearly always ASCII: those characters are told without a regular expression. */
function isLetter(c: number): boolean {
  if (c < 0x80) return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
  return LETTER.test(String.fromCodePoint(c));
}

function isDigit(c: number): boolean {
  if (c < 0x80) return c >= 0x30 && c <= 0x39;
  return DIGIT.test(String.fromCodePoint(c));
}

/**
 * Compares two keys given as code points (see codePoints): the emitter keeps each key's code
 * points with its form, so sorting a map's keys makes no arrays (it made two per comparison).
 */
export function compareKeyCodePoints(ar: readonly number[], br: readonly number[]): number {
  return keyLess(ar, br) ? -1 : keyLess(br, ar) ? 1 : 0;
}

function keyLess(ar: readonly number[], br: readonly number[]): boolean {
  for (let i = 0; i < ar.length && i < br.length; i++) {
    const ac = ar[i]!;
    const bc = br[i]!;
    if (ac === bc) continue;
    const aLetter = isLetter(ac);
    const bLetter = isLetter(bc);
    if (aLetter && bLetter) return ac < bc;
    if (aLetter || bLetter) return bLetter;
    // Compare the digit runs starting here by value. A run that continues a number with a
    // non-zero digit before it counts from 1, so leading zeros only matter at a run's start.
    let an = 0n;
    let bn = 0n;
    if (ac === 0x30 || bc === 0x30) {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]!); j--) {
        if (ar[j] !== 0x30) {
          an = 1n;
          bn = 1n;
          break;
        }
      }
    }
    let ai = i;
    for (; ai < ar.length && isDigit(ar[ai]!); ai++) an = BigInt.asIntN(64, an * 10n + BigInt(ar[ai]! - 0x30));
    let bi = i;
    for (; bi < br.length && isDigit(br[bi]!); bi++) bn = BigInt.asIntN(64, bn * 10n + BigInt(br[bi]! - 0x30));
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ac < bc;
  }
  return ar.length < br.length;
}
