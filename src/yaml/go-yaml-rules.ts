import type { Document, Node } from 'yaml';
import { BuildError } from '../errors.js';
import { yamlLibrary } from '../libraries.js';

/*
 * What go-yaml refuses and the yaml library reads. go-yaml v2 (the kustomization and other
 * files kustomize decodes through sigs.k8s.io/yaml) and v3 (resources and patches) share
 * libyaml's reader and scanner, so the same rules hold for both.
 */

/** Characters libyaml's reader lets through: tab, line breaks and the printable ranges. */
const NOT_ALLOWED = /[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u;

/** The reader refuses control characters (NUL, ESC, DEL, C1 ...) anywhere, comments included. */
export function checkCharacters(text: string, file: string, firstLine = 1): void {
  const bad = NOT_ALLOWED.exec(text);
  if (bad) throw new BuildError('invalid YAML: control characters are not allowed', file, firstLine + countLineBreaks(text, bad.index));
}

/** Blank and comment lines, then a line starting with `%`: the directive opening the text. */
const LEADING_DIRECTIVE = /^(?:[ \t]*(?:#[^\n]*)?\n)*%(?:YAML[ \t]+(\d+)\.(\d+))?/;

/**
 * go-yaml reads only `%YAML 1.1`. `alone`: the text is one piece cut at `---` lines (kustomize's
 * resource reader), so a directive there is never followed by the `---` it needs.
 */
export function checkDirective(text: string, file: string, alone: boolean, firstLine = 1): void {
  const m = LEADING_DIRECTIVE.exec(text);
  if (!m) return;
  const line = firstLine + countLineBreaks(m[0]);
  if (m[1] !== undefined && (m[1] !== '1' || m[2] !== '1')) throw new BuildError('invalid YAML: found incompatible YAML document', file, line);
  if (alone) throw new BuildError('invalid YAML: did not find expected <document start>', file, line);
}

/** A line whose first character other than a space is a tab. */
const TAB_FIRST = /^ *\t/gm;
/** libyaml's anchor and alias names. */
const ANCHOR_NAME = /^[0-9A-Za-z_-]+$/;

/**
 * The scanner's rules on a parsed document: a tab cannot start a line of block structure (only
 * scalars and flow collections may hold one there), and anchor names are letters, digits, `_`, `-`.
 */
export function checkScannerRules(doc: Document.Parsed | Document | undefined, text: string, lineOf: (offset: number) => number, file: string): void {
  const { isAlias, isCollection, isScalar, visit } = yamlLibrary();
  const inside: [number, number][] = [];
  const tabLines = [...text.matchAll(TAB_FIRST)].map((m) => m.index);
  if (doc) visit(doc, (_key, node) => {
    if (isAlias(node) && !ANCHOR_NAME.test(node.source)) throw badName(node);
    if (!isScalar(node) && !isCollection(node)) return;
    if (node.anchor !== undefined && !ANCHOR_NAME.test(node.anchor)) throw badName(node);
    const range = (node as Node).range;
    if (!range || tabLines.length === 0) return;
    const plainOneLine = isScalar(node) && node.type === 'PLAIN' && !text.slice(range[0], range[1]).includes('\n');
    if ((isCollection(node) && node.flow) || (isScalar(node) && !plainOneLine)) inside.push([range[0], range[2]]);
  });
  const stray = tabLines.find((at) => !inside.some(([from, to]) => at >= from && at < to));
  if (stray !== undefined) throw new BuildError('invalid YAML: found character that cannot start any token', file, lineOf(stray));

  function badName(node: Node): BuildError {
    return new BuildError('invalid YAML: did not find expected alphabetic or numeric character', file, node.range ? lineOf(node.range[0]) : undefined);
  }
}

/** The `\n` in `text` before `end`. */
export function countLineBreaks(text: string, end = text.length): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
