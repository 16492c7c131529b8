/**
 * Texts cut to GitHub's limits: under the limit at once, cut at a line, what was open closed, and a note saying
 * where the whole text is.
 */
import { capText, GITHUB_LIMITS } from '../ci/github-limits';

test('a text within the limit is left as it is', () => {
  expect(capText('short', { max: 100, unit: 'chars', whole: 'see the artifact' })).toBe('short');
});

test('a long text is cut at a line under the limit, open blocks closed, with a note naming where the rest is', () => {
  const text = ['## Report', '<details><summary>all</summary>', '', '```', ...Array.from({ length: 20_000 }, (_, i) => `line ${i} é`)].join(
    '\n',
  );
  const comment = capText(text, { max: GITHUB_LIMITS.commentChars, unit: 'chars', whole: 'the whole report is in the artifact' });
  expect(comment.length).toBeLessThanOrEqual(GITHUB_LIMITS.commentChars);
  expect(comment).toMatch(
    /\n```\n<\/details>\n\n> \[!NOTE\]\n> Cut here to fit GitHub's limit \(\d+ more line\(s\)\): the whole report is in the artifact\.\n$/,
  );
  const big = text.repeat(20);
  const summary = capText(big, { max: GITHUB_LIMITS.stepSummaryBytes, unit: 'bytes', whole: 'x' });
  expect(Buffer.byteLength(summary)).toBeLessThanOrEqual(GITHUB_LIMITS.stepSummaryBytes);
  expect(Buffer.byteLength(summary)).toBeGreaterThan(GITHUB_LIMITS.stepSummaryBytes - 2000);
});
