import type { Environment } from '@marcbachmann/cel-js';
import { registerIPAndCIDR } from './ip.js';
import { registerQuantity } from './quantity.js';
import { registerURL } from './url.js';

/**
 * The Kubernetes CEL library functions CRD rules use beyond standard CEL and what the engine
 * already ships (string `indexOf`, `lastIndexOf`, `lowerAscii`, `split`, `substring`, `trim`,
 * `join`...): the list extensions, regex `find`/`findAll`, the string extensions the engine
 * lacks, quantities, IP addresses and CIDRs, URLs. A rule calling anything else (`format.*`,
 * `semver`, `authorizer`) does not compile and is skipped.
 */
export function registerKubernetesLibrary(env: Environment): Environment {
  return [registerQuantity, registerIPAndCIDR, registerURL].reduce((e, register) => register(e), env)
    .registerFunction('list.isSorted(): bool', (list: unknown[]) => list.every((v, i) => i === 0 || compare(list[i - 1], v) <= 0))
    .registerFunction('list.sum(): dyn', (list: unknown[]) => list.reduce((sum: unknown, v) => add(sum, v), 0n))
    .registerFunction('list.min(): dyn', (list: unknown[]) => extreme(list, -1))
    .registerFunction('list.max(): dyn', (list: unknown[]) => extreme(list, 1))
    .registerFunction('list.indexOf(dyn): int', (list: unknown[], v: unknown) => BigInt(list.findIndex((e) => celEquals(e, v))))
    .registerFunction('list.lastIndexOf(dyn): int', (list: unknown[], v: unknown) => BigInt(findLastIndex(list, v)))
    .registerFunction('string.find(string): string', (s: string, re: string) => new RegExp(re).exec(s)?.[0] ?? '')
    .registerFunction('string.findAll(string): list<string>', (s: string, re: string) => findAll(s, re, -1))
    .registerFunction('string.findAll(string, int): list<string>', (s: string, re: string, n: bigint) => findAll(s, re, Number(n)))
    .registerFunction('string.charAt(int): string', (s: string, i: bigint) => charAt(s, Number(i)))
    .registerFunction('string.replace(string, string): string', (s: string, from: string, to: string) => s.split(from).join(to))
    .registerFunction('string.replace(string, string, int): string', (s: string, from: string, to: string, n: bigint) => replaceN(s, from, to, Number(n)))
    .registerFunction('string.reverse(): string', (s: string) => [...s].reverse().join(''));
}

/** CEL ordering of two scalars of one kind; ints and doubles compare by value. */
function compare(a: unknown, b: unknown): number {
  const numeric = (v: unknown): boolean => typeof v === 'bigint' || typeof v === 'number';
  if (numeric(a) && numeric(b)) return a! < b! ? -1 : a! > b! ? 1 : 0;
  if (typeof a === typeof b && (typeof a === 'string' || typeof a === 'boolean')) return a! < b! ? -1 : a! > b! ? 1 : 0;
  throw new Error(`no ordering between ${typeof a} and ${typeof b}`);
}

function add(a: unknown, b: unknown): unknown {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a + b;
  if (typeof b === 'number' && (typeof a === 'bigint' || typeof a === 'number')) return Number(a) + b;
  throw new Error(`sum() of ${typeof b}`);
}

function extreme(list: unknown[], sign: 1 | -1): unknown {
  if (list.length === 0) throw new Error('min()/max() of an empty list');
  return list.reduce((best, v) => (compare(v, best) * sign > 0 ? v : best));
}

function findLastIndex(list: unknown[], v: unknown): number {
  for (let i = list.length - 1; i >= 0; i--) if (celEquals(list[i], v)) return i;
  return -1;
}

/** CEL equality of the values rules see: scalars by value (numbers across int and double), lists and maps deeply. */
function celEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if ((typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number')) return a == b; // eslint-disable-line eqeqeq
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((e, i) => celEquals(e, b[i]));
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && celEquals(a[k], b[k]));
  }
  return false;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function findAll(s: string, re: string, limit: number): string[] {
  if (limit === 0) return [];
  const out: string[] = [];
  for (const m of s.matchAll(new RegExp(re, 'g'))) {
    if (limit >= 0 && out.length === limit) break;
    out.push(m[0]);
  }
  return out;
}

function charAt(s: string, i: number): string {
  const chars = [...s];
  if (i < 0 || i > chars.length) throw new Error(`charAt(${i}) out of range`);
  return chars[i] ?? '';
}

function replaceN(s: string, from: string, to: string, n: number): string {
  if (n < 0) return s.split(from).join(to);
  const parts = s.split(from);
  if (parts.length - 1 <= n) return parts.join(to);
  return parts.slice(0, n + 1).join(to) + from + parts.slice(n + 1).join(from);
}
