/**
 * GitHub's documented limits that the workflows must stay within, in one table, and the one way texts are cut
 * to fit them (the whole text then goes into an artifact, which the cut text links to).
 */

/** Each limit with the page that documents it (docs.github.com, as read for this project). */
export const GITHUB_LIMITS = {
  /** "A matrix will generate a maximum of 256 jobs per workflow run": actions/reference/workflow-syntax, `jobs.<job_id>.strategy.matrix`. */
  matrixJobs: 256,
  /** "Secrets are limited to 48 KB in size": actions/reference/secrets-reference, "Limits for secrets". */
  secretBytes: 48 * 1024,
  /** "$GITHUB_STEP_SUMMARY ... supports content up to a size of 1024k" per step: actions/reference/workflow-commands, "Adding a job summary". */
  stepSummaryBytes: 1024 * 1024,
  /** Issue and pull request comments: a body of at most 65,536 characters (REST API, issues/comments; longer bodies are refused with 422). */
  commentChars: 65_536,
  /** "Outputs can be a maximum of 1 MB per job": actions/reference/workflow-syntax, `jobs.<job_id>.outputs`. */
  jobOutputBytes: 1024 * 1024,
} as const;

export interface CapOptions {
  /** Characters (comments) or UTF-8 bytes (step summaries). */
  max: number;
  unit: 'chars' | 'bytes';
  /** Where the whole text is, for the note at the cut. */
  whole: string;
}

const sizeOf = (text: string, unit: CapOptions['unit']) => (unit === 'bytes' ? Buffer.byteLength(text, 'utf8') : text.length);

/**
 * `text` as it is when it fits, else cut at a line boundary with a note saying where the rest is. An open
 * `<details>` or code fence at the cut is closed, so the note still renders.
 */
export function capText(text: string, { max, unit, whole }: CapOptions): string {
  if (sizeOf(text, unit) <= max) return text;
  const lines = text.split('\n');
  const kept: string[] = [];
  // Room for the note and for closing what is open at the cut.
  const room = max - 400 - whole.length * 2;
  let size = 0;
  for (const line of lines) {
    const next = sizeOf(line, unit) + 1;
    if (size + next > room) break;
    kept.push(line);
    size += next;
  }
  const fences = kept.filter((line) => line.trimStart().startsWith('```')).length;
  const details = kept.filter((line) => line.includes('<details')).length - kept.filter((line) => line.includes('</details>')).length;
  const closing = [...(fences % 2 === 1 ? ['```'] : []), ...Array.from({ length: Math.max(0, details) }, () => '</details>')];
  const omitted = lines.length - kept.length;
  return [...kept, ...closing, '', `> [!NOTE]`, `> Cut here to fit GitHub's limit (${omitted} more line(s)): ${whole}.`, ''].join('\n');
}
