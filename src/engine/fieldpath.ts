import { BuildError } from '../errors.js';
import { emitDocument } from '../yaml/emit.js';
import { goRegExp } from './go-regexp.js';
import { elementRef, memberRef, wrongNodeKind, type CreateKind, type FieldRef } from './fieldspec.js';
import { hasKey, isObject, setKey, type JsonObject, type JsonValue } from '../json/value.js';
import { nodeText } from './merge/nodes.js';
import { resolvePlain } from '../yaml/parse.js';

/*
 * kyaml's dotted field paths, as replacements (and vars) use them. A path such as
 * `spec.template.spec.containers.[name=nginx].image` has parts that are map keys, list
 * positions (`0`, and `-` for the last element when reading), list entries selected by a field
 * value (`[name=nginx]`) or by their own value (`[=-jar]`), and `*` for every list element.
 */

/**
 * kyaml's SmarterPathSplitter: splits on `.`, where `\.` escapes a dot, and keeps a bracketed
 * part that contains dots together; such a part keeps its brackets when it selects a list entry
 * (`[a.b=c]`) and loses them when it is a plain key (`[app.kubernetes.io/name]`).
 */
export function splitKyamlPath(path: string): string[] {
  const split: string[] = [];
  for (const piece of path.split('.')) {
    const last = split.length - 1;
    if (last >= 0 && split[last]!.endsWith('\\')) split[last] = split[last]!.slice(0, -1) + '.' + piece;
    else split.push(piece);
  }
  const out: string[] = [];
  for (let i = 0; i < split.length; i++) {
    const part = split[i]!;
    if (!part.startsWith('[') || part.endsWith(']')) {
      out.push(part);
      continue;
    }
    const bracketed = [part];
    while (i < split.length - 1) {
      const next = split[++i]!;
      bracketed.push(next);
      if (next.endsWith(']')) break;
    }
    const joined = bracketed.join('.');
    out.push(joined.includes('=') ? joined : joined.replace(/^[[\]]+|[[\]]+$/g, ''));
  }
  return out;
}

/** kyaml ignores blank parts (surrounding spaces are trimmed). */
function cleanPath(parts: readonly string[]): string[] {
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

/** Go's strconv.Atoi on a path part, or undefined. */
function atoi(part: string): number | undefined {
  return /^[+-]?\d+$/.test(part) ? Number(part) : undefined;
}

function isListEntry(part: string): boolean {
  return part.startsWith('[') && part.endsWith(']');
}

/** `[name=value]` as [name, value]; `[=value]` has an empty name. */
function splitListEntry(part: string): [string, string] {
  const body = part.slice(1, -1);
  const eq = body.indexOf('=');
  if (eq < 0) throw new BuildError('list path element must contain fieldName=fieldValue for element to match');
  return [body.slice(0, eq), body.slice(eq + 1)];
}

/** The elements of a list node; null counts as an empty list, anything else is an error. */
function elementsOf(node: JsonValue): JsonValue[] {
  if (node === null) return [];
  if (!Array.isArray(node)) throw wrongNodeKind('SequenceNode', node);
  return node;
}

/** A map node's field; null has none, a non-map is an error. */
function fieldOf(node: JsonValue, key: string): JsonValue | undefined {
  if (node === null) return undefined;
  if (!isObject(node)) throw wrongNodeKind('MappingNode', node);
  return hasKey(node, key) ? node[key] : undefined;
}

/**
 * kyaml's PathGetter (yaml.Lookup): the one node a path leads to, undefined when a part is
 * missing. List entries match by exact text, the first match wins.
 */
export function lookupPath(root: JsonValue, path: readonly string[]): JsonValue | undefined {
  let cur: JsonValue | undefined = root;
  for (const part of cleanPath(path)) {
    if (cur === undefined) return undefined;
    const index = atoi(part);
    if (index !== undefined) {
      if (index < 0) throw new BuildError(`array index ${index} cannot be negative`);
      cur = elementsOf(cur)[index];
    } else if (part === '-') {
      const elements = elementsOf(cur);
      cur = elements[elements.length - 1];
    } else if (part === '*') {
      throw new BuildError('wildcard is not supported in PathGetter');
    } else if (isListEntry(part)) {
      const [name, value] = splitListEntry(part);
      const elements = elementsOf(cur);
      cur =
        name === ''
          ? elements.find((e) => nodeText(e) === value)
          : elements.find((e) => isObject(e) && hasKey(e, name) && nodeText(e[name]) === value);
    } else {
      cur = fieldOf(cur, part);
    }
  }
  return cur;
}

/** A field found (or created) by matchPath; `created` marks a new, still untyped scalar. */
export interface MatchedField extends FieldRef {
  readonly created: boolean;
}

/**
 * kyaml's PathMatcher: every node the path leads to. List entries `[name=regex]` match by Go
 * regular expression (unanchored) on the entry's field text, `*` takes every element. With a
 * createKind, missing map fields are created (maps, or lists before a list part, and createKind
 * at the end), a list entry that matches nothing is appended, and a position equal to the list's
 * length appends an element. Fields created under a null node are lost, as in kustomize.
 */
export function matchPath(root: JsonObject, path: readonly string[], createKind?: CreateKind): MatchedField[] {
  const parts = cleanPath(path);
  const out: MatchedField[] = [];
  const rootRef: FieldRef = { value: root, set: () => undefined, path: [] };
  const walk = (ref: FieldRef, i: number, created: boolean): void => {
    if (i === parts.length) {
      out.push({ value: ref.value, set: (v) => ref.set(v), get path() { return ref.path; }, created });
      return;
    }
    const node = ref.value;
    const part = parts[i]!;
    const next = parts[i + 1];
    const index = atoi(part);
    if (index !== undefined && index >= 0) {
      const elements = elementsOf(node);
      const appending = createKind !== undefined && elements.length === index;
      if (appending) elements.push(emptyNode(next, createKind));
      if (elements.length < index + 1) {
        throw new BuildError(`index ${index} specified but only ${elements.length} elements found`);
      }
      walk(elementRef(elements, index, ref), i + 1, appending && isScalarLeaf(next, createKind));
    } else if (part === '*') {
      const elements = elementsOf(node);
      elements.forEach((_, j) => walk(elementRef(elements, j, ref), i + 1, false));
    } else if (isListEntry(part)) {
      const [name, pattern] = splitListEntry(part);
      const elements = elementsOf(node);
      const re = goRegexp(pattern);
      const matching = (): number[] =>
        elements.flatMap((e, j) => (entryText(e, name) !== undefined && re.test(entryText(e, name)!) ? [j] : []));
      let hits = matching();
      let createdAt = -1;
      if (hits.length === 0 && createKind) {
        createdAt = elements.length;
        elements.push(name === '' ? resolvePlainValue(pattern) : { [name]: resolvePlainValue(pattern) });
        hits = matching();
        // kustomize searches again and again for an entry its own pattern does not match
        if (hits.length === 0) throw new BuildError(`list entry ${part} created by replacement does not match its own pattern`);
      }
      for (const j of hits) walk(elementRef(elements, j, ref), i + 1, j === createdAt && name === '' && next === undefined);
    } else {
      let value = node === null ? undefined : fieldOf(node, part);
      let parent: JsonObject | undefined = isObject(node) ? node : undefined;
      let isNew = false;
      if (value === undefined) {
        if (!createKind) return;
        parent ??= {}; // kyaml sets the field on a detached node: the write is lost
        value = emptyNode(next, createKind);
        setKey(parent, part, value);
        isNew = isScalarLeaf(next, createKind);
      }
      walk(memberRef(parent!, part, ref), i + 1, isNew);
    }
  };
  walk(rootRef, 0, false);
  return out;
}

function isScalarLeaf(next: string | undefined, createKind: CreateKind): boolean {
  return next === undefined && createKind === 'scalar';
}

/** The kind of node kyaml creates for a missing part, given the part after it. */
function emptyNode(next: string | undefined, createKind: CreateKind): JsonValue {
  if (next === undefined) return createKind === 'map' ? {} : createKind === 'seq' ? [] : null;
  if (isListEntry(next) || (atoi(next) ?? -1) >= 0) return [];
  return {};
}

/**
 * The value of an untagged plain scalar with this text, as kustomize finally prints it: what
 * scalars kyaml creates become (they have no tag, so `80` is a number and `true` a boolean).
 */
export function resolvePlainValue(text: string): JsonValue {
  return resolvePlain(text).value;
}

/** The text a list entry is matched on: its own (or its field's) YAML text; undefined if it has no such field. */
function entryText(entry: JsonValue, name: string): string | undefined {
  if (name === '') return yamlText(entry);
  if (!isObject(entry) || !hasKey(entry, name)) return undefined;
  return yamlText(entry[name]!);
}

function yamlText(v: JsonValue): string {
  return isObject(v) || Array.isArray(v) ? emitDocument(v).trim() : nodeText(v);
}

/** A Go (RE2) regular expression, unanchored. */
function goRegexp(pattern: string): RegExp {
  try {
    return goRegExp(pattern);
  } catch (e) {
    throw new BuildError(`error parsing regexp: ${(e as Error).message}: \`${pattern}\``);
  }
}
