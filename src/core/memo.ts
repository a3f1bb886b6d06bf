/**
 * `compute` remembered for up to `limit` keys, then forgotten all at once: for values that recur in a stream of
 * millions of rows (a platform's verdict, an address's key, a description's vagueness), where a miss costs far more
 * than a look-up, while a file of only distinct values must keep memory flat.
 */
export function boundedMemo<K, V>(limit: number, compute: (key: K) => V): (key: K) => V {
  const cache = new Map<K, V>();
  return (key) => {
    let value = cache.get(key);
    if (value === undefined && !cache.has(key)) {
      value = compute(key);
      if (cache.size >= limit) cache.clear();
      cache.set(key, value);
    }
    return value as V;
  };
}
