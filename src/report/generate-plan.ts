import { createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff';
import { countActions, type PlanAction, type PlanEntry, type PlanMode } from '../generate/plan.js';
import { painter, paintUnifiedDiff, type Paint } from './terminal.js';

const LABELS: Record<PlanAction, string> = { create: 'create', update: 'update', unchanged: 'unchanged', delete: 'remove', stale: 'stale', conflict: 'conflict' };
const LABEL_COLORS: Record<PlanAction, string> = { create: '32', update: '33', unchanged: '2', delete: '31', stale: '2', conflict: '1;31' };
const LABEL_WIDTH = Math.max(...Object.values(LABELS).map((l) => l.length)) + 1;

/**
 * The plan as `generate` prints it, ending with a one-line summary. A writing run names only
 * what needs a person's attention (conflicts, stale files, hand edits --force overwrote);
 * `--dry-run` and `--check` name every file that differs, `--dry-run` with a diff per change.
 */
export function formatPlan(entries: readonly PlanEntry[], mode: PlanMode, color: boolean): string {
  const paint = painter(color);
  let out = '';
  for (const entry of entries) {
    if (entry.action === 'unchanged') continue;
    if (mode === 'write' && !entry.handEdit && entry.action !== 'stale') continue;
    out += `${paint(LABEL_COLORS[entry.action], LABELS[entry.action].padEnd(LABEL_WIDTH))}${entry.path}${note(entry)}\n`;
    if (mode === 'dry-run' && entry.current !== undefined && entry.content !== undefined) out += colorDiff(entry, paint);
  }
  return out + summary(entries, mode) + '\n';
}

function note(entry: PlanEntry): string {
  const work = entry.handEdit === 'edited' ? 'edited by hand since it was generated' : 'not written by capifleet';
  switch (entry.action) {
    case 'stale':
      return ': no longer generated; kept (use --prune to remove)';
    case 'conflict':
      return `: ${work}; kept (use --force to ${entry.content === undefined ? 'remove' : 'overwrite'})`;
    case 'update':
    case 'delete':
      return entry.handEdit ? `: ${work}; ${entry.action === 'update' ? 'overwritten' : 'removed'} by --force` : '';
    default:
      return '';
  }
}

function colorDiff(entry: PlanEntry, paint: Paint): string {
  return paintUnifiedDiff(createTwoFilesPatch(`a/${entry.path}`, `b/${entry.path}`, entry.current!, entry.content!, undefined, undefined, { headerOptions: FILE_HEADERS_ONLY }), paint);
}

function summary(entries: readonly PlanEntry[], mode: PlanMode): string {
  const n = countActions(entries);
  const extra = `${n.stale ? `, ${n.stale} stale` : ''}${n.conflict ? `, ${n.conflict} conflict${n.conflict === 1 ? '' : 's'}` : ''}`;
  if (mode === 'write') return `generate: ${n.create} created, ${n.update} updated, ${n.delete} removed, ${n.unchanged} unchanged${extra}`;
  const planned = `${n.create} to create, ${n.update} to update, ${n.delete} to remove, ${n.unchanged} unchanged${extra}`;
  if (mode === 'dry-run') return `generate --dry-run: ${planned}; nothing written`;
  return n.unchanged === entries.length
    ? `generate --check: the tree is current (${n.unchanged} file${n.unchanged === 1 ? '' : 's'})`
    : `generate --check: the tree differs from the spec: ${planned}; run capifleet generate`;
}
