import type { Document, Node } from 'yaml';
import { resourceLimits } from 'node:worker_threads';
import { BuildError, NestedTooDeepForThisThread } from '../errors.js';
import { yamlLibrary } from '../libraries.js';
import { DEEP_STACK_MB } from '../worker-pool.js';

/*
 * What go-yaml refuses and the yaml library reads. go-yaml v2 (the kustomization and other
 * files kustomize decodes through sigs.k8s.io/yaml) and v3 (resources and patches) share
 * libyaml's reader and scanner, so the same rules hold for both.
 */

/** go-yaml's limit on nesting of block and flow collections. */
export const MAX_DEPTH = 10000;

/**
 * The nesting this thread can read. The yaml library (and the engine after it, the emitter) recurse
 * per level; a default stack runs out well before go-yaml's limit, and V8 may then abort the whole
 * process instead of throwing (when the stack runs out while it compiles a regular expression), so
 * deeper text never reaches it here. A worker thread with a deep stack reads up to go-yaml's limit.
 */
const READABLE_DEPTH = (resourceLimits.stackSizeMb ?? 0) >= DEEP_STACK_MB ? MAX_DEPTH : 500;

/** Text nested deeper than READABLE_DEPTH is refused in words that do not claim kustomize's limit. */
const NESTED_TOO_DEEP = `nested deeper than capifleet can read (kustomize reads up to ${MAX_DEPTH} levels)`;

/** The error for text nested deeper than this thread reads: a thread with a deep stack may retry it. */
export function nestedTooDeep(file: string | undefined, line?: number): BuildError {
  return new NestedTooDeepForThisThread(`invalid YAML: ${NESTED_TOO_DEEP}`, file, line);
}

export function isStackOverflow(e: unknown): boolean {
  return e instanceof RangeError || (e instanceof Error && e.message.includes('Maximum call stack size exceeded'));
}

/**
 * Flow collections nested deeper than go-yaml allows get go-yaml's error; deeper than the yaml
 * library can read, capifleet's. Either way before the yaml library reads (and recurses into) them.
 */
export function checkFlowDepth(text: string, file: string | undefined): void {
  const { beyondReadable, beyondGoYaml } = flowDepthOffsets(text);
  if (beyondGoYaml !== undefined) throw new BuildError(`invalid YAML: exceeded max depth of ${MAX_DEPTH}`, file, 1 + countLineBreaks(text, beyondGoYaml));
  if (beyondReadable !== undefined) throw nestedTooDeep(file, 1 + countLineBreaks(text, beyondReadable));
}

/**
 * Where flow collections first nest deeper than the yaml library can read, and than go-yaml
 * allows. Counts `[` and `{` that start a node (first on a line, or after an indicator or opening
 * bracket, spaces aside) outside quotes and comments: an upper bound of the real depth. One pass,
 * stopping at go-yaml's limit.
 */
function flowDepthOffsets(src: string): { beyondReadable?: number; beyondGoYaml?: number } {
  let beyondReadable: number | undefined;
  let depth = 0;
  let prev = 0x0a; // the last character other than a space or tab
  for (let i = 0; i < src.length; i++) {
    const c = src.charCodeAt(i);
    if (c === 0x20 || c === 0x09) continue;
    const atNodeStart = prev === 0x0a || prev === 0x5b || prev === 0x7b || prev === 0x2c || prev === 0x3a || prev === 0x2d || prev === 0x3f;
    if ((c === 0x5b || c === 0x7b) && atNodeStart) {
      depth++;
      if (depth > READABLE_DEPTH) beyondReadable ??= i;
      if (depth > MAX_DEPTH) return { beyondReadable, beyondGoYaml: i };
    } else if ((c === 0x5d || c === 0x7d) && depth > 0) depth--;
    else if (c === 0x23 && (prev === 0x0a || src.charCodeAt(i - 1) === 0x20 || src.charCodeAt(i - 1) === 0x09)) i = lineEnd(src, i);
    else if (c === 0x27 && atNodeStart) i = closingQuote(src, i, "'");
    else if (c === 0x22 && atNodeStart) i = closingQuote(src, i, '"');
    prev = src.charCodeAt(i);
  }
  return { beyondReadable };
}

function lineEnd(src: string, i: number): number {
  const end = src.indexOf('\n', i);
  return end < 0 ? src.length - 1 : end - 1;
}

/** Index of the quote closing the one at `i` (a backslash escapes inside double quotes), or the last index. */
function closingQuote(src: string, i: number, quote: string): number {
  for (let j = i + 1; j < src.length; j++) {
    if (quote === '"' && src[j] === '\\') j++;
    else if (src[j] === quote) return j;
  }
  return src.length - 1;
}

/** The text with its line breaks as go-yaml reads them: CR and CRLF are LF. */
export function lineFeedsOnly(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

/** Characters libyaml's reader lets through: tab, line breaks and the printable ranges. */
const NOT_ALLOWED = /[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u;

/** The reader refuses control characters (NUL, ESC, DEL, C1 ...) anywhere, comments included. */
export function checkCharacters(text: string, file: string | undefined, firstLine = 1): void {
  const bad = NOT_ALLOWED.exec(text);
  if (bad) throw new BuildError('invalid YAML: control characters are not allowed', file, firstLine + countLineBreaks(text, bad.index));
}

/** Blank and comment lines, then a line starting with `%`: the directive opening the text. */
const LEADING_DIRECTIVE = /^(?:[ \t]*(?:#[^\n]*)?\n)*%(?:YAML[ \t]+(\d+)\.(\d+))?/;

/**
 * go-yaml reads only `%YAML 1.1`. `alone`: the text is one piece cut at `---` lines (kustomize's
 * resource reader), so a directive there is never followed by the `---` it needs.
 */
export function checkDirective(text: string, file: string | undefined, alone: boolean, firstLine = 1): void {
  const m = LEADING_DIRECTIVE.exec(text);
  if (!m) return;
  const line = firstLine + countLineBreaks(m[0]);
  if (m[1] !== undefined && (m[1] !== '1' || m[2] !== '1')) throw new BuildError('invalid YAML: found incompatible YAML document', file, line);
  if (alone) throw new BuildError('invalid YAML: did not find expected <document start>', file, line);
}

/** A line whose first character other than a space is a tab. */
const TAB_FIRST = /^ *\t/gm;
/** libyaml's anchor and alias names. */
const ANCHOR_NAME = /^[0-9A-Za-z_-]+$/;

/**
 * go-yaml's limit on block collections nested in one another (its scanner's indentation levels;
 * flow collections are counted apart, by checkFlowDepth). A block collection is one level when it
 * starts right of the collection holding it: a sequence at its mapping key's column is not. The
 * error names the line go-yaml names: v2 (kustomization files) the collection's own start; v3
 * (resources) the last token that could have been a mapping key (a scalar, an alias, a flow
 * collection's start, or the mapping's own first key). A walk with its own stack, not recursion:
 * the text may nest 10,000 deep.
 */
export function checkBlockDepth(doc: Document.Parsed | Document | undefined, text: string, lineOf: (offset: number) => number, file: string | undefined, goYamlV2: boolean): void {
  const contents = doc?.contents as Node | null | undefined;
  if (!contents) return;
  const { isMap, isSeq, isPair } = yamlLibrary();
  const column = (offset: number) => offset - text.lastIndexOf('\n', offset - 1) - 1;
  let lastKeyStart: number | undefined;
  // each entry: a node, the column of the block collection holding it (-1 at the top), and how many levels that makes
  const stack: [Node, number, number][] = [[contents, -1, 0]];
  while (stack.length > 0) {
    const [node, indent, levels] = stack.pop()!;
    const start = node.range?.[0];
    if ((isMap(node) || isSeq(node)) && !node.flow && start !== undefined) {
      const col = column(start);
      const pushes = col > indent;
      const depth = levels + (pushes ? 1 : 0);
      if (isMap(node)) lastKeyStart = start;
      if (depth > MAX_DEPTH) {
        const at = goYamlV2 || lastKeyStart === undefined ? start : lastKeyStart;
        throw new BuildError(`invalid YAML: exceeded max depth of ${MAX_DEPTH}`, file, lineOf(at));
      }
      const inner = pushes ? col : indent;
      const children: Node[] = [];
      for (const item of node.items as unknown[]) {
        if (isPair(item)) {
          if (item.key) children.push(item.key as Node);
          if (item.value) children.push(item.value as Node);
        } else if (item) children.push(item as Node);
      }
      for (let i = children.length - 1; i >= 0; i--) stack.push([children[i]!, inner, depth]);
    } else if (start !== undefined) {
      // a scalar, an alias or a whole flow collection: where a key could have started
      lastKeyStart = start;
    }
  }
}

/**
 * The scanner's rules on a parsed document: a tab cannot start a line of block structure (only
 * scalars and flow collections may hold one there), and anchor names are letters, digits, `_`, `-`.
 */
export function checkScannerRules(doc: Document.Parsed | Document | undefined, text: string, lineOf: (offset: number) => number, file: string | undefined): void {
  const { isAlias, isCollection, isScalar, visit } = yamlLibrary();
  const inside: [number, number][] = [];
  const tabLines = [...text.matchAll(TAB_FIRST)].map((m) => m.index);
  if (doc) visit(doc, (_key, node) => {
    if (isAlias(node) && !ANCHOR_NAME.test(node.source)) throw badName(node);
    if (!isScalar(node) && !isCollection(node)) return;
    if (node.anchor !== undefined && !ANCHOR_NAME.test(node.anchor)) throw badName(node);
    const range = (node as Node).range;
    if (!range || tabLines.length === 0) return;
    const plainOneLine = isScalar(node) && node.type === 'PLAIN' && !text.slice(range[0], range[1]).includes('\n');
    if ((isCollection(node) && node.flow) || (isScalar(node) && !plainOneLine)) inside.push([range[0], range[2]]);
  });
  const stray = tabLines.find((at) => !inside.some(([from, to]) => at >= from && at < to));
  if (stray !== undefined) throw new BuildError('invalid YAML: found character that cannot start any token', file, lineOf(stray));

  function badName(node: Node): BuildError {
    return new BuildError('invalid YAML: did not find expected alphabetic or numeric character', file, node.range ? lineOf(node.range[0]) : undefined);
  }
}

/** The `\n` in `text` before `end`. */
export function countLineBreaks(text: string, end = text.length): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * go-yaml's limit on alias expansion (billion laughs) while it decodes a document: beyond 100
 * nodes decoded inside aliases and 1,000 in all, the share of the former may be at most 99%
 * (up to 400,000 nodes), falling to 10% (from 4,000,000 nodes).
 */
export function excessiveAliasing(aliasNodes: number, totalNodes: number): boolean {
  if (aliasNodes <= 100 || totalNodes <= 1000) return false;
  const low = 400_000;
  const high = 4_000_000;
  const ratio = totalNodes <= low ? 0.99 : totalNodes >= high ? 0.1 : 0.99 - 0.89 * ((totalNodes - low) / (high - low));
  return aliasNodes / totalNodes > ratio;
}

/**
 * kustomize reads resources into nodes with their aliases in place and expands them without a
 * limit (kyaml's DeAnchor), so go-yaml's decoding limit never applies there: kubectl takes half
 * a minute and 1.6 GB for a million expanded nodes. This cap only keeps an alias bomb from
 * exhausting memory.
 */
export function aliasBomb(aliasNodes: number): boolean {
  return aliasNodes > 2_000_000;
}

/**
 * What go-yaml checks while it decodes a parsed document, where the yaml library's conversion
 * has no line to give: every alias names an anchor set before it, merge keys name maps, and
 * aliases stay within `tooMuchAliasing`. Counts nodes as go-yaml does, keys included; an alias
 * target's size is counted once and reused, so a bomb fails before anything is expanded.
 */
export function checkDecoding(
  doc: Document.Parsed | Document,
  lineOf: (offset: number) => number,
  file: string | undefined,
  tooMuchAliasing: (aliasNodes: number, totalNodes: number) => boolean,
): void {
  const { isAlias, isMap, isScalar, isSeq } = yamlLibrary();
  const anchors = new Map<string, Node>();
  const sizes = new Map<Node, number>();
  const IN_PROGRESS = -1;
  let total = 1; // the document node
  let inAliases = 0;
  const fail = (message: string, node: Node): never => {
    throw new BuildError(`invalid YAML: ${message}`, file, node.range ? lineOf(node.range[0]) : undefined);
  };
  const target = (alias: Node & { source: string }): Node => anchors.get(alias.source) ?? fail(`unknown anchor '${alias.source}' referenced`, alias);
  /** Nodes decoding `node` visits, aliases expanded. */
  const size = (node: Node): number => {
    if (isAlias(node)) return 1 + size(target(node));
    let n = sizes.get(node);
    if (n === IN_PROGRESS) fail(`anchor '${node.anchor}' value contains itself`, node);
    if (n !== undefined) return n;
    sizes.set(node, IN_PROGRESS);
    n = 1;
    if (isMap(node)) for (const p of node.items) n += (p.key ? size(p.key as Node) : 1) + (p.value ? size(p.value as Node) : 1);
    else if (isSeq(node)) for (const item of node.items) n += item ? size(item as Node) : 1;
    sizes.set(node, n);
    return n;
  };
  const visit = (node: Node | null): void => {
    total++;
    if (!node) return;
    if (node.anchor) anchors.set(node.anchor, node);
    if (isAlias(node)) {
      const expanded = size(target(node));
      total += expanded;
      inAliases += expanded;
      if (tooMuchAliasing(inAliases, total)) fail('document contains excessive aliasing', node);
    } else if (isMap(node)) {
      for (const p of node.items) {
        const key = p.key as Node | null;
        visit(key);
        if (isScalar(key) && key.type === 'PLAIN' && key.source === '<<' && !isMergeSource(p.value as Node | null)) fail('map merge requires map or sequence of maps as the value', key);
        visit(p.value as Node | null);
      }
    } else if (isSeq(node)) for (const item of node.items) visit(item as Node | null);
  };
  const isMergeSource = (node: Node | null): boolean => {
    const resolved = node && isAlias(node) ? target(node) : node;
    if (isMap(resolved)) return true;
    return isSeq(resolved) && resolved.items.every((item) => isMap(item && isAlias(item) ? target(item as Node & { source: string }) : item));
  };
  visit(doc.contents as Node | null);
}
