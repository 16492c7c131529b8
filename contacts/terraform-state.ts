/**
 * The OVH names Terraform recorded for a stack's services: each desired-contacts `terraform_data` keeps the
 * plan's service id and the service name the provider got from OVH when it ordered the service.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import { promisify } from 'node:util';
import * as z from 'zod';
import { localStateFile, stackFolder, type Settings } from '../core/environment';

/** Plan service id → OVH service name. */
export type RecordedNames = Map<string, string>;

/** Only what is needed is checked: a state holds many other resources, of many shapes. */
const State = z.object({
  resources: z
    .array(
      z.object({
        type: z.string(),
        instances: z.array(z.object({ attributes: z.object({ input: z.unknown() }).partial() })).default([]),
      }),
    )
    .default([]),
});
const ContactsRecord = z.object({ value: z.object({ service: z.string(), service_name: z.string().min(1) }) });

export function namesInState(stateJson: string, origin: string): RecordedNames {
  let parsed: z.output<typeof State>;
  try {
    parsed = State.parse(JSON.parse(stateJson));
  } catch {
    throw new Error(`${origin} is not a Terraform state`);
  }
  const names: RecordedNames = new Map();
  for (const resource of parsed.resources.filter((r) => r.type === 'terraform_data')) {
    for (const instance of resource.instances) {
      const record = ContactsRecord.safeParse(instance.attributes.input);
      if (record.success) names.set(record.data.value.service, record.data.value.service_name);
    }
  }
  return names;
}

/**
 * Reads the stack's state where `useStateBackend` put it: the local file directly; the remote one through
 * `terraform state pull` in the stack's folder, which must have been initialised (`terraform init`).
 * No state at all is an error, never "nothing ordered yet": a misplaced state would otherwise look all clear.
 */
export async function recordedNames(settings: Pick<Settings, 'state' | 'outdir'>, stack: string): Promise<RecordedNames> {
  if (settings.state.kind === 'local') {
    const file = localStateFile(settings.state, stack);
    if (!fs.existsSync(file)) {
      throw new Error(
        `no Terraform state at ${file}: apply the stack first (cd ${stackFolder(settings.outdir, stack)} && terraform apply), or point OVH_IAC_LOCAL_STATE_DIR at the folder that holds it`,
      );
    }
    return namesInState(fs.readFileSync(file, 'utf8'), file);
  }
  const dir = stackFolder(settings.outdir, stack);
  let pulled: string;
  try {
    pulled = (await promisify(execFile)('terraform', ['state', 'pull'], { cwd: dir, maxBuffer: 256 * 1024 * 1024 })).stdout;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr;
    const detail = (stderr && terraformMessage(stderr)) || (error as Error).message;
    throw new Error(
      `cannot read the state of stack ${stack} with "terraform state pull" in ${dir} (run "terraform init" there first): ${detail}`,
    );
  }
  if (pulled.trim() === '')
    throw new Error(`stack ${stack} has no state in the bucket (terraform state pull in ${dir} returned nothing): apply the stack first`);
  return namesInState(pulled, `the state of stack ${stack}`);
}

/** Terraform's colours (SGR escape sequences) and the frame of its diagnostics (`╷`, `│`, `╵` at a line's start). */
const COLOURS = /\u001b\[[\d;]*m/g;
const FRAME = /^[╷│╵]/;

/**
 * What Terraform said, as one line of words: without its colours and frames, its errors alone when there are any
 * (a warning, such as a missing CLI configuration file, comes first and is not what failed), everything otherwise.
 */
export function terraformMessage(output: string): string {
  const lines = output
    .replace(COLOURS, '')
    .split('\n')
    .map((line) => line.replace(FRAME, '').trim());
  let section: 'error' | 'other' = 'other';
  const errors = lines.filter((line) => {
    if (/^(Error|Warning):/.test(line)) section = line.startsWith('Error:') ? 'error' : 'other';
    return section === 'error';
  });
  return (errors.length > 0 ? errors : lines).filter(Boolean).join(' ').replace(/\s+/g, ' ');
}
