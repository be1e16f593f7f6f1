/**
 * Markdown pieces whose content comes from the repository (names, messages, paths): escaped so
 * that nothing a user controls can break a table or end a code span.
 */

/** Text for one table cell: pipes and backslashes escaped, newlines as `<br>`. */
export function markdownCell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

/** An inline code span (empty text stays empty); backticks inside become quotes. */
export function markdownCode(s: string): string {
  return s ? `\`${s.replace(/`/g, "'")}\`` : '';
}
