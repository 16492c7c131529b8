/**
 * Text from the client files, shown literally in the Markdown documents the tool writes (inventory, runbook): a name
 * or a description cannot open a heading, a table cell, a link, an image, emphasis, math or HTML, whatever it holds.
 * Values are one line already (the loader refuses line breaks).
 *
 * Checked against GitHub's own renderer, cmark-gfm (Debian package `cmark-gfm`) with GitHub's extensions, by
 * `__tests__/hostile-markdown.test.ts`. One thing no escape prevents: GitHub still links an e-mail address.
 */

/** Punctuation that opens or closes something in GitHub's Markdown; `:` also starts link schemes and emoji. */
const SPECIAL = /[\\`*_[\]<>|~$&#!:]/g;

/** `text` as a run of literal characters inside a line of Markdown (a heading, a table cell, a list item). */
export function markdownText(text: string): string {
  return text
    .replace(SPECIAL, '\\$&')
    .replace(/(www)\./gi, '$1\\.') // GitHub links "www.example.com" without a scheme
    .replace(/^([-+=]|\d+(?=[.)]))/, (start) => (/\d/.test(start) ? `${start}\\` : `\\${start}`)); // a list or underline, at the start of a line
}
