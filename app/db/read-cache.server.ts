// Results of reads that many requests share (a search result page, the
// replies of a thread page as the public sees them), kept until the next
// committed write anywhere in the database: from this process or another,
// any commit moves dataVersion() and empties the cache, so a kept result is
// never older than the last committed write. Coarse on purpose: it is always
// right, whatever the write was (a vote, an edit, a renamed member or tag).
import { dataVersion } from "./client.server";

/**
 * A cache of `size` entries, least recently used leaving first. The version
 * is read before the value, so a value kept is at least as new as its
 * version; one read while the version moved on is returned, not kept.
 */
export function readCache<T>(size: number) {
  const entries = new Map<string, T>();
  let version: string | null = null;
  return async function cached(key: string, read: () => Promise<T>): Promise<T> {
    const now = await dataVersion();
    if (now !== version) {
      entries.clear();
      version = now;
    }
    const hit = entries.get(key);
    if (hit !== undefined) {
      entries.delete(key); // most recently used last
      entries.set(key, hit);
      return hit;
    }
    const value = await read();
    if (version === now) {
      if (entries.size >= size) entries.delete(entries.keys().next().value as string);
      entries.set(key, value);
    }
    return value;
  };
}
