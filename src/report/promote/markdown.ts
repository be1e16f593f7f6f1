import { DIFF_WRITERS } from '../diff/index.js';
import { REPORTERS } from '../findings/index.js';
import { fenced, markdownCode } from '../markdown.js';
import { editPatch, outcomeLine, type PromoteWriter } from './writer.js';

/** One pull-request comment: the edits as diff blocks, the notes, the diff's own markdown (dangers first, within its budget), the validation. */
export const markdownPromoteWriter: PromoteWriter = {
  render(report, { cwd }) {
    const parts = [`## capifleet promote ${markdownCode(report.from)} → ${markdownCode(report.to)}`, ''];
    for (const edit of report.edits) parts.push(fenced('diff', editPatch(edit)), '');
    for (const note of report.notes) parts.push(`- ${markdownCode(note)}`);
    if (report.notes.length) parts.push('');
    parts.push(DIFF_WRITERS.markdown.render(report.diff, { color: false }).trimEnd(), '');
    parts.push(`### Validation`, '', REPORTERS.markdown.render(report.validation, { color: false, cwd }).trimEnd(), '');
    parts.push(markdownCode(outcomeLine(report)));
    return `${parts.join('\n')}\n`;
  },
};
