import * as fs from 'node:fs';
import * as path from 'node:path';
import { BuildError } from '../errors.js';
import { walkFolder } from '../files.js';
import { isObject, type JsonValue } from '../json/value.js';
import { parseDocuments } from '../yaml/parse.js';
import { convertCrd, type ConvertedVersion } from './convert.js';

/** A CRD document and where it was read. */
export interface CrdDocument {
  value: JsonValue;
  file: string;
  line: number;
  lines: ReadonlyMap<string, number>;
}

/** A served version converted from a CRD file. */
export interface ConvertedFromFile extends ConvertedVersion {
  file: string;
  line: number;
}

const CRD_FILE = /\.(ya?ml|json)$/i;
export const STDIN = '-';

/**
 * Reads the CRDs named on a command line: files, directories (every .yaml/.yml/.json under
 * them, in name order; documents of other kinds there are skipped) or `-` for stdin. A named
 * file must hold only CRDs (empty documents aside).
 */
export function readCrdDocuments(inputs: readonly string[], readStdin: () => string): CrdDocument[] {
  const docs: CrdDocument[] = [];
  for (const input of inputs) {
    if (input === STDIN) {
      docs.push(...crdsOf(readStdin(), '<stdin>', true));
      continue;
    }
    if (!fs.existsSync(input)) throw new BuildError(`no such file or directory: ${input}`);
    if (fs.statSync(input).isDirectory()) {
      for (const file of filesUnder(input)) docs.push(...crdsOf(fs.readFileSync(file), file, false));
    } else {
      docs.push(...crdsOf(fs.readFileSync(input), input, true));
    }
  }
  if (docs.length === 0) throw new BuildError(`no CustomResourceDefinition found in ${inputs.join(', ')}`);
  return docs;
}

function crdsOf(text: string | Buffer, file: string, named: boolean): CrdDocument[] {
  const out: CrdDocument[] = [];
  for (const doc of parseDocuments(text, file)) {
    if (doc.value === null) continue;
    const kind = isObject(doc.value) ? doc.value.kind : undefined;
    if (kind !== 'CustomResourceDefinition') {
      if (named) throw new BuildError(`not a CustomResourceDefinition (kind: ${String(kind)})`, file, doc.lines.get('/kind') ?? doc.line);
      continue;
    }
    out.push({ value: doc.value, file, line: doc.line, lines: doc.lines });
  }
  return out;
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of walkFolder(dir)) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(p));
    else if (entry.isFile() && CRD_FILE.test(entry.name)) out.push(p);
  }
  return out;
}

/** Converts every served version; the same apiVersion and kind from two documents is an error. */
export function convertCrdDocuments(docs: readonly CrdDocument[]): ConvertedFromFile[] {
  const seen = new Map<string, ConvertedFromFile>();
  for (const doc of docs) {
    for (const version of convertCrd(doc.value, doc)) {
      const key = `${version.apiVersion} ${version.kind}`;
      const earlier = seen.get(key);
      if (earlier) throw new BuildError(`${key} is defined twice (also at ${earlier.file}:${earlier.line})`, doc.file, doc.line);
      seen.set(key, { ...version, file: doc.file, line: doc.line });
    }
  }
  return [...seen.values()];
}
