import { githubReporter } from './github.js';
import { jsonReporter } from './json.js';
import { junitReporter } from './junit.js';
import { markdownReporter } from './markdown.js';
import type { Reporter } from './report.js';
import { sarifReporter } from './sarif.js';
import { textReporter } from './text.js';

export const REPORTERS = {
  text: textReporter,
  json: jsonReporter,
  junit: junitReporter,
  sarif: sarifReporter,
  github: githubReporter,
  markdown: markdownReporter,
} satisfies Record<string, Reporter>;

export type OutputFormat = keyof typeof REPORTERS;
export const OUTPUT_FORMATS = Object.keys(REPORTERS) as OutputFormat[];
