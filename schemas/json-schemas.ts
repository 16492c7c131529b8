/**
 * The JSON Schemas of the client and agency files, generated from the zod schemas (`npm run schemas`) and committed
 * beside this module, so that editors complete and check the files: each file names its schema on its first line,
 * `# yaml-language-server: $schema=<path>` (the YAML language server of VS Code and other editors reads it).
 * A schema holds the shapes; the rules across fields and files are the loader's (`npm run synth` says them all).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as z from 'zod';
import { noArguments, type Command } from '../cli/command-line';
import { AgencyFile, ClientFile } from '../config/schema';

const SCHEMAS_DIR = __dirname;

export const JSON_SCHEMAS = {
  client: {
    file: path.join(SCHEMAS_DIR, 'client.schema.json'),
    schema: ClientFile,
    title: 'A client of the agency (clients/<client id>.yaml)',
  },
  agency: {
    file: path.join(SCHEMAS_DIR, 'agency.schema.json'),
    schema: AgencyFile,
    title: 'The agency’s own settings (clients/agency.yaml)',
  },
};

/** The text of one committed schema: what the file holds as input (defaults optional), for draft-07 editors. */
export function jsonSchemaText(kind: keyof typeof JSON_SCHEMAS): string {
  const { schema, title } = JSON_SCHEMAS[kind];
  const { $schema, ...body } = z.toJSONSchema(schema, { io: 'input', target: 'draft-7' });
  const generated = { $schema, $comment: 'Generated from config/schema.ts by `npm run schemas`: do not edit.', title, ...body };
  return `${JSON.stringify(generated, null, 2)}\n`;
}

/** The first line of a file in `dir` that names its schema, for editors. */
export function schemaModeline(kind: keyof typeof JSON_SCHEMAS, dir: string): string {
  return `# yaml-language-server: $schema=${path.relative(dir, JSON_SCHEMAS[kind].file).split(path.sep).join('/')}`;
}

/** `npm run schemas`: writes every schema into `schemas/`. */
export const jsonSchemasCommand: Command<void> = {
  name: 'schemas',
  usage: `Usage: npm run schemas

Writes the JSON Schemas of the client and agency files into schemas/, from config/schema.ts: commit them.`,
  exitCodes: { 0: 'written' },
  parse: noArguments,
  run: (_args, { io }) => {
    for (const kind of Object.keys(JSON_SCHEMAS) as (keyof typeof JSON_SCHEMAS)[]) {
      const { file } = JSON_SCHEMAS[kind];
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, jsonSchemaText(kind));
      io.out(`Wrote ${path.relative(process.cwd(), file)}`);
    }
    return 0;
  },
};
