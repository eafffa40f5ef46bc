/**
 * A big batch written as transactions of at most `size` rows, with a turn of the event loop between
 * them. better-sqlite3 is synchronous: one transaction of 5,000 heartbeats at 100k agents holds the
 * event loop for ~250 ms, and every request that arrives meanwhile (the dashboard's reads) waits
 * for all of it; between chunks they are answered (npm run bench -- --only=scale).
 */
export const yieldToIo = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Rows per transaction: about 5 ms of heartbeats at 100k agents, still large enough to amortise a commit. */
export const WRITE_CHUNK_ROWS = 128;

export async function writeInChunks<T, R>(items: readonly T[], size: number, write: (chunk: T[]) => Promise<R[]>): Promise<R[]> {
  if (items.length <= size) return write(items as T[]);
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) {
    if (i > 0) await yieldToIo();
    out.push(...(await write(items.slice(i, i + size))));
  }
  return out;
}
