import * as z from 'zod';

/**
 * When to try an OVH API call again: exponential backoff with full jitter, so that runs started together
 * (CI, several Terraform provisioners) do not hit a rate limit in step.
 */
export interface RetryPolicy {
  /** Attempts in all, the first one included. */
  attempts: number;
  /** The ceiling of the first wait; it doubles after each failure, up to `maxDelayMs`. */
  firstDelayMs: number;
  maxDelayMs: number;
  /** How long one attempt may take before it counts as a timeout. */
  timeoutMs: number;
  /**
   * How the waits pass: the backoff between attempts, each attempt's deadline, and the wait for another run's lock.
   * @default REAL_TIME
   */
  timers?: Timers;
}

/**
 * The clock of the waits: real time, unless a caller passes its own. The tests pass one where a deadline passes when
 * the OVH API stand-in decides not to answer a call, so that no test races the machine's speed.
 */
export interface Timers {
  /** Resolves after `ms`. */
  sleep(ms: number): Promise<void>;
  /** Settles as `work`, or rejects with DeadlineExceeded once `call` (`METHOD /path`) has had no answer for `ms`. */
  deadline<T>(work: PromiseLike<T>, ms: number, call: string): Promise<T>;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, firstDelayMs: 500, maxDelayMs: 8000, timeoutMs: 30000 };

const Setting = (name: string, min: number, max: number) =>
  z.coerce
    .number({ error: `environment variable ${name}: expected a number` })
    .min(min, { error: `environment variable ${name}: at least ${min}` })
    .max(max, { error: `environment variable ${name}: at most ${max}` })
    .optional();
const Environment = z.object({
  /** Seconds one attempt may take before it counts as lost. */
  OVH_IAC_API_TIMEOUT: Setting('OVH_IAC_API_TIMEOUT', 0.1, 600),
  /** Attempts in all for a call that may be repeated. */
  OVH_IAC_API_ATTEMPTS: Setting('OVH_IAC_API_ATTEMPTS', 1, 20),
});

/** The default policy, with the deadline and the attempts the environment sets, if it does. */
export function retryFromEnv(env: NodeJS.ProcessEnv): RetryPolicy {
  const blank = (value: string | undefined) => (value?.trim() ? value : undefined);
  const parsed = Environment.safeParse({
    OVH_IAC_API_TIMEOUT: blank(env.OVH_IAC_API_TIMEOUT),
    OVH_IAC_API_ATTEMPTS: blank(env.OVH_IAC_API_ATTEMPTS),
  });
  if (!parsed.success) throw new Error(parsed.error.issues[0].message);
  const { OVH_IAC_API_TIMEOUT: seconds, OVH_IAC_API_ATTEMPTS: attempts } = parsed.data;
  return {
    ...DEFAULT_RETRY,
    ...(seconds !== undefined ? { timeoutMs: Math.round(seconds * 1000) } : {}),
    ...(attempts !== undefined ? { attempts: Math.round(attempts) } : {}),
  };
}

/** The wait before attempt `failures + 1`: a random share of the exponential ceiling. */
export function backoffDelay(policy: RetryPolicy, failures: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** (failures - 1));
  return Math.round(random() * ceiling);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export class DeadlineExceeded extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
  }
}

/**
 * Settles with `work`, or rejects with DeadlineExceeded after `ms`. node-ovh's own `timeout` option is not used:
 * it adds a listener to every reused keep-alive socket, which Node reports as a leak after ten calls.
 */
function withDeadline<T>(work: PromiseLike<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceeded(ms)), ms);
  });
  const settled = Promise.resolve(work);
  // The late outcome of an abandoned attempt is nobody's business: keep it from being reported as unhandled.
  settled.catch(() => undefined);
  return Promise.race([settled, deadline]).finally(() => clearTimeout(timer));
}

export const REAL_TIME: Timers = { sleep, deadline: (work, ms) => withDeadline(work, ms) };

/** The clock of `policy`'s waits. */
export function timersOf(policy: RetryPolicy): Timers {
  return policy.timers ?? REAL_TIME;
}
