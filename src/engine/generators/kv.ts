import { isUtf8 } from 'node:buffer';
import * as path from 'node:path';
import { BuildError } from '../../errors.js';
import type { Loader } from '../loader.js';
import type { GeneratorArgs } from '../types.js';
import { goQuote } from '../go-strings.js';

/** One key of a generated ConfigMap or Secret; values are bytes because files may be binary. */
export interface KvPair {
  key: string;
  value: Buffer;
}

/**
 * The key/value pairs of one generator, in kustomize's order: env files, then literals, then
 * files. Errors carry kustomize's wording, including which source list failed.
 */
export function loadKvPairs(args: GeneratorArgs, loader: Loader): KvPair[] {
  const envs = [...(args.envs ?? []), ...(args.env ? [args.env] : [])];
  const literals = args.literals ?? [];
  const files = args.files ?? [];
  return [
    ...withContext(`env source files: ${goList(envs)}`, () => envs.flatMap((p) => pairsFromEnvFile(loader.load(p)))),
    ...withContext(`literal sources ${goList(literals)}`, () => literals.map(pairFromLiteral)),
    ...withContext(`file sources: ${goList(files)}`, () =>
      files.map((s) => {
        const { key, file } = parseFileSource(s);
        return { key, value: loader.load(file) };
      }),
    ),
  ];
}

function withContext<T>(context: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof BuildError) throw new BuildError(`loading KV pairs: ${context}: ${e.message}`, e.file, e.line);
    throw e;
  }
}

/** Go's `%v` of a string slice. */
function goList(items: string[]): string {
  return `[${items.join(' ')}]`;
}

/**
 * `key=value`; the value may contain `=`, and one pair of matching surrounding quotes
 * (single or double) is removed. A missing `=` or an empty key is an error.
 */
export function pairFromLiteral(source: string): KvPair {
  const eq = source.indexOf('=');
  if (eq <= 0) throw new BuildError(`invalid literal source ${source}, expected key=value`);
  return { key: source.slice(0, eq), value: Buffer.from(unquote(source.slice(eq + 1)), 'utf8') };
}

function unquote(s: string): string {
  if (s.length >= 2 && s[0] === s[s.length - 1] && (s[0] === '"' || s[0] === "'")) return s.slice(1, -1);
  return s;
}

/** `path` (key = the file's base name) or `key=path`; a key or path containing `=` is refused. */
export function parseFileSource(source: string): { key: string; file: string } {
  const separators = source.split('=').length - 1;
  if (separators === 0) return { key: path.posix.basename(source) || (source.startsWith('/') ? '/' : '.'), file: source };
  if (separators === 1 && source.startsWith('=')) {
    throw new BuildError(`missing key name for file path ${goQuote(source.slice(1))} in source ${goQuote(source)}`);
  }
  if (separators === 1 && source.endsWith('=')) {
    throw new BuildError(`missing file path for key name ${goQuote(source.slice(0, -1))} in source ${goQuote(source)}`);
  }
  if (separators > 1) throw new BuildError(`source ${goQuote(source)} key name or file path contains '='`);
  const [key, file] = source.split('=') as [string, string];
  return { key, file };
}

/**
 * kustomize's .env format: one `KEY=value` per line, split at the first `=`; leading whitespace
 * is dropped, the rest of the line is kept verbatim (no quote removal, no `export` handling);
 * blank lines and `#` comments are skipped; a line without `=` yields an empty value; a UTF-8
 * BOM is dropped from the first line only; every line must be valid UTF-8.
 */
export function pairsFromEnvFile(content: Buffer): KvPair[] {
  const pairs: KvPair[] = [];
  splitScannerLines(content).forEach((raw, index) => {
    if (!isUtf8(raw)) {
      throw new BuildError(`line [${[...raw].join(' ')}] has invalid utf8 bytes : ${escapeInvalidBytes(raw)}`);
    }
    let line = raw.toString('utf8');
    if (index === 0 && line.startsWith('\uFEFF')) line = line.slice(1);
    line = trimLeftGoSpace(line);
    if (line === '' || line.startsWith('#')) return;
    const eq = line.indexOf('=');
    const key = eq < 0 ? line : line.slice(0, eq);
    const value = eq < 0 ? '' : line.slice(eq + 1);
    pairs.push({ key, value: Buffer.from(value, 'utf8') });
  });
  return pairs;
}

/** Lines as Go's bufio.ScanLines yields them: split at `\n`, one trailing `\r` dropped, no empty last line. */
function splitScannerLines(content: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  while (start < content.length) {
    let end = content.indexOf(0x0a, start);
    const next = end < 0 ? content.length : end + 1;
    if (end < 0) end = content.length;
    if (end > start && content[end - 1] === 0x0d) end--;
    lines.push(content.subarray(start, end));
    start = next;
  }
  return lines;
}

/** Go's unicode.IsSpace set (which, unlike JavaScript's \s, excludes U+FEFF). */
const GO_SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

function trimLeftGoSpace(s: string): string {
  return s.replace(GO_SPACE, '');
}

/** A line with invalid UTF-8 for an error message: valid text kept, other bytes as `\xNN`. */
function escapeInvalidBytes(b: Buffer): string {
  return [...b].map((c) => (c < 0x80 ? String.fromCharCode(c) : `\\x${c.toString(16).padStart(2, '0')}`)).join('');
}
