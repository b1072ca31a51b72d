/**
 * A Map that counts its writes, so a cache derived from it (the tokenizer's word lookup table)
 * knows when it is stale even if the caller edits the map in place.
 */
export class VersionedMap<K, V> extends Map<K, V> {
  version = 0;

  override set(key: K, value: V): this {
    this.version++;
    return super.set(key, value);
  }

  override delete(key: K): boolean {
    this.version++;
    return super.delete(key);
  }

  override clear(): void {
    this.version++;
    super.clear();
  }

  static from<K, V>(entries: Iterable<readonly [K, V]>): VersionedMap<K, V> {
    const map = new VersionedMap<K, V>();
    for (const [k, v] of entries) map.set(k, v);
    return map;
  }
}
