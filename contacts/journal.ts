/**
 * The journal: every changeContact request the tool sent, with the service it was for and what OVH answered, one
 * JSON document per request in the store beside the stack's state (store.ts). OVH's tasks say only which service
 * name they are about; the journal says which service of that name, so that each service's pending or blocked
 * changes are decided from its own tasks, and a task nobody recorded is shown as made by someone else.
 *
 * A request is written `sending` before it leaves, then `answered` with the task ids, `failed` when OVH surely did
 * not take it, or `unknown` when its answer never came: then it is never sent again until its tasks show up in
 * the task list (`answered`, `found: true`); or, when OVH's end of the exchange was over, until a later run finds no
 * task of it at all (`failed`: OVH did not process it); or until UNKNOWN_OUTCOME_MS passed without them.
 */
import { randomBytes } from 'node:crypto';
import * as z from 'zod';
import type { StateBackend } from '../core/environment';
import { RunCache } from './collections';
import { CONTACT_TYPES } from './ovh-api';
import { journalPrefix, type ContactsStore } from './store';

/** OVH completes a change within minutes (its contacts guide); a request with no task after a day was not received. */
export const UNKNOWN_OUTCOME_MS = 24 * 3600_000;

const Outcome = z.discriminatedUnion('state', [
  z.object({ state: z.literal('sending') }),
  /**
   * `ended`: OVH's end of the exchange was over (an answer came, or the connection was cut), so that OVH, which opens
   * a request's tasks within the request, had opened them or never will; after a deadline of ours, it may still be at
   * work.
   */
  z.object({ state: z.literal('unknown'), since: z.string(), detail: z.string(), ended: z.boolean().default(false) }),
  z.object({ state: z.literal('answered'), at: z.string(), taskIds: z.array(z.number().int()), found: z.boolean().default(false) }),
  z.object({ state: z.literal('failed'), at: z.string(), error: z.string() }),
]);

const Entry = z.object({
  id: z.string(),
  stack: z.string(),
  service: z.string(),
  kind: z.string(),
  route: z.string(),
  serviceName: z.string(),
  /** The nichandle whose API key sent the request. */
  requestedBy: z.string(),
  changes: z.array(z.object({ contact: z.enum(CONTACT_TYPES), from: z.string(), to: z.string() })).min(1),
  sentAt: z.string(),
  /**
   * The same instant by OVH's clock (the machine's plus the difference node-ovh signs with), to compare with the
   * dates of OVH's tasks; absent from requests recorded before it was kept.
   */
  ovhSentAt: z.string().optional(),
  outcome: Outcome,
});
export type JournalEntry = z.output<typeof Entry>;
export type EntryOutcome = z.output<typeof Outcome>;

/** Sent, and what became of it is not known yet (a `sending` entry is one whose run died before the answer). */
export function isUnresolved(entry: JournalEntry, now: Date): boolean {
  const open = entry.outcome.state === 'sending' || entry.outcome.state === 'unknown';
  return open && now.getTime() - Date.parse(entry.sentAt) < UNKNOWN_OUTCOME_MS;
}

/** A request about to leave at `now`, which is `ovhNow` by OVH's clock. */
export function newEntry(fields: Omit<JournalEntry, 'id' | 'sentAt' | 'ovhSentAt' | 'outcome'>, now: Date, ovhNow: Date): JournalEntry {
  const id = `${now.toISOString().replace(/[-:.]/g, '').slice(0, 15)}-${randomBytes(3).toString('hex')}`;
  return { ...fields, id, sentAt: now.toISOString(), ovhSentAt: ovhNow.toISOString(), outcome: { state: 'sending' } };
}

/** A run's view of the journal: each stack's requests read once, and again under a lock (`fresh`). */
export class Journal {
  private readonly cache = new RunCache<string, JournalEntry[]>();
  /** The requests this run recorded. */
  private readonly written = new Set<string>();

  constructor(
    private readonly store: ContactsStore,
    private readonly state: StateBackend,
  ) {}

  /** Every request recorded for the stack, oldest first. */
  entries(stack: string, fresh = false): Promise<JournalEntry[]> {
    if (fresh) this.cache.forget(stack);
    return this.cache.known(stack) ?? this.cache.keep(stack, this.read(stack));
  }

  private async read(stack: string): Promise<JournalEntry[]> {
    const keys = (await this.store.list(journalPrefix(stack, this.state))).filter((key) => key.endsWith('.json'));
    const entries = await Promise.all(
      keys.map(async (key) => {
        const parsed = Entry.safeParse(JSON.parse((await this.store.read(key)) ?? 'null'));
        if (!parsed.success)
          throw new Error(`${this.store.where(key)} is not a request of the contacts journal: ${parsed.error.issues[0].message}`);
        return parsed.data;
      }),
    );
    return entries.sort((a, b) => a.sentAt.localeCompare(b.sentAt));
  }

  /** Whether this run recorded the request. */
  recordedHere(entry: JournalEntry): boolean {
    return this.written.has(entry.id);
  }

  async save(entry: JournalEntry): Promise<void> {
    this.written.add(entry.id);
    await this.store.write(`${journalPrefix(entry.stack, this.state)}${entry.id}.json`, `${JSON.stringify(entry, null, 2)}\n`);
    const known = (await this.cache.known(entry.stack)?.catch(() => undefined)) ?? [];
    this.cache.keep(entry.stack, Promise.resolve([...known.filter((e) => e.id !== entry.id), entry]));
  }
}

/**
 * A request whose answer was lost after OVH's end of the exchange was over, recorded by another run: OVH had opened
 * its tasks by then, or never will. The run that sent it has looked for them already; the next one concludes.
 */
export function noTaskMeansUnprocessed(entry: JournalEntry, journal: Journal): boolean {
  return entry.outcome.state === 'unknown' && entry.outcome.ended && !journal.recordedHere(entry);
}

/** The task ids the journal attributes to a request. */
export const taskIdsOf = (entry: JournalEntry): number[] => (entry.outcome.state === 'answered' ? entry.outcome.taskIds : []);
