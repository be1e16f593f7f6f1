import { createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff';
import type { ResourceChange, DiffReport, DiffSummary, SettingChange } from '../../diff/types.js';
import type { JsonValue } from '../../json/value.js';
import type { ResourceKey } from '../../kubernetes/resource-key.js';
import { emitDocument } from '../../yaml/emit.js';

export interface DiffWriterOptions {
  /** ANSI colors (text only): the caller decides from the terminal and NO_COLOR. */
  color: boolean;
  /** Markdown only: the characters it may take (default GitHub's comment limit), when it is part of a larger comment. */
  budget?: number;
}

/** One output format of a diff, like the findings reporters: one interface, one module per format. */
export interface DiffWriter {
  render(report: DiffReport, options: DiffWriterOptions): string;
}

/** `Deployment apps/web` — how a person names an object. */
export function objectName(key: ResourceKey): string {
  return `${key.kind} ${key.namespace ? `${key.namespace}/` : ''}${key.name}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `2 of 6 clusters changed: 1 resource added, 4 changed, 0 removed; dangers: 1 error, 2 warnings`. */
export function summaryLine(s: DiffSummary): string {
  const dangers = [s.dangers.error ? plural(s.dangers.error, 'error') : '', s.dangers.warning ? plural(s.dangers.warning, 'warning') : '', s.dangers.info ? plural(s.dangers.info, 'note') : '']
    .filter(Boolean)
    .join(', ');
  return `${s.clustersChanged} of ${plural(s.clusters, 'cluster')} changed: ${plural(s.added, 'resource')} added, ${s.changed} changed, ${s.removed} removed; dangers: ${dangers || 'none'}`;
}

/** A setting's or field's value in one line (absent: `(none)`). */
export function valueText(v: JsonValue | undefined): string {
  if (v === undefined) return '(none)';
  return typeof v === 'string' ? v : JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
}

export function settingText(s: SettingChange, from: string, to: string): string {
  return `${s.path}: ${from} ${valueText(s.from)}, ${to} ${valueText(s.to)}`;
}

/** One resource's change as a unified diff of its YAML (filtered, Secret values masked). */
export function resourcePatch(change: ResourceChange, report: DiffReport): string {
  const fromName = change.renamedFrom !== undefined ? objectName({ ...change.key, name: change.renamedFrom }) : objectName(change.key);
  const fromText = change.from ? emitDocument(change.from) : '';
  const toText = change.to ? emitDocument(change.to) : '';
  const patch = createTwoFilesPatch(`${report.from}: ${fromName}`, `${report.to}: ${objectName(change.key)}`, fromText, toText, undefined, undefined, { headerOptions: FILE_HEADERS_ONLY });
  // the "Index:" line and separator the library writes before the headers say nothing here
  return patch.slice(patch.indexOf('---')).trimEnd();
}
