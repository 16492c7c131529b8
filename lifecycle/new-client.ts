/**
 * `npm run new-client -- --id <slug> --name <name> --nic <nichandle> [--size large] [--domain <name> ...]`
 * Writes a valid client file, ready for a pull request. Refuses an id or a domain another client has.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { z } from 'zod';
import { settingsFrom } from '../config/environment';
import { describeFailure } from '../config/failures';
import { ConfigError, loadConfig } from '../config/load';
import { ClientFile, DomainName, Nichandle, Slug } from '../config/schema';
import { internalAddress } from '../policy/procedure';

const Options = z.strictObject({
  id: Slug,
  name: z.string().trim().min(1, { error: 'is required: the client’s display name' }),
  nic: Nichandle,
  size: z.enum(['standard', 'large']).default('standard'),
  /** Defaults to the id when the id is a domain name, as it usually is. */
  domain: z.array(DomainName).optional(),
});
export type NewClientOptions = z.input<typeof Options>;

export class NewClientError extends Error {}

/** Writes `<clients dir>/<id>.yaml` and returns its path. */
export function newClient(clientsDir: string, options: NewClientOptions): string {
  const parsed = Options.safeParse(options);
  if (!parsed.success) {
    throw new NewClientError(parsed.error.issues.map((issue) => `--${String(issue.path[0] ?? '')}: ${issue.message}`).join('\n'));
  }
  const { id, name, nic, size } = parsed.data;
  const domains = parsed.data.domain ?? (DomainName.safeParse(id).success ? [id] : []);
  const file = path.join(clientsDir, `${id}.yaml`);
  if (fs.existsSync(file)) throw new NewClientError(`client "${id}" exists already: ${file}`);

  const { agency, clients } = loadConfig(clientsDir);
  for (const domain of domains) {
    const owner = clients.find(({ client }) => [client, ...client.products].some((scope) => scope.domains.some((d) => d.name === domain)));
    if (owner) throw new NewClientError(`domain "${domain}" is already declared in ${owner.file}`);
  }

  const content = { id, name, size, nichandle: nic, ...(domains.length > 0 ? { domains: domains.map((domain) => ({ name: domain })) } : {}) };
  ClientFile.parse(content); // the scaffold itself must be valid; a failure here is a bug, not bad input
  const header = [
    `# ${name}: its OVH account ${nic} uses ${internalAddress(agency, ClientFile.parse(content))}.`,
    '# Add its hosting, instances and backups, then open a pull request (see README, "Adding a client").',
  ];
  const staging = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(staging, `${header.join('\n')}\n${stringify(content)}`, { flag: 'wx' });
  fs.renameSync(staging, file);
  return file;
}

function main(): number {
  try {
    const { values } = parseArgs({
      options: {
        id: { type: 'string' },
        name: { type: 'string' },
        nic: { type: 'string' },
        size: { type: 'string' },
        domain: { type: 'string', multiple: true },
      },
      strict: true,
    });
    const settings = settingsFrom(process.env, path.resolve(__dirname, '..'));
    const file = newClient(settings.clientsDir, values as NewClientOptions);
    console.log(`Wrote ${path.relative(process.cwd(), file)}`);
    return 0;
  } catch (error) {
    const heading = error instanceof ConfigError ? 'The clients folder has problems; fix them first:' : 'Cannot create the client:';
    console.error(`${heading}\n  ${describeFailure(error).join('\n  ')}`);
    return 1;
  }
}

if (require.main === module) process.exitCode = main();
