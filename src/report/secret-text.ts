import type { Node } from 'yaml';
import { yamlLibrary } from '../libraries.js';

/** What a secret value reads as once masked. */
export const MASKED = '(masked)';

/**
 * YAML text with every secret value it holds replaced by `(masked)`, every other byte kept: the
 * values of a Secret's `data` and `stringData`, and the `literals` of a kustomization's
 * `secretGenerator` (`password=(masked)`). For showing a file (a promotion's edit) whose other
 * lines may sit beside secrets; text that does not parse is returned as it is.
 */
export function maskSecretValues(text: string): string {
  const { parseAllDocuments, isMap, isSeq, isScalar } = yamlLibrary();
  const spans: { start: number; end: number; insert: string }[] = [];
  const mask = (node: unknown, prefix = ''): void => {
    if (isScalar(node) && node.range) spans.push({ start: node.range[0], end: node.range[1], insert: `${prefix}${MASKED}` });
    else if ((isMap(node) || isSeq(node)) && node.range) spans.push({ start: node.range[0], end: node.range[1], insert: MASKED });
  };
  for (const doc of parseAllDocuments(text)) {
    if (!('contents' in doc) || !isMap(doc.contents)) continue;
    const root = doc.contents;
    const kind = root.get('kind', true);
    if (isScalar(kind) && String(kind.value) === 'Secret') {
      for (const field of ['data', 'stringData']) {
        const values = root.get(field, true) as Node | undefined;
        if (isMap(values)) for (const pair of values.items) mask(pair.value);
        else if (values) mask(values);
      }
    }
    const generators = root.get('secretGenerator', true);
    if (!isSeq(generators)) continue;
    for (const generator of generators.items) {
      const literals = isMap(generator) ? generator.get('literals', true) : undefined;
      if (!isSeq(literals)) continue;
      for (const literal of literals.items) {
        const value = isScalar(literal) ? String(literal.value) : '';
        mask(literal, value.includes('=') ? `${value.slice(0, value.indexOf('='))}=` : '');
      }
    }
  }
  let out = text;
  for (const s of spans.sort((a, b) => b.start - a.start)) out = `${out.slice(0, s.start)}${s.insert}${out.slice(s.end)}`;
  return out;
}
