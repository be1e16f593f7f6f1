import { deepEqual, isObject, type JsonValue } from '../json/value.js';

/**
 * Everything compiled schema code calls outside itself: the regular-expression engine and list
 * checks (formats need nothing: the schema converter turns them into ranges and patterns).
 * Compiled code refers to it by one free name, RUNTIME_NAME, so the same code runs whether
 * compiled in this process or loaded from the on-disk cache.
 */
export const RUNTIME_NAME = '__capifleetRuntime';

/** A pattern the regular-expression engine cannot compile: it constrains nothing. */
const ACCEPT_ALL = { test: (): boolean => true };

const POSIX_CLASSES: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  digit: '0-9',
  lower: 'a-z',
  upper: 'A-Z',
  space: '\\t\\n\\v\\f\\r ',
  xdigit: '0-9A-Fa-f',
  word: '0-9A-Za-z_',
  punct: '!-\\/:-@\\[-`{-~',
};

/**
 * Schema patterns are Go (RE2) syntax. Translates what JavaScript lacks — leading `(?flags)`,
 * `\A`, `\z`, POSIX classes — and treats a pattern it still cannot compile as matching anything,
 * so an engine limit never becomes a false error.
 */
export function goRegExp(pattern: string, _unicode?: string): { test(s: string): boolean } {
  let source = pattern;
  let flags = '';
  const leading = /^\(\?([imsU]+)\)/.exec(source);
  if (leading) {
    flags = [...new Set(leading[1]!.replace('U', ''))].join('');
    source = source.slice(leading[0].length);
  }
  source = source
    .replace(/\\A/g, '^')
    .replace(/\\z/g, '$')
    .replace(/\[:(\^?)(\w+):\]/g, (whole, neg: string, name: string) => {
      const cls = POSIX_CLASSES[name];
      return cls === undefined || neg ? whole : cls;
    });
  try {
    return new RegExp(source, flags);
  } catch {
    return ACCEPT_ALL;
  }
}
goRegExp.code = `${RUNTIME_NAME}.goRegExp`;

/**
 * `x-kubernetes-list-type: map`: no two items may share their key fields' values; `set`: no two
 * items may be equal. Returns the index of the first duplicate, or -1.
 */
export function firstDuplicate(items: unknown, listType: unknown, mapKeys: unknown): number {
  if (!Array.isArray(items)) return -1;
  if (listType === 'map' && Array.isArray(mapKeys)) {
    const seen = new Set<string>();
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      if (!isObject(item)) continue;
      const key = JSON.stringify(mapKeys.map((k) => item[String(k)] ?? null));
      if (seen.has(key)) return i;
      seen.add(key);
    }
    return -1;
  }
  if (listType === 'set') {
    for (let i = 1; i < items.length; i++) {
      for (let j = 0; j < i; j++) if (deepEqual(items[i] as JsonValue, items[j] as JsonValue)) return i;
    }
  }
  return -1;
}

export const schemaRuntime = { goRegExp, firstDuplicate };
