import { hasKey, isObject, type JsonValue } from './value.js';

/**
 * Tokens of pointers already split. The rules read the same few pointers from every object of a
 * set; the bound keeps a long run over varied pointers (schema error paths) from growing it.
 */
const splitPointers = new Map<string, readonly string[]>();
const SPLIT_POINTERS_KEPT = 4096;

/** RFC 6901: `~` as `~0`, `/` as `~1`. */
export function escapePointerToken(token: string): string {
  return token.replaceAll('~', '~0').replaceAll('/', '~1');
}

/** The inverse of escapePointerToken. */
export function unescapePointerToken(token: string): string {
  return token.replaceAll('~1', '/').replaceAll('~0', '~');
}

/** RFC 6901 pointer tokens; `` is the root. */
export function pointerTokens(pointer: string): readonly string[] {
  let tokens = splitPointers.get(pointer);
  if (tokens === undefined) {
    tokens = pointer === '' ? [] : pointer.slice(1).split('/');
    if (pointer.includes('~')) tokens = tokens.map(unescapePointerToken);
    if (splitPointers.size < SPLIT_POINTERS_KEPT) splitPointers.set(pointer, tokens);
  }
  return tokens;
}

export function joinPointer(pointer: string, token: string | number): string {
  return `${pointer}/${escapePointerToken(String(token))}`;
}

/** The value a pointer names, or undefined when the path does not exist. */
export function valueAt(root: JsonValue, pointer: string): JsonValue | undefined {
  let cur: JsonValue | undefined = root;
  const tokens = pointerTokens(pointer);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (Array.isArray(cur)) cur = /^\d+$/.test(t) ? cur[Number(t)] : undefined;
    else if (isObject(cur) && hasKey(cur, t)) cur = cur[t];
    else return undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** The pointer without its last token; the root's parent is the root. */
export function parentPointer(pointer: string): string {
  const i = pointer.lastIndexOf('/');
  return i <= 0 ? '' : pointer.slice(0, i);
}

/** `/spec/template/0/name` → `spec.template[0].name`, as kubectl prints field paths. */
export function fieldPath(pointer: string): string {
  let out = '';
  for (const t of pointerTokens(pointer)) {
    if (/^\d+$/.test(t)) out += `[${t}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(t)) out += out ? `.${t}` : t;
    else out += `[${JSON.stringify(t)}]`;
  }
  return out || '(root)';
}
