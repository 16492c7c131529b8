/** Small list helpers the tool needs in several places (Map.groupBy only arrives with Node 21). */

/** Items grouped by key, groups and items in their first order. */
export function groupBy<T, K>(items: T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

/** The first item of each key, in order. */
export function uniqueBy<T, K>(items: T[], key: (item: T) => K): T[] {
  return [...groupBy(items, key).values()].map((group) => group[0]);
}

/**
 * The promise `cache` holds for `key`, else the one `load` makes, kept until it fails: what a run reads once and shares
 * between the services that ask for it.
 */
export function cached<K, V>(cache: Map<K, Promise<V>>, key: K, load: () => Promise<V>): Promise<V> {
  let value = cache.get(key);
  if (!value) {
    value = load();
    value.catch(() => cache.delete(key));
    cache.set(key, value);
  }
  return value;
}
