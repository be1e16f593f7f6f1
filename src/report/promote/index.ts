import { jsonPromoteWriter } from './json.js';
import { markdownPromoteWriter } from './markdown.js';
import { textPromoteWriter } from './text.js';
import type { PromoteWriter } from './writer.js';

export const PROMOTE_WRITERS = {
  text: textPromoteWriter,
  markdown: markdownPromoteWriter,
  json: jsonPromoteWriter,
} satisfies Record<string, PromoteWriter>;

export type PromoteOutputFormat = keyof typeof PROMOTE_WRITERS;
export const PROMOTE_OUTPUT_FORMATS = Object.keys(PROMOTE_WRITERS) as PromoteOutputFormat[];
