import { codePoints, isBlankOrEnd, isBreak, isPrintable, isSpace } from './chars.js';

/** Which block-context styles libyaml's emitter allows for a scalar's text. */
export interface ScalarAnalysis {
  text: string;
  /** In code points. */
  length: number;
  multiline: boolean;
  plainAllowed: boolean;
  singleQuotedAllowed: boolean;
  literalAllowed: boolean;
}

const ALWAYS_INDICATORS = new Set(Array.from('#,[]{}&*!|>\'"%@`', (c) => c.charCodeAt(0)));
const COLON = 0x3a;
const DASH = 0x2d;
const HASH = 0x23;
const QUESTION = 0x3f;

/**
 * Most keys and values (names, versions, paths, URLs without a port) are printable ASCII with no
 * indicator or blank anywhere, and may be written in every style; they need no closer look.
 */
const ORDINARY = /^[A-Za-z0-9_/][A-Za-z0-9_./-]*$/;

/**
 * Re-expresses libyaml's scalar analysis for block context (kustomize never prints flow
 * collections with content): indicator characters that would be misread when plain,
 * leading/trailing spaces and breaks, spaces next to line breaks, and characters that
 * cannot be written without escapes.
 */
export function analyzeScalar(text: string): ScalarAnalysis {
  if (ORDINARY.test(text)) {
    return { text, length: text.length, multiline: false, plainAllowed: true, singleQuotedAllowed: true, literalAllowed: true };
  }
  const chars = codePoints(text);
  if (chars.length === 0) {
    return { text, length: 0, multiline: false, plainAllowed: true, singleQuotedAllowed: true, literalAllowed: false };
  }
  let indicators = text.startsWith('---') || text.startsWith('...');
  let lineBreaks = false;
  let special = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakThenSpace = false;
  let spaceThenBreak = false;
  let previousSpace = false;
  let previousBreak = false;
  let precededByBlank = true;
  const last = chars.length - 1;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    const followedByBlank = isBlankOrEnd(chars[i + 1]);
    if (i === 0) {
      if (ALWAYS_INDICATORS.has(c)) indicators = true;
      else if ((c === QUESTION || c === COLON || c === DASH) && followedByBlank) indicators = true;
    } else if (c === COLON && followedByBlank) indicators = true;
    else if (c === HASH && precededByBlank) indicators = true;

    if (!isPrintable(c)) special = true;
    if (isSpace(c)) {
      if (i === 0) leadingSpace = true;
      if (i === last) trailingSpace = true;
      if (previousBreak) breakThenSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(c)) {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (i === last) trailingBreak = true;
      if (previousSpace) spaceThenBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByBlank = isBlankOrEnd(c);
  }
  const noneAllowed = spaceThenBreak || special;
  return {
    text,
    length: chars.length,
    multiline: lineBreaks,
    plainAllowed:
      !noneAllowed && !leadingSpace && !leadingBreak && !trailingSpace && !trailingBreak && !breakThenSpace && !lineBreaks && !indicators,
    singleQuotedAllowed: !noneAllowed && !breakThenSpace,
    literalAllowed: !noneAllowed && !trailingSpace,
  };
}

/**
 * Whether go-yaml v3 (which, unlike v2, allows tabs in block scalars) would print this string
 * value as a literal block whose first line starts with a tab: it writes no indentation indicator
 * then, so reading the block back fails with "found a tab character where an indentation space
 * is expected". kustomize prints and re-reads every resource this way.
 */
export function literalBlockStartsWithTab(text: string): boolean {
  if (!text.startsWith('\t') || !text.includes('\n')) return false;
  const chars = codePoints(text);
  if (isSpace(chars[chars.length - 1]!)) return false;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c !== 0x09 && !isPrintable(c)) return false;
    if (isSpace(c) && isBreak(chars[i + 1] ?? -1)) return false;
  }
  return true;
}
