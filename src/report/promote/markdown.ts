import { DIFF_WRITERS } from '../diff/index.js';
import { REPORTERS } from '../findings/index.js';
import { fenced, MARKDOWN_BUDGET, markdownCode, markdownSize, namedList } from '../markdown.js';
import { editPatch, outcomeLine, type PromoteWriter } from './writer.js';

/** What the edits, the notes and the validation may take of the comment at most; the per-cluster diff gets the rest. */
const EDITS_BUDGET = 16_000;
const NOTES_BUDGET = 4_000;
const VALIDATION_BUDGET = 8_000;
/** Kept for the lines counting what was cut. */
const RESERVE = 3_000;
/** Names of cut files listed, the rest counted. */
const NAMED_CUTS = 20;

/**
 * One pull-request comment: the edits as diff blocks, the notes, the diff's own markdown (dangers
 * first), the validation, the outcome. It stays within GitHub's limit: each part has its share of
 * the budget (the diff what the others leave), and what a part had to cut is counted and named.
 */
export const markdownPromoteWriter: PromoteWriter = {
  render(report, { cwd }) {
    const head = [`## capifleet promote ${markdownCode(report.from)} → ${markdownCode(report.to)}`, ''];
    const tail = [markdownCode(outcomeLine(report))];
    const edits = editLines(report.edits.map((e) => ({ file: e.file, patch: editPatch(e) })));
    const notes = noteLines(report.notes);
    const validation = ['### Validation', '', REPORTERS.markdown.render(report.validation, { color: false, cwd, budget: VALIDATION_BUDGET }).trimEnd(), ''];
    const rest = MARKDOWN_BUDGET - RESERVE - markdownSize([...head, ...edits, ...notes, ...validation, ...tail]);
    const diff = [DIFF_WRITERS.markdown.render(report.diff, { color: false, budget: rest }).trimEnd(), ''];
    return `${[...head, ...edits, ...notes, ...diff, ...validation, ...tail].join('\n')}\n`;
  },
};

/** Each edit as a diff block while they fit in EDITS_BUDGET; a first one too long for it shows its first lines; the rest are counted and named. */
function editLines(edits: readonly { file: string; patch: string }[]): string[] {
  const out: string[] = [];
  let shown = 0;
  for (const edit of edits) {
    const block = [fenced('diff', edit.patch), ''];
    if (markdownSize([...out, ...block]) > EDITS_BUDGET - RESERVE) break;
    out.push(...block);
    shown++;
  }
  if (shown === 0 && edits.length > 0) {
    const lines = edits[0]!.patch.split('\n');
    let kept = 0;
    while (kept < lines.length && markdownSize(lines.slice(0, kept + 1)) <= EDITS_BUDGET - RESERVE) kept++;
    out.push(fenced('diff', lines.slice(0, kept).join('\n')), '', `_Cut to stay within GitHub's comment limit: ${lines.length - kept} more lines of the edit of ${namedList([edits[0]!.file], 1)}._`, '');
    shown = 1;
  }
  const cut = edits.slice(shown).map((e) => e.file);
  if (cut.length) out.push(`_Cut to stay within GitHub's comment limit: the edits of ${cut.length} more file${cut.length === 1 ? '' : 's'}: ${namedList(cut, NAMED_CUTS)}. Run \`capifleet promote\` locally for all of them._`, '');
  return out;
}

/** The notes as a list while they fit in NOTES_BUDGET; the rest counted. */
function noteLines(notes: readonly string[]): string[] {
  const out: string[] = [];
  for (const note of notes) {
    const line = `- ${markdownCode(note)}`;
    if (markdownSize([...out, line]) > NOTES_BUDGET - RESERVE / 3) break;
    out.push(line);
  }
  if (out.length < notes.length) out.push(`- _and ${notes.length - out.length} more notes, cut to stay within GitHub's comment limit_`);
  if (notes.length) out.push('');
  return out;
}
