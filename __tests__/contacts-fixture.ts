/**
 * One test world for the contacts tool: a folder of client files and Terraform state, the OVH stand-in with
 * the agency's accounts, the environment holding their credentials, and the tool run in-process. Every run
 * checks that no credential and no token ever shows in what the tool prints.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { credentialEnvironment, type ApiCredentials } from '../core/credentials';
import { contactsCommand } from '../contacts/command';
import type { LockTiming } from '../contacts/lock';
import { DeadlineExceeded, type RetryPolicy, type Timers } from '../contacts/retry';
import { OvhStandin, trustStandin } from '../standins/ovh-api/server';
import { S3Standin } from '../standins/s3/server';
import { runForTest } from './command';

export const NIC = { hosting: 'cf10001-ovh', cloud: 'yb20002-ovh', client: 'ac11111-ovh', operator: 'op54321-ovh' } as const;
/** The account keys of the agency's accounts, as the policy names them. */
const KEYS = { hosting: 'cedricfrancoys', cloud: 'yesbabylon', client: 'acme_test' } as const;
export const SHARED_PROJECT = '4f1c2a9e8d7b6c5a4f3e2d1c0b9a8f7e';
export const VPS_NAME = 'vps-1a2b3c4d.vps.ovh.net';
export const ROUTE = {
  domain: '/domain/acme.test',
  vps: `/vps/${VPS_NAME}`,
  web: '/hosting/web/acme.test',
  zone: '/domain/zone/acme.test',
  project: `/cloud/project/${SHARED_PROJECT}`,
};
/** The owner contact of acme.test, one of the client account's contacts. */
export const OWNER_CONTACT = 501;
/** Another run's lock is waited for as long as it takes that run in a test, however busy the machine. */
const TEST_LOCKS: LockTiming = { waitMs: 10 * 60_000, staleMs: 15 * 60_000 };

/** A call waiting for its answer, and how its deadline passes. */
interface Waiting {
  call: string;
  expire: () => void;
}

/**
 * The contacts tool's waits for OVH in these tests: a backoff passes at once, and a call's
 * deadline passes when the stand-in gets it and decides to give no answer (`stallNext`, `holdNext`), never after some
 * time the machine may take anyway.
 */
class StandinTimers implements Timers {
  private readonly waiting: Waiting[] = [];

  sleep(): Promise<void> {
    return new Promise((resolve) => setImmediate(resolve));
  }

  deadline<T>(work: PromiseLike<T>, ms: number, call: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const entry: Waiting = {
        call,
        expire: () => {
          this.forget(entry);
          reject(new DeadlineExceeded(ms));
        },
      };
      this.waiting.push(entry);
      // Whichever comes first settles it: a late answer to a call given up on changes nothing.
      void Promise.resolve(work)
        .then(resolve, reject)
        .finally(() => this.forget(entry));
    });
  }

  /** The stand-in gives `call` no answer: the deadline of the call waiting for it passes. */
  unanswered(call: string): void {
    this.waiting.find((entry) => entry.call === call)?.expire();
  }

  private forget(entry: Waiting): void {
    const at = this.waiting.indexOf(entry);
    if (at >= 0) this.waiting.splice(at, 1);
  }
}

const AGENCY_FILE = `
mailDomain: agency.test
ovh: { endpoint: ovh-eu, subsidiary: FR }
accounts:
  hosting: { name: cedricfrancoys, nichandle: ${NIC.hosting} }
  cloud: { name: yesbabylon, nichandle: ${NIC.cloud} }
sharedProject: { name: YB Cloud, id: ${SHARED_PROJECT} }
backupSpace: { projectId: ${SHARED_PROJECT}, region: GRA }
`;

/** A domain, a VPS run by a third-party operator, and a web hosting whose billing was handed over to the client. */
const CLIENT_FILE = `
id: acme.test
name: Acme
size: standard
nichandle: ${NIC.client}
domains:
  - { name: acme.test, dnsZone: false }
hosting:
  vps:
    - { name: staging, plan: vps-2025-model1, datacenter: GRA, os: Debian 12, contacts: { tech: ${NIC.operator} } }
  webHostings:
    - { domain: acme.test, plan: perso2014, contacts: { billing: client } }
`;

/** Each service with the contacts the procedure wants. */
export const DESIRED = {
  domain: { admin: NIC.client, tech: NIC.client, billing: NIC.hosting },
  vps: { admin: NIC.client, tech: NIC.operator, billing: NIC.hosting },
  web: { admin: NIC.client, tech: NIC.client, billing: NIC.client },
  zone: { admin: NIC.client, tech: NIC.client, billing: NIC.hosting },
  project: { admin: NIC.cloud, tech: NIC.cloud, billing: NIC.cloud },
};

export interface Run {
  code: number;
  out: string;
  err: string;
}

export class Fixture {
  readonly env: NodeJS.ProcessEnv;
  readonly credentials = new Map<string, ApiCredentials>();
  /** What the next run reads on standard input. */
  stdin = '';
  /** The clock of the next runs; the real one by default. */
  now?: () => Date;
  readonly timers = new StandinTimers();
  /** How the next runs call OVH: three attempts, each lost only when the stand-in gives it no answer. */
  retry: RetryPolicy = { attempts: 3, firstDelayMs: 5, maxDelayMs: 20, timeoutMs: 300, timers: this.timers };
  /** How long the next runs wait for a lock, and by which clock. */
  lockTiming = TEST_LOCKS;
  private stateBucket?: S3Standin;

  private constructor(
    readonly dir: string,
    readonly standin: OvhStandin,
    withZone: boolean,
  ) {
    fs.mkdirSync(path.join(dir, 'clients'));
    fs.writeFileSync(path.join(dir, 'clients', 'agency.yaml'), AGENCY_FILE);
    fs.writeFileSync(
      path.join(dir, 'clients', 'acme.test.yaml'),
      withZone ? CLIENT_FILE.replace('dnsZone: false', 'dnsZone: true') : CLIENT_FILE,
    );
    this.env = {
      OVH_IAC_CLIENTS_DIR: path.join(dir, 'clients'),
      OVH_IAC_LOCAL_STATE_DIR: path.join(dir, 'terraform-state'),
      OVH_IAC_API_URL: standin.url,
    };
    for (const [role, key] of Object.entries(KEYS)) {
      const credentials = standin.addAccount(NIC[role as keyof typeof KEYS], role === 'client' ? { contactIds: [OWNER_CONTACT] } : {});
      this.credentials.set(key, credentials);
      const variables = credentialEnvironment(key);
      for (const field of Object.keys(variables) as (keyof ApiCredentials)[]) this.env[variables[field]] = credentials[field];
    }
    // The operator's account exists at OVH, but the agency holds no credentials for it.
    this.credentials.set('operator', standin.addAccount(NIC.operator));
    standin.onUnanswered = (call) => this.timers.unanswered(call);
  }

  /**
   * A world where every service exists with its desired contacts and the VPS's name is in the state; `withZone`
   * adds the domain's DNS zone, a third service named acme.test.
   */
  static async start({ withZone = false } = {}): Promise<Fixture> {
    trustStandin();
    const fixture = new Fixture(fs.mkdtempSync(path.join(os.tmpdir(), 'contacts-')), await OvhStandin.start(), withZone);
    fixture.standin.addService(ROUTE.domain, DESIRED.domain, OWNER_CONTACT);
    fixture.standin.addService(ROUTE.vps, DESIRED.vps);
    fixture.standin.addService(ROUTE.web, DESIRED.web);
    fixture.standin.addService(ROUTE.project, DESIRED.project);
    if (withZone) fixture.standin.addService(ROUTE.zone, DESIRED.zone);
    fixture.recordInState({ 'vps-staging': VPS_NAME });
    return fixture;
  }

  /** Writes the client stack's local state, as Terraform would after ordering these services. */
  recordInState(names: Record<string, string>): void {
    const resources = Object.entries(names).map(([service, serviceName]) => ({
      mode: 'managed',
      type: 'terraform_data',
      name: `${service}_contacts_desired`,
      instances: [{ attributes: { input: { value: { client: 'acme.test', service, service_name: serviceName }, type: 'dynamic' } } }],
    }));
    fs.mkdirSync(this.env.OVH_IAC_LOCAL_STATE_DIR!, { recursive: true });
    fs.writeFileSync(path.join(this.env.OVH_IAC_LOCAL_STATE_DIR!, 'acme.test.tfstate'), JSON.stringify({ version: 4, resources }));
  }

  /** Every value that must never be printed: credentials and validation tokens. */
  secrets(): string[] {
    const credentials = [...this.credentials.values()].flatMap((c) => [c.applicationKey, c.applicationSecret, c.consumerKey]);
    return [...credentials, ...this.standin.tokens()];
  }

  /** The state folder, where the journal and the locks are kept beside the local state. */
  get stateDir(): string {
    return this.env.OVH_IAC_LOCAL_STATE_DIR!;
  }

  async run(...argv: string[]): Promise<Run> {
    const { code, out, err } = await runForTest(contactsCommand, argv, {
      env: this.env,
      projectRoot: this.dir,
      input: async () => this.stdin,
      retry: this.retry,
      lockTiming: this.lockTiming,
      now: this.now,
    });
    const run = { code, out: out.join('\n'), err: err.join('\n') };
    for (const secret of this.secrets()) expect(`${run.out}\n${run.err}`).not.toContain(secret);
    return run;
  }

  /** `changeContact` calls the stand-in received, on one route or on all. */
  changeRequests(route?: string): number {
    return this.standin.calls.filter(
      (call) => call.route === `POST ${route}/changeContact` || (!route && call.route.endsWith('/changeContact')),
    ).length;
  }

  /** Remote state from now on: the journal and the locks are objects in a state bucket (the S3 stand-in). */
  async useStateBucket(): Promise<S3Standin> {
    const bucket = (this.stateBucket = await S3Standin.start());
    Object.assign(this.env, {
      OVH_IAC_STATE_BUCKET: bucket.bucket,
      OVH_IAC_STATE_ENDPOINT: bucket.endpoint,
      OVH_IAC_STATE_REGION: 'gra',
      AWS_ACCESS_KEY_ID: bucket.accessKeyId,
      AWS_SECRET_ACCESS_KEY: 'standin-secret',
    });
    return bucket;
  }

  async close(): Promise<void> {
    await this.stateBucket?.close();
    await this.standin.close();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Resolves once `condition` holds, however long the machine takes to get there (the test's timeout bounds it). */
export async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}
