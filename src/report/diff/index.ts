import { jsonDiffWriter } from './json.js';
import { markdownDiffWriter } from './markdown.js';
import { textDiffWriter } from './text.js';
import type { DiffWriter } from './writer.js';

export const DIFF_WRITERS = {
  text: textDiffWriter,
  markdown: markdownDiffWriter,
  json: jsonDiffWriter,
} satisfies Record<string, DiffWriter>;

export type DiffOutputFormat = keyof typeof DIFF_WRITERS;
export const DIFF_OUTPUT_FORMATS = Object.keys(DIFF_WRITERS) as DiffOutputFormat[];
