/**
 * What the workflows write from the plan and apply jobs' results, read as data: the pull request's comment and its
 * status, what an Apply's approver reads and what the approval is bound to, and the apply report, each within
 * GitHub's limits with a note where it is cut.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { applyReport } from '../ci/apply-report';
import { plansDigest, readResults, type StackRun } from '../ci/plan-results';
import { prComment } from '../ci/pr-comment';
import { showPlans } from '../ci/show-plans';
import { GITHUB_LIMITS } from '../ci/github-limits';

const folder = () => fs.mkdtempSync(path.join(os.tmpdir(), 'ci-reports-'));

/** A results folder as plan-batch writes it. */
function results(runs: (Partial<StackRun> & { stack: string })[]): string {
  const dir = folder();
  fs.mkdirSync(path.join(dir, 'stacks'));
  for (const run of runs)
    fs.writeFileSync(
      path.join(dir, 'stacks', `${run.stack}.json`),
      JSON.stringify({ exitcode: 2, plan: 'Plan: 1 to add, 0 to change, 0 to destroy.', seconds: {}, ...run }),
    );
  return dir;
}

function changesFile(affected: string[], extra: object = {}): string {
  const file = path.join(folder(), 'changes.json');
  fs.writeFileSync(file, JSON.stringify({ affected, destructive: false, intended: [], markdown: '## Changes', ...extra }));
  return file;
}

const hex = (c: string) => c.repeat(64);
const saved = (shown: string, c = 'a') => ({ planSha256: hex(c), shownSha256: hex(c === 'a' ? 'b' : 'c'), shown });

describe("the pull request's comment and status", () => {
  test('success only when every affected stack has its plan, none failed and no protected service is destroyed', () => {
    const ok = prComment({
      changes: changesFile(['a', 'b']),
      headSha: hex('1'),
      plans: results([{ stack: 'a' }, { stack: 'b', exitcode: 0, plan: 'No changes.' }]),
    });
    expect(ok).toMatchObject({ state: 'success', description: '2 stack(s) planned, nothing protected destroyed' });
    expect(ok.body).toContain('| `a` | Plan: 1 to add, 0 to change, 0 to destroy. |');

    const missing = prComment({ changes: changesFile(['a', 'b']), headSha: hex('1'), plans: results([{ stack: 'a' }]) });
    expect(missing).toMatchObject({ state: 'failure', description: '0 destroyed or replaced, 1 plan(s) failed or missing' });
    expect(missing.body).toContain('| `b` | no result: its job did not finish |');

    const replaced = prComment({
      changes: changesFile(['a']),
      headSha: hex('1'),
      plans: results([{ stack: 'a', digest: { errored: false, changes: [{ address: 'ovh_vps.v', type: 'ovh_vps', action: 'replace' }] } }]),
    });
    expect(replaced.state).toBe('failure');
    expect(replaced.body).toContain('> - **REPLACED** `ovh_vps.v` (stack `a`)');
  });

  test('no stack affected is a success the default branch decided; a result that is not one is no result', () => {
    expect(prComment({ changes: changesFile([]), headSha: hex('1'), plans: results([]) })).toMatchObject({
      state: 'success',
      description: 'no stack affected by its client files',
    });
    const odd = results([{ stack: 'a' }]);
    const file = path.join(odd, 'stacks', 'a.json');
    fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, 'utf8')), injected: '<script>' }));
    const comment = prComment({ changes: changesFile(['a']), headSha: hex('1'), plans: odd });
    expect(comment.state).toBe('failure');
    expect(comment.body).toContain('| `a` | no readable result |');
    expect(readResults(odd).unreadable.get('a')).toContain('Unrecognized key');
  });

  test("a failed plan's output stays inside its code block, whatever backticks it holds", () => {
    const comment = prComment({
      changes: changesFile(['a']),
      headSha: hex('1'),
      plans: results([{ stack: 'a', exitcode: 1, plan: 'Error: bad\n```\n# Injected heading\n```' }]),
    });
    expect(comment.body).toContain('````\nError: bad\n```\n# Injected heading\n```\n````');
  });

  test('a changes file larger than any change summary is refused before it is read', () => {
    const file = changesFile(['a']);
    fs.truncateSync(file, 65 * 1024 * 1024);
    expect(() => prComment({ changes: file, headSha: hex('1') })).toThrow(/more than the 67108864 such a file may have/);
  });
});

describe("what an Apply's approver reads, and what the approval is bound to", () => {
  const plans = () =>
    results([
      { stack: 'agency', exitcode: 0, plan: 'No changes.' },
      { stack: 'a', saved: saved('  # terraform_data.site will be created') },
      {
        stack: 'b',
        saved: saved('  # ovh_vps.v must be replaced', 'd'),
        digest: { errored: false, changes: [{ address: 'ovh_vps.v', type: 'ovh_vps', action: 'replace' }] },
      },
    ]);

  test('every plan as Terraform renders it, destructions first, and the digest the apply jobs check', () => {
    const dir = plans();
    const shown = showPlans(dir, { reviewers: true, allowDestroy: false });
    expect(shown).toMatchObject({
      digest: plansDigest(readResults(dir).runs),
      changes: true,
      destroys: true,
      apply: 'environment',
      destroy: 'environment',
    });
    expect(shown.markdown.indexOf('[!CAUTION]')).toBeLessThan(shown.markdown.indexOf('| stack | plan |'));
    expect(shown.markdown).toContain('> - **REPLACED** `ovh_vps.v` (stack `b`)');
    expect(shown.markdown).toContain('```\n# terraform_data.site will be created\n```');
    // The same plans rendered the same have the same digest; another rendering, another digest.
    const other = results([{ stack: 'a', saved: saved('  # terraform_data.site will be created', 'e') }]);
    expect(plansDigest(readResults(other).runs)).not.toBe(shown.digest);
  });

  test('without required reviewers nothing is applied until Apply is run by hand for this very digest, destructions apart', () => {
    const dir = plans();
    const waiting = showPlans(dir, { reviewers: false, allowDestroy: false });
    expect(waiting).toMatchObject({ apply: 'wait', destroy: 'wait' });
    expect(waiting.markdown).toContain(`with \`approve\` set to \`${waiting.digest}\` and \`allow-destroy\` checked`);
    expect(showPlans(dir, { reviewers: false, approve: hex('0'), allowDestroy: true })).toMatchObject({ apply: 'wait', destroy: 'wait' });
    expect(showPlans(dir, { reviewers: false, approve: waiting.digest, allowDestroy: false })).toMatchObject({
      apply: 'approved',
      destroy: 'wait',
    });
    expect(showPlans(dir, { reviewers: false, approve: waiting.digest, allowDestroy: true })).toMatchObject({
      apply: 'approved',
      destroy: 'approved',
    });
  });
});

describe('the apply report', () => {
  test('complete only when every stack is applied or unchanged; each other stack says why', () => {
    const plans = results([
      { stack: 'agency', exitcode: 0, plan: 'No changes.' },
      { stack: 'a', saved: saved('x') },
      { stack: 'b', saved: saved('y') },
      { stack: 'c', exitcode: 1, plan: 'Error: acquiring', lock: { id: 'abcd-1234' } },
    ]);
    const applied = results([
      { stack: 'a', saved: saved('x'), apply: { exitcode: 0, output: 'Apply complete!' } },
      {
        stack: 'b',
        saved: saved('y'),
        apply: { exitcode: 3, output: 'not applied: it destroys or replaces ovh_vps.v, and that needs its own approval' },
      },
    ]);
    const report = applyReport({ stacks: ['agency', 'a', 'b', 'c', 'd'], plans, applied, commit: hex('9') });
    expect(report.complete).toBe(false);
    expect(report.summary.split('\n').filter((line) => line.startsWith('| `'))).toEqual([
      '| `agency` | ✅ no changes |',
      '| `a` | ✅ applied |',
      '| `b` | ❌ not applied: it destroys or replaces ovh_vps.v, and that needs its own approval |',
      "| `c` | ❌ plan failed: the state is locked (lock ID abcd-1234): see the run's summary |",
      '| `d` | ❌ not planned: its plan job did not finish |',
    ]);
    expect(applyReport({ stacks: ['agency', 'a'], plans, applied, commit: hex('9') }).complete).toBe(true);
  });

  test('a report longer than a comment is cut with a note saying where the whole table is', () => {
    const stacks = Array.from({ length: 3000 }, (_, i) => `client-${String(i).padStart(5, '0')}.be`);
    const plans = results(stacks.map((stack) => ({ stack, exitcode: 0, plan: 'No changes.' })));
    const report = applyReport({ stacks, plans, applied: results([]), commit: hex('9'), runUrl: 'https://github.com/o/r/actions/runs/1' });
    expect(report.complete).toBe(true);
    expect(report.comment.length).toBeLessThanOrEqual(GITHUB_LIMITS.commentChars);
    expect(report.comment).toMatch(
      /> Cut here to fit GitHub's limit \(\d+ more line\(s\)\): the whole table is in the summary of \[this run\]/,
    );
    expect(report.summary).toContain('| `client-02999.be` | ✅ no changes |');
  });
});
