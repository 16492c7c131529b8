/**
 * Text shown as code in the Markdown the review and CI write (summaries, comments): whatever backticks it holds, it
 * stays inside its code span or block.
 */

/** Inline code that survives backticks in the text. */
export function inlineCode(text: string): string {
  const fence = '`'.repeat(Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length)) + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** A fenced block of `text`, its fence longer than any run of backticks the text holds (three at least). */
export function codeBlock(text: string): string[] {
  const fence = '`'.repeat(Math.max(3, ...[...text.matchAll(/`+/g)].map((m) => m[0].length + 1)));
  return [fence, text, fence];
}
