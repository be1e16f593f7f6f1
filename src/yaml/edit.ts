import type { Node, Pair, Scalar, YAMLSeq } from 'yaml';
import type { JsonValue } from '../json/value.js';
import { yamlLibrary } from '../libraries.js';
import { resolvePlain } from './parse.js';

/**
 * Edits of YAML text that keep what a person wrote: comments, blank lines, key order and quoting
 * stay byte for byte; only what is added is written, in the style around it.
 */

/**
 * A value as YAML. A string that a plain scalar would not give back (`0o14` is a number and
 * `2024-01-01` a date to the YAML reader capifleet and kustomize share) is double-quoted.
 */
function valueYaml(value: JsonValue, flow: boolean): string {
  const { Document, Scalar, visit } = yamlLibrary();
  const doc = new Document(value);
  visit(doc, {
    Scalar(_, node) {
      if (typeof node.value === 'string' && resolvePlain(node.value).type !== 'str') node.type = Scalar.QUOTE_DOUBLE;
    },
  });
  return doc.toString({ lineWidth: 0, ...(flow ? { collectionStyle: 'flow', flowCollectionPadding: false } : {}) }).trimEnd();
}

/**
 * The text with one more item at the end of a sequence (the value of `pair`), every other byte
 * kept (comments, blank lines, key order, quoting). The item is written in the sequence's style:
 * a flow list stays flow, `key: []` becomes a block list one step below its key, and a block
 * item lines up with the items before it, after the comments that belong to the last one.
 */
export function appendToSequence(text: string, pair: Pair<Scalar, YAMLSeq>, value: JsonValue): string {
  const seq = pair.value!;
  const [start, end] = seq.range!;
  if (seq.flow && seq.items.length > 0) {
    const close = text.lastIndexOf(']', end - 1);
    return `${text.slice(0, close)}, ${valueYaml(value, true)}${text.slice(close)}`;
  }
  const lines = valueYaml(value, false).split('\n');
  if (seq.flow) {
    // `clusters: []  # comment` → `clusters:  # comment` and a block list one step below the key
    const indent = columnAt(text, pair.key.range![0]) + 2;
    const colon = text.lastIndexOf(':', start);
    const lineEnd = endOfLine(text, end);
    return `${text.slice(0, colon + 1)}${text.slice(end, lineEnd)}\n${blockItem(lines, indent, indent + 2)}\n${text.slice(lineEnd + 1)}`;
  }
  const first = seq.items[0] as Node;
  const dash = text.lastIndexOf('-', first.range![0] - 1);
  const contentColumn = columnAt(text, first.range![0]);
  const item = blockItem(lines, columnAt(text, dash), contentColumn);
  let lineEnd = endOfLine(text, contentEnd(seq));
  // comment lines indented like the last entry's fields are the last entry's
  for (let next = lineEnd + 1; next < text.length; next = lineEnd + 1) {
    const comment = /^( *)#/.exec(text.slice(next, endOfLine(text, next)));
    if (!comment || comment[1]!.length < contentColumn) break;
    lineEnd = endOfLine(text, next);
  }
  return `${text.slice(0, lineEnd)}\n${item}\n${text.slice(lineEnd + 1)}`;
}

/** Where a block collection's last value ends: comments and blank lines after it belong to what follows. */
function contentEnd(node: Node): number {
  const { isCollection, isPair } = yamlLibrary();
  if (isCollection(node) && !node.flow && node.items.length > 0) {
    const last = node.items[node.items.length - 1];
    const value = isPair(last) ? (last.value ?? last.key) : last;
    return contentEnd(value as Node);
  }
  return node.range![1];
}

/** A block list item: `-` at dashColumn, the entry's lines at contentColumn. */
function blockItem(lines: readonly string[], dashColumn: number, contentColumn: number): string {
  return lines
    .map((line, i) => (i === 0 ? `${' '.repeat(dashColumn)}-${' '.repeat(contentColumn - dashColumn - 1)}${line}` : `${' '.repeat(contentColumn)}${line}`))
    .join('\n');
}

/** The offset of the line break ending the line at offset (the text's length when it has none). */
function endOfLine(text: string, offset: number): number {
  const i = text.indexOf('\n', offset);
  return i < 0 ? text.length : i;
}

function columnAt(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

/** The 1-based line of an offset, for messages. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
