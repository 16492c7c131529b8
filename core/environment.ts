/**
 * The environment variables the synthesis reads (none of them a secret). Documented in the README.
 */
import * as path from 'node:path';
import * as z from 'zod';

const optional = z.string().trim().min(1).optional().catch(undefined);

const Environment = z.object({
  /** The folder of client files; `clients/` by default. */
  OVH_IAC_CLIENTS_DIR: optional,
  /** Comma-separated client ids: only their stacks are built (the shared stack always is). */
  OVH_IAC_CLIENTS: optional,
  /** Where cdktf writes; set by the cdktf CLI itself. */
  CDKTF_OUTDIR: optional,
  /** cdktf's context; the cdktf CLI always sets it, with a `cdktfRelativeModules` entry of its own. */
  CDKTF_CONTEXT_JSON: optional,
  /** Remote state: the bucket on OVHcloud Object Storage. Unset means local state. */
  OVH_IAC_STATE_BUCKET: optional,
  OVH_IAC_STATE_ENDPOINT: z.url({ error: 'expected an https:// URL of an S3-compatible endpoint' }).optional(),
  OVH_IAC_STATE_REGION: optional,
  /** Local state: the folder of `<stack>.tfstate` files, relative to the project. */
  OVH_IAC_LOCAL_STATE_DIR: optional,
  /** How many threads synthesize at once; one per core by default, 1 for a serial synthesis. */
  OVH_IAC_SYNTH_THREADS: z
    .string()
    .trim()
    .regex(/^[1-9][0-9]*$/, { error: 'expected a whole number of threads, 1 or more' })
    .transform(Number)
    .optional(),
});

export type StateBackend = { kind: 'local'; dir: string } | { kind: 's3'; bucket: string; endpoint: string; region: string };

/** Where cdktf writes a stack, `<outdir>/stacks/<stack>`: where Terraform runs for it. */
export function stackFolder(outdir: string, stack: string): string {
  return path.join(outdir, 'stacks', stack);
}

/** A stack's state file, with local state. */
export function localStateFile(state: Extract<StateBackend, { kind: 'local' }>, stack: string): string {
  return path.join(state.dir, `${stack}.tfstate`);
}

export interface Settings {
  clientsDir: string;
  /** Undefined means every client. */
  selectedClients?: string[];
  outdir: string;
  state: StateBackend;
  /** Threads synthesizing at once; undefined means one per core. */
  threads?: number;
  /**
   * The cdktf CLI runs the synthesis (`cdktf synth`, `diff`, `deploy`). It then removes, itself, the stack folders
   * manifest.json does not list, and fails if one is already gone (@cdktf/cli-core 0.21.0, src/lib/synth-stack.js).
   */
  runByCdktfCli?: boolean;
}

export function settingsFrom(env: NodeJS.ProcessEnv, projectRoot: string): Settings {
  const parsed = Environment.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`environment variable ${String(issue.path[0])}: ${issue.message}`);
  }
  const vars = parsed.data;
  const selected = vars.OVH_IAC_CLIENTS?.split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  const state: StateBackend = vars.OVH_IAC_STATE_BUCKET
    ? {
        kind: 's3',
        bucket: vars.OVH_IAC_STATE_BUCKET,
        endpoint: vars.OVH_IAC_STATE_ENDPOINT ?? 'https://s3.gra.io.cloud.ovh.net',
        region: vars.OVH_IAC_STATE_REGION ?? 'gra',
      }
    : { kind: 'local', dir: path.resolve(projectRoot, vars.OVH_IAC_LOCAL_STATE_DIR ?? 'terraform-state') };
  return {
    clientsDir: path.resolve(projectRoot, vars.OVH_IAC_CLIENTS_DIR ?? 'clients'),
    selectedClients: selected && selected.length > 0 ? selected : undefined,
    outdir: path.resolve(projectRoot, vars.CDKTF_OUTDIR ?? 'cdktf.out'),
    state,
    threads: vars.OVH_IAC_SYNTH_THREADS,
    runByCdktfCli: isCdktfCliContext(vars.CDKTF_CONTEXT_JSON),
  };
}

function isCdktfCliContext(json: string | undefined): boolean {
  try {
    return json !== undefined && 'cdktfRelativeModules' in JSON.parse(json);
  } catch {
    return false;
  }
}
