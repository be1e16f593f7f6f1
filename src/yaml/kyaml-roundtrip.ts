import { yamlLibrary } from '../libraries.js';
import { analyzeScalar } from './scalar-analysis.js';

/**
 * kustomize turns a resource into JSON by printing its node tree with go-yaml v3 (kyaml's
 * RNode.MarshalJSON) and reading that text back, so a scalar read in folded style (`>`) is
 * written folded again first. go-yaml v3's folded writer adds the blank line that keeps a line
 * break by looking at the start of the whole text instead of at the line after the break: a
 * line followed by a more-indented one gains an empty line, and when the text starts with a
 * blank, lines that should stay apart are folded into one.
 */
export function foldedAfterRoundTrip(value: string): string {
  // printed in another style (double quotes) when a block cannot hold it: read back unchanged
  if (!value.includes('\n') || /[\r\u0085\u2028\u2029]/.test(value) || !analyzeScalar(value).literalAllowed) return value;
  const printed = `>${blockHints(value)}\n${foldedLines(value)}`;
  return String(yamlLibrary().parseDocument(printed).contents);
}

/** go-yaml v3's indentation indicator (for a leading blank) and chomping indicator. */
function blockHints(value: string): string {
  const indent = value[0] === ' ' || value[0] === '\n' ? '2' : '';
  const chomp = !value.endsWith('\n') ? '-' : value.length === 1 || value.endsWith('\n\n') ? '+' : '';
  return indent + chomp;
}

/** The lines go-yaml v3 writes for the text, two spaces in. */
function foldedLines(value: string): string {
  let k = 0;
  while (value[k] === '\n') k++;
  // the misplaced test: a blank (or the end) at the start of the text, not after this break
  const extraBreak = !(k === value.length || value[k] === ' ' || value[k] === '\t');
  let out = '';
  let breaks = true;
  let leadingSpaces = true;
  for (const c of value) {
    if (c === '\n') {
      if (!breaks && !leadingSpaces && extraBreak) out += '\n';
      out += '\n';
      breaks = true;
    } else {
      if (breaks) {
        out += '  ';
        leadingSpaces = c === ' ' || c === '\t';
      }
      out += c;
      breaks = false;
    }
  }
  return breaks ? out : `${out}\n`;
}
