/**
 * `npm run validate [-- --dir cdktf.out]`: every synthesized stack checked against the committed provider schemas
 * (unknown resource type or argument, missing required argument, wrong type), offline, in seconds. Without --dir,
 * the client files are synthesized afresh into a temporary folder, so what is checked is what the files say now.
 */
import * as path from 'node:path';
import * as z from 'zod';
import { ProviderSchemaIndex, type SchemaProblem } from '../validation/provider-schema';
import { commandLine, type Command, type CommandContext } from '../cli/command-line';
import { progressLine } from './progress';
import { readStackTree, type StackTree } from './stack-tree';
import { describeFailure } from '../core/failures';
import { SynthesisError, synthesizeStacks } from './synthesis';

const Args = z.object({ dir: z.string().trim().min(1, { error: 'expected a folder, e.g. cdktf.out' }).optional() });

/** The problems of each stack of `tree`, reporting each stack's result as it goes. */
export function validateTree(
  tree: StackTree,
  schemas: ProviderSchemaIndex,
  onProgress: (line: string) => void = () => {},
): Map<string, SchemaProblem[]> {
  const results = new Map<string, SchemaProblem[]>();
  [...tree].forEach(([stack, json], i) => {
    const problems = schemas.validateStack(json);
    results.set(stack, problems);
    onProgress(progressLine(i + 1, tree.size, stack, problems.length === 0 ? 'valid' : `${problems.length} problem(s)`));
  });
  return results;
}

export const validateCommand: Command<z.output<typeof Args>> = {
  name: 'validate',
  usage: `Usage: npm run validate [-- --dir DIR]`,
  exitCodes: { 0: 'every stack matches the provider schemas in provider-schema/', 1: 'a stack does not match them' },
  parse: commandLine(
    {
      options: {
        dir: {
          type: 'string',
          value: 'DIR',
          help: 'check the stacks already synthesized in DIR (e.g. cdktf.out) instead of synthesizing afresh',
        },
      },
    },
    Args,
  ),
  run: validate,
};

async function validate(args: z.output<typeof Args>, { env, projectRoot, io }: CommandContext): Promise<number> {
  try {
    const schemaDir = path.join(projectRoot, 'provider-schema');
    const schemas = ProviderSchemaIndex.fromDirectory(schemaDir);
    if (!args.dir) io.err('Synthesizing the client files into a temporary folder...');
    const tree = args.dir ? readStackTree(path.resolve(args.dir)) : await synthesizeStacks({ projectDir: projectRoot, env });
    if (tree.size === 0) throw new Error(`no stack to validate in ${args.dir}`);
    const results = validateTree(tree, schemas, io.err);
    const invalid = [...results].filter(([, problems]) => problems.length > 0);
    for (const [stack, problems] of invalid) for (const { where, message } of problems) io.out(`${stack}: ${where}: ${message}`);
    const schemaName = path.relative(process.cwd(), schemaDir) || schemaDir;
    if (invalid.length === 0) {
      io.out(`All ${tree.size} stack(s) match the provider schemas in ${schemaName}.`);
      return 0;
    }
    const count = invalid.reduce((sum, [, problems]) => sum + problems.length, 0);
    io.out(`${count} problem(s) in ${invalid.length} of ${tree.size} stack(s), against the provider schemas in ${schemaName}.`);
    return 1;
  } catch (error) {
    const messages = error instanceof SynthesisError ? error.lines : describeFailure(error);
    for (const message of messages) io.err(`validate: ${message}`);
    return 1;
  }
}
