import { createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff';
import type { DiffReport } from '../../diff/types.js';
import type { Report } from '../findings/report.js';
import { maskSecretValues } from '../secret-text.js';

/** One file a promotion edits, by its path as the user sees it (relative to the working directory). */
export interface FileEdit {
  file: string;
  before: string;
  after: string;
}

/** What `promote` reports: the edits, what they do to each cluster of the target, and what validation found in the result. */
export interface PromoteReport {
  from: string;
  to: string;
  edits: readonly FileEdit[];
  /** The edits are to a fleet spec, and the tree is generated from it. */
  regenerated: boolean;
  /** What `from` sets that had nowhere to go in `to`. */
  notes: readonly string[];
  /** Each cluster of `to` as it is against as it would be. */
  diff: DiffReport;
  /** Validation of the promoted clusters; its errors refuse `--write`. */
  validation: Report;
  /** `dry-run`: nothing written; `written`; `refused`: `--write` refused (see `refusal`), nothing written. */
  outcome: 'dry-run' | 'written' | 'refused';
  /** Why the write is (or, in a dry run, would be) refused: the promoted tree fails validation, a generated file was edited by hand. */
  refusal?: string;
}

export interface PromoteWriterOptions {
  color: boolean;
  cwd: string;
}

/** One output format of a promotion, one module per format. */
export interface PromoteWriter {
  render(report: PromoteReport, options: PromoteWriterOptions): string;
}

/** An edit as a unified diff (`a/fleet.yaml`, `b/fleet.yaml`); secret values beside what changed are masked. */
export function editPatch(edit: FileEdit): string {
  const patch = createTwoFilesPatch(`a/${edit.file}`, `b/${edit.file}`, maskSecretValues(edit.before), maskSecretValues(edit.after), undefined, undefined, { headerOptions: FILE_HEADERS_ONLY });
  return patch.slice(patch.indexOf('---')).trimEnd();
}

/** Files the last line names; a promotion into a thousand overlays counts the rest. */
const NAMED_FILES = 10;

/** The last line: what happened to the files. */
export function outcomeLine(report: PromoteReport): string {
  const names = report.edits.map((e) => e.file);
  const files = names.length > NAMED_FILES ? `${names.slice(0, NAMED_FILES).join(', ')} and ${names.length - NAMED_FILES} more files` : names.join(', ');
  switch (report.outcome) {
    case 'written': {
      const { clusters, clustersChanged } = report.diff.summary;
      return `promote: wrote ${files}${report.regenerated ? ' and regenerated the tree' : ''}; ${clustersChanged} of ${clusters} cluster${clusters === 1 ? '' : 's'} of ${report.to} changed`;
    }
    case 'refused':
      return `promote: refused to write: ${report.refusal}; nothing written`;
    default:
      return report.refusal ? `promote: dry run, nothing written; ${report.refusal}, so --write would refuse` : `promote: dry run, nothing written; run with --write to edit ${files}`;
  }
}
