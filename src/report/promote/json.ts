import type { JsonValue } from '../../json/value.js';
import { DIFF_WRITERS } from '../diff/index.js';
import { REPORTERS } from '../findings/index.js';
import { editPatch, type PromoteWriter } from './writer.js';

/** The JSON output's version; a change that breaks scripts gets a new one. */
export const PROMOTE_JSON_VERSION = 'capifleet.io/promote/v1';

/** For scripts: the outcome, each edit as a unified diff, the notes, the diff's and validate's own JSON documents. */
export const jsonPromoteWriter: PromoteWriter = {
  render(report, { cwd }) {
    const out = {
      apiVersion: PROMOTE_JSON_VERSION,
      from: report.from,
      to: report.to,
      outcome: report.outcome,
      ...(report.refusal ? { refusal: report.refusal } : {}),
      edits: report.edits.map((e) => ({ file: e.file, patch: editPatch(e) })),
      notes: report.notes,
      diff: JSON.parse(DIFF_WRITERS.json.render(report.diff, { color: false })) as JsonValue,
      validation: JSON.parse(REPORTERS.json.render(report.validation, { color: false, cwd })) as JsonValue,
    };
    return `${JSON.stringify(out, null, 2)}\n`;
  },
};
