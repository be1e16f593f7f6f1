import { DIFF_WRITERS } from '../diff/index.js';
import { REPORTERS } from '../findings/index.js';
import { painter, paintUnifiedDiff } from '../terminal.js';
import { editPatch, outcomeLine, type PromoteWriter } from './writer.js';

/** For people at a terminal: the edits as colored unified diffs, the notes, the per-cluster diff with its dangers, the validation, what was written. */
export const textPromoteWriter: PromoteWriter = {
  render(report, { color, cwd }) {
    const paint = painter(color);
    const lines = [paint('1', `capifleet promote ${report.from} → ${report.to}`), ''];
    for (const edit of report.edits) lines.push(paintUnifiedDiff(editPatch(edit), paint), '');
    for (const note of report.notes) lines.push(`note: ${note}`);
    if (report.notes.length) lines.push('');
    lines.push(DIFF_WRITERS.text.render(report.diff, { color }).trimEnd(), '');
    lines.push(paint('1', `Validation of ${report.to} after the promotion`), REPORTERS.text.render(report.validation, { color, cwd }).trimEnd(), '');
    lines.push(outcomeLine(report));
    return `${lines.join('\n')}\n`;
  },
};
