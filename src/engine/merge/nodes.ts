import { BuildError } from '../../errors.js';
import { emitDocument } from '../../yaml/emit.js';
import { isObject, setKey, type JsonObject, type JsonValue } from '../../json/value.js';

/**
 * The few kyaml node operations its strategic merge is built from, re-expressed on plain JSON
 * values. kyaml compares scalars by their YAML text and edits lists in place; merge results
 * depend on both, so these helpers keep those semantics (arrays are mutated in place).
 */

export type NodeKind = 'MappingNode' | 'SequenceNode' | 'ScalarNode';

export function nodeKind(v: JsonValue): NodeKind {
  return isObject(v) ? 'MappingNode' : Array.isArray(v) ? 'SequenceNode' : 'ScalarNode';
}

/** kyaml's IsMissingOrNull: absent, or an explicit null. */
export function isMissingOrNull(v: JsonValue | undefined): v is null | undefined {
  return v === undefined || v === null;
}

export function isEmptyMap(v: JsonValue | undefined): boolean {
  return isObject(v) && Object.keys(v).length === 0;
}

/** The text of a node as kyaml sees it (yaml.Node.Value): "" for maps and lists. */
export function nodeText(v: JsonValue | undefined): string {
  if (v === undefined || isObject(v) || Array.isArray(v)) return '';
  if (v === null) return 'null';
  return String(v);
}

/** A merge-key value as kyaml's ElementValuesList reads it: "" for null, maps and lists. */
export function keyText(v: JsonValue | undefined): string {
  return v === null ? '' : nodeText(v);
}

/** kyaml's "wrong node kind" error, with the offending node printed. */
export function wrongKind(expected: NodeKind, node: JsonValue): BuildError {
  return new BuildError(
    `wrong node kind: expected ${expected} but got ${nodeKind(node)}: node contents:\n${emitDocument(node)}`,
  );
}

/** kyaml's FieldMatcher with a name and optional value: does the field exist (with that text)? */
function fieldMatches(elem: JsonValue, name: string, value: string): boolean {
  if (isMissingOrNull(elem)) return false;
  if (name === '') {
    if (nodeKind(elem) !== 'ScalarNode') throw wrongKind('ScalarNode', elem);
    return nodeText(elem) === value;
  }
  if (!isObject(elem)) throw wrongKind('MappingNode', elem);
  if (!Object.prototype.hasOwnProperty.call(elem, name)) return false;
  // an empty value means "any value" to kyaml
  return value === '' || nodeText(elem[name]) === value;
}

/**
 * kyaml's ElementMatcher (RNode.ElementList): the first element whose fields keys[i] have the
 * texts values[i]; with an empty key, the first element whose own text is values[0].
 */
export function findElement(list: JsonValue | undefined, keys: string[], values: string[]): JsonValue | undefined {
  if (!Array.isArray(list)) return undefined;
  if (keys.length === 0 || keys[0] === '') {
    const want = values[0] ?? '';
    return list.find((e) => nodeText(e) === want);
  }
  return list.find(
    (e) =>
      isObject(e) &&
      keys.every((k, i) => Object.prototype.hasOwnProperty.call(e, k) && nodeText(e[k]) === (values[i] ?? '')),
  );
}

/**
 * kyaml's ElementSetter: replaces every element matching keys/values with `element` (removes
 * them when it is undefined) and appends it when none matched. Like kyaml it also drops null
 * and empty-map elements, and keeps unmatched elements only when values were given.
 */
export function setElement(list: JsonValue[], element: JsonValue | undefined, keys: string[], values: string[]): void {
  const ks = keys.length === 0 ? [''] : keys;
  const mappingSetter = ks[0] !== '' && values.length > 0 && values[0] !== '';
  const out: JsonValue[] = [];
  let found = false;
  for (const elem of list) {
    if (elem === null || isEmptyMap(elem)) continue;
    if (mappingSetter && !isObject(elem)) {
      out.push(elem);
      continue;
    }
    let matched = false;
    let all = true;
    for (let j = 0; j < ks.length; j++) {
      // kyaml reuses the previous key's result when there are fewer values than keys
      if (j < values.length) matched = fieldMatches(elem, ks[j]!, values[j]!);
      if (!matched) {
        all = false;
        break;
      }
    }
    if (!all) {
      if (values.length > 0) out.push(elem);
      continue;
    }
    found = true;
    if (element !== undefined) out.push(element);
  }
  list.splice(0, list.length, ...out);
  if (isMissingOrNull(element)) return;
  if (!found) list.push(element);
}

/** kyaml's FieldSetter: an absent or null value removes the field. */
export function setField(obj: JsonObject, key: string, value: JsonValue | undefined): void {
  if (isMissingOrNull(value)) delete obj[key];
  else setKey(obj, key, value);
}
