/**
 * `npm run new-client -- --id <slug> --name <name> --nic <nichandle> [--size large] [--domain <name> ...]`
 * Writes a valid client file, ready for a pull request. Refuses an id or a domain another client has.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import * as z from 'zod';
import { commandLine, type Command, type CommandContext } from '../cli/command-line';
import { settingsFrom } from '../core/environment';
import { ConfigError, describeFailure } from '../core/failures';
import { formatPath, valueRuleProblems } from '../config/load';
import { plainMessages } from '../config/messages';
import { ClientFile, DomainNameText, Nichandle, Slug } from '../config/schema';
import { claimProblems } from '../policy/claims';
import { planFolder } from '../policy/folder';
import { internalAddress } from '../policy/naming';
import { clientPlan } from '../policy/procedure';
import { schemaModeline } from '../schemas/json-schemas';

/** The same rules as in a client file (the name is one line of text, with no template sequence). */
const Options = z.strictObject({
  id: Slug,
  name: ClientFile.shape.name,
  nic: Nichandle,
  size: z.enum(['standard', 'large']).default('standard'),
  /** Defaults to the id when the id is a domain name, as it usually is. */
  domain: z.array(DomainNameText).optional(),
});
export type NewClientOptions = z.input<typeof Options>;

export class NewClientError extends Error {}

/** The option that sets a field of the new file. */
const OPTION_OF: Record<string, string> = { id: '--id', name: '--name', nichandle: '--nic', size: '--size', domains: '--domain' };

const optionOf = (fieldPath: (string | number)[]) => OPTION_OF[String(fieldPath[0])] ?? formatPath(fieldPath);

/** Writes `<clients dir>/<id>.yaml` and returns its path. */
export function newClient(clientsDir: string, options: NewClientOptions): string {
  const parsed = Options.safeParse(options, { error: plainMessages });
  if (!parsed.success) {
    throw new NewClientError(parsed.error.issues.map((issue) => `--${String(issue.path[0] ?? '')}: ${issue.message}`).join('\n'));
  }
  const { id, name, nic, size } = parsed.data;
  const domains = parsed.data.domain ?? (DomainNameText.safeParse(id).success ? [id] : []);
  const content = {
    id,
    name,
    size,
    nichandle: nic,
    ...(domains.length > 0 ? { domains: domains.map((domain) => ({ name: domain })) } : {}),
  };
  // What the loader refuses in any value (a placeholder such as the usage's own "xx11111-ovh"), refused before writing.
  const refused = valueRuleProblems(content);
  if (refused.length > 0)
    throw new NewClientError(refused.map(({ fieldPath, message }) => `${optionOf(fieldPath)}: ${message}`).join('\n'));
  const file = path.join(clientsDir, `${id}.yaml`);
  if (fs.existsSync(file)) throw new NewClientError(`client "${id}" exists already: ${file}`);

  // The folder's own rules, with the new client in it: its credentials, address, nichandle and domains are its own.
  const { files, plans } = planFolder(clientsDir);
  const { agency } = files;
  const client = ClientFile.parse(content); // the scaffold itself is valid; a failure here is a bug, not bad input
  const others = files.clients.map(({ file: key, client: other }, i) => ({ key, client: other, plan: plans.clients[i] }));
  const problems = claimProblems({
    agency: { key: path.join(clientsDir, 'agency.yaml'), file: agency },
    clients: [...others, { key: file, client, plan: clientPlan(agency, client) }],
    describe: (key, fieldPath) => `${path.basename(key)} (${formatPath(fieldPath)})`,
  }).filter((problem) => problem.key === file);
  if (problems.length > 0) {
    throw new NewClientError(problems.map((problem) => `${optionOf(problem.path)}: ${problem.message}`).join('\n'));
  }

  const header = [
    schemaModeline('client', clientsDir),
    `# ${name}: its OVH account ${nic} uses ${internalAddress(client.id, agency.mailDomain)}.`,
    '# Add its hosting, instances and backups, then open a pull request (see README, "Adding a client").',
  ];
  const staging = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(staging, `${header.join('\n')}\n${stringify(content)}`, { flag: 'wx' });
  fs.renameSync(staging, file);
  return file;
}

export const newClientCommand: Command<NewClientOptions> = {
  name: 'new-client',
  usage: `Usage: npm run new-client -- --id ID --name NAME --nic NICHANDLE [--size standard|large] [--domain NAME ...]`,
  notes: `Writes OVH_IAC_CLIENTS_DIR/<id>.yaml (default clients/), ready for a pull request.`,
  exitCodes: { 0: 'the file is written', 1: "refused: the file exists, the folder's rules refuse a value, or the folder has problems" },
  parse: commandLine(
    {
      options: {
        id: { type: 'string', value: 'ID', help: 'the client\'s id, also its file\'s name: lower case, like "betterfinance.eu"' },
        name: { type: 'string', value: 'NAME', help: "the client's name, as people write it" },
        nic: { type: 'string', value: 'NICHANDLE', help: 'the client\'s own OVH account, like "xx11111-ovh"' },
        size: {
          type: 'string',
          value: 'SIZE',
          help: 'standard (the default) or large: a large client has a Public Cloud project of its own',
        },
        domain: {
          type: 'string',
          multiple: true,
          value: 'NAME',
          help: 'a domain of the client; once per domain (default: the id, when it is a domain name)',
        },
      },
    },
    Options,
  ),
  run: writeNewClient,
};

function writeNewClient(options: NewClientOptions, { env, projectRoot, io }: CommandContext): number {
  try {
    const settings = settingsFrom(env, projectRoot);
    const file = newClient(settings.clientsDir, options);
    io.out(`Wrote ${path.relative(process.cwd(), file)}`);
    return 0;
  } catch (error) {
    const heading = error instanceof ConfigError ? 'The clients folder has problems; fix them first:' : 'Cannot create the client:';
    io.err(
      `${heading}\n  ${describeFailure(error)
        .flatMap((line) => line.split('\n'))
        .join('\n  ')}`,
    );
    return 1;
  }
}
