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

/** A fenced block that no line of its content can close: the fence is longer than any run of backticks inside. */
export function fenced(lang: string, content: string): string {
  const longest = Math.max(0, ...(content.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${lang}\n${content}\n${fence}`;
}
