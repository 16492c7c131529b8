/**
 * Synthesis on every core. A job's stacks are cut into batches; the main thread and worker threads take batches
 * from one queue in shared memory (an index bumped with `Atomics.add`) until it is empty, so a slower thread simply
 * takes fewer. Each thread writes its stacks into the same output folder and hands back their manifest entries.
 *
 * Workers are started before the client files are loaded, so that their start-up (loading the stacks' code) runs
 * while the main thread validates and plans the files; each gets the job once it is known. The main thread blocks while it
 * waits (`Atomics.wait`) and reads the workers' results with `receiveMessageOnPort`, so `synthesize` stays a plain
 * synchronous function. A worker that has not started work by the time the queue is empty is cancelled rather than
 * waited for.
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { ENTRY_HOOK } from '../cli/command-line';
import { stackIds, synthesizeBatch, type BatchResult, type SynthesisJob } from './batches';

/**
 * Stacks per batch. A batch's stacks stay in memory until it is written, so this bounds each thread's memory; a
 * batch costs about 10 ms of work per client against a fixed cost near nothing, so small is cheap.
 */
const BATCH_SIZE = 25;

/** Slot 0 of the shared progress: the next batch to take. Then one slot per worker, holding its state. */
const NEXT_BATCH = 0;
const FIRST_WORKER_SLOT = 1;
const WAITING = 0;
const RUNNING = 1;
const CANCELLED = 2;
const DONE = 3;
/** Stored in NEXT_BATCH on a failure or once closed: no thread takes another batch. */
const NO_MORE = 0x3fffffff;

interface WorkerData {
  progress: Int32Array;
  slot: number;
  /** The job comes in on it, the results go out. */
  port: MessagePort;
}

type WorkerMessage = { result: BatchResult } | { failure: string };

/**
 * A worker loads this module through the entry scripts' hook (it is TypeScript, whatever loaded the main thread's
 * copy: the hook's bundle, jest) and runs `work`.
 */
const WORKER_BOOTSTRAP = `
const { workerData: data } = require('node:worker_threads');
try {
  require(${JSON.stringify(ENTRY_HOOK)});
  require(${JSON.stringify(__filename)}).work(data);
} catch (error) {
  data.port.postMessage({ failure: error instanceof Error ? error.message : String(error) });
}`;

/** The threads of one synthesis: the main one, and workers when the job is large enough to keep them busy. */
export class SynthesisThreads {
  private readonly progress: Int32Array;
  private readonly workers: { worker: Worker; slot: number; port: MessagePort }[];

  /**
   * @param expectedStacks how many stacks the job is expected to have, before the files are loaded
   * @param threads at most this many threads, the main one included
   */
  constructor(expectedStacks: number, threads: number) {
    const workers = Math.max(0, Math.min(threads, batchCount(expectedStacks)) - 1);
    this.progress = new Int32Array(new SharedArrayBuffer(4 * (FIRST_WORKER_SLOT + workers)));
    this.workers = Array.from({ length: workers }, (_, i) => {
      const slot = FIRST_WORKER_SLOT + i;
      const { port1, port2 } = new MessageChannel();
      const workerData: WorkerData = { progress: this.progress, slot, port: port2 };
      // No execArgv: a loader the main thread was started with (the entry hook, jest's) is not needed twice.
      const worker = new Worker(WORKER_BOOTSTRAP, { eval: true, workerData, transferList: [port2], execArgv: [] });
      worker.unref();
      return { worker, slot, port: port1 };
    });
  }

  /** Synthesizes every stack of `job`; the results come in any order. */
  run(job: SynthesisJob): BatchResult[] {
    for (const { port } of this.workers) port.postMessage(job);
    const results: BatchResult[] = [];
    const failures: string[] = [];
    try {
      takeBatches(job, this.progress, (result) => results.push(result));
    } catch (error) {
      Atomics.store(this.progress, NEXT_BATCH, NO_MORE);
      failures.push(error instanceof Error ? error.message : String(error));
    }
    this.close();
    for (const { port } of this.workers) {
      for (let received = receiveMessageOnPort(port); received; received = receiveMessageOnPort(port)) {
        const message = received.message as WorkerMessage;
        if ('result' in message) results.push(message.result);
        else failures.push(message.failure);
      }
    }
    if (failures.length > 0) throw new Error(`synthesis stopped: ${failures.join('; ')}`);
    return results;
  }

  /** Cancels the workers that have not started work, and waits for the others to finish theirs. */
  close(): void {
    Atomics.store(this.progress, NEXT_BATCH, NO_MORE);
    for (const { worker, slot } of this.workers) {
      if (Atomics.compareExchange(this.progress, slot, WAITING, CANCELLED) === WAITING) void worker.terminate();
      while (Atomics.load(this.progress, slot) === RUNNING) Atomics.wait(this.progress, slot, RUNNING);
    }
  }
}

/** A worker thread's life: wait for the job, take batches until none is left, unless cancelled first. */
export function work({ progress, slot, port }: WorkerData): void {
  port.once('message', (job: SynthesisJob) => {
    if (Atomics.compareExchange(progress, slot, WAITING, RUNNING) !== WAITING) return;
    try {
      takeBatches(job, progress, (result) => port.postMessage({ result } satisfies WorkerMessage));
    } catch (error) {
      Atomics.store(progress, NEXT_BATCH, NO_MORE);
      port.postMessage({ failure: error instanceof Error ? error.message : String(error) } satisfies WorkerMessage);
    } finally {
      Atomics.store(progress, slot, DONE);
      Atomics.notify(progress, slot);
    }
  });
}

/** Takes batches off the shared queue and synthesizes them until none is left. */
function takeBatches(job: SynthesisJob, progress: Int32Array, report: (result: BatchResult) => void): void {
  const stacks = stackIds(job.plans).length;
  const batches = batchCount(stacks);
  for (let batch = Atomics.add(progress, NEXT_BATCH, 1); batch < batches; batch = Atomics.add(progress, NEXT_BATCH, 1)) {
    report(synthesizeBatch(job, batch * BATCH_SIZE, Math.min(stacks, (batch + 1) * BATCH_SIZE)));
  }
}

function batchCount(stacks: number): number {
  return Math.ceil(stacks / BATCH_SIZE);
}
