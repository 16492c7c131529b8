/** Small helpers the tool needs in several places. */

/** The first item of each value of `key`, in order. */
export function uniqueBy<T, K extends keyof T>(items: T[], key: K): T[] {
  const seen = new Set<T[K]>();
  const unique: T[] = [];
  for (const item of items) {
    if (seen.has(item[key])) continue;
    seen.add(item[key]);
    unique.push(item);
  }
  return unique;
}

/**
 * What a run reads once and shares between the services that ask for it, by key: the caller reads it only when the
 * run has not (`known(key) ?? keep(key, read())`). A read that fails is forgotten, to be tried again.
 */
export class RunCache<K, V> {
  private readonly values = new Map<K, Promise<V>>();

  known(key: K): Promise<V> | undefined {
    return this.values.get(key);
  }

  keep(key: K, value: Promise<V>): Promise<V> {
    this.values.set(key, value);
    value.catch(() => {
      if (this.values.get(key) === value) this.values.delete(key);
    });
    return value;
  }

  forget(key: K): void {
    this.values.delete(key);
  }
}
