/**
 * `npm run apply-check -- --commit SHA --branch REF [--applied REF]`: whether an Apply run may apply `--commit`, run
 * first by Apply. A re-run of an old Apply keeps its commit (GitHub re-runs use the original event's GITHUB_SHA), so
 * it would apply an old configuration over a newer one: refused once the default branch (`--branch`) has moved past
 * the commit; the newer commit's own run applies everything since the last applied commit. And the tag of the last
 * applied commit (`--applied`) only moves forward: refused when it is not the commit or one of its ancestors.
 */
import * as path from 'node:path';
import * as z from 'zod';
import { commandLine, type Command, type CommandContext } from '../cli/command-line';
import { GitError, isAncestor, repositoryRoot, resolveCommit } from '../core/git';

const EXIT_REFUSED = 2;

const Args = z.object({
  commit: z.string({ error: "is required: the run's commit" }).min(1),
  branch: z.string({ error: "is required: the default branch's ref (origin/main)" }).min(1),
  applied: z.string().min(1).optional(),
  repo: z.string().min(1).optional(),
});

export const applyCheckCommand: Command<z.output<typeof Args>> = {
  name: 'apply-check',
  usage: `Usage: npm run apply-check -- --commit SHA --branch REF [--applied REF] [--repo DIR]`,
  exitCodes: { 0: 'the commit may be applied', [EXIT_REFUSED]: 'refused: an old commit, or the tag would move backwards' },
  parse: commandLine(
    {
      options: {
        commit: { type: 'string', value: 'SHA', help: 'the commit the Apply run is for (GITHUB_SHA)' },
        branch: { type: 'string', value: 'REF', help: 'the default branch as fetched (origin/main): it must be at that commit' },
        applied: {
          type: 'string',
          value: 'REF',
          help: 'the tag of the last applied commit (ovh-iac-applied), if it exists: that commit or an ancestor',
        },
        repo: { type: 'string', value: 'DIR', help: "the git repository (default: this project's)" },
      },
    },
    Args,
  ),
  run: applyCheck,
};

function applyCheck(args: z.output<typeof Args>, { projectRoot, io }: CommandContext): number {
  try {
    const repo = repositoryRoot(path.resolve(args.repo ?? projectRoot));
    const commit = resolveCommit(repo, args.commit);
    const head = resolveCommit(repo, args.branch);
    const short = (sha: string) => sha.slice(0, 12);
    if (head !== commit) {
      io.err(
        `apply-check: refused: ${args.branch} is at ${short(head)}, not at this run's commit ${short(commit)}: an Apply of an older commit (a re-run) would apply an old configuration. The run of ${short(head)} applies everything since the last applied commit.`,
      );
      return EXIT_REFUSED;
    }
    const applied = args.applied && tryResolve(repo, args.applied);
    if (applied && !isAncestor(repo, applied, commit)) {
      io.err(
        `apply-check: refused: the last applied commit (${args.applied}, ${short(applied)}) is not an ancestor of ${short(commit)}: the tag only moves forward. Tag by hand the commit that matches what is deployed (README, "Applying after merge").`,
      );
      return EXIT_REFUSED;
    }
    io.out(`${short(commit)} is the head of ${args.branch}${applied ? ` and follows the last applied commit ${short(applied)}` : ''}.`);
    return 0;
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
    io.err(`apply-check: ${error.message}`);
    return 1;
  }
}

/** The commit `ref` names, or undefined when it names none (no tag yet). */
function tryResolve(repo: string, ref: string): string | undefined {
  try {
    return resolveCommit(repo, ref);
  } catch {
    return undefined;
  }
}
