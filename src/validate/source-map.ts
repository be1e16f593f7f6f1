import * as fs from 'node:fs';
import { isObject } from '../json/value.js';
import type { Resource } from '../engine/resource.js';
import { parseDocuments, type ParsedDocument } from '../yaml/parse.js';
import type { FileLine } from './finding.js';
import { parentPointer } from '../json/pointer.js';

/**
 * Which file and line set the value at a pointer of a rendered resource, when something knows
 * better than the resource's own document — e.g. the patch that wrote the value. Consulted first.
 */
export type FieldOrigin = (resource: Resource, pointer: string) => FileLine | undefined;

/**
 * Points findings where a person must edit: the line of the offending field in the document the
 * resource was read from (or of its nearest ancestor that is there), else the document itself,
 * else a fallback such as the overlay's kustomization file. Files are parsed again only when a
 * finding needs their line map, once per file.
 */
export class SourceLocator {
  private readonly docs = new Map<string, ParsedDocument[] | null>();

  constructor(private readonly options: { fieldOrigin?: FieldOrigin } = {}) {}

  /** Registers documents already parsed (plain manifest files), so they are not read twice. */
  remember(file: string, docs: ParsedDocument[]): void {
    this.docs.set(file, docs);
  }

  locate(resource: Resource, pointer: string | undefined, fallback?: FileLine): FileLine | undefined {
    if (pointer !== undefined) {
      const origin = this.options.fieldOrigin?.(resource, pointer);
      if (origin) return origin;
    }
    const source = resource.state.source;
    if (!source) return fallback;
    if (pointer === undefined) return { ...source };
    const doc = this.parsed(source.file)?.find((d) => d.line === source.line);
    if (!doc) return { ...source };
    const prefix = listItemPrefix(doc, resource);
    for (let p = pointer; ; p = parentPointer(p)) {
      const line = doc.lines.get(prefix + p);
      if (line !== undefined) return { file: source.file, line };
      if (p === '') return { ...source };
    }
  }

  private parsed(file: string): ParsedDocument[] | null {
    let docs = this.docs.get(file);
    if (docs === undefined) {
      try {
        docs = parseDocuments(fs.readFileSync(file), file);
      } catch {
        docs = null;
      }
      this.docs.set(file, docs);
    }
    return docs;
  }
}

/** A resource read from a `kind: *List` document lives under `/items/N` of it. */
function listItemPrefix(doc: ParsedDocument, resource: Resource): string {
  const items = isObject(doc.value) && Array.isArray(doc.value.items) ? doc.value.items : undefined;
  const kind = (doc.value as { kind?: unknown }).kind;
  if (!items || typeof kind !== 'string' || !kind.endsWith('List')) return '';
  const id = resource.orgId();
  const i = items.findIndex((it) => isObject(it) && it.kind === id.kind && isObject(it.metadata) && it.metadata.name === id.name);
  return i < 0 ? '' : `/items/${i}`;
}
