/**
 * `new Date(ms).toISOString()`, about 4x faster for a list of agents: their timestamps fall on a few
 * days, so the date part is cached per day and only the time of day is formatted. A 10k-agent
 * `GET /api/agents` formats 40k+ timestamps; toISOString was a third of its time.
 */
const DAY_MS = 86_400_000;
const dayPrefix = new Map<number, string>();

const pad2 = (n: number) => (n < 10 ? "0" : "") + n;
const pad3 = (n: number) => (n < 10 ? "00" : n < 100 ? "0" : "") + n;

export function isoTime(ms: number): string {
  // fractions, NaN and times past the Date range (those throw) go the slow way
  if (!Number.isInteger(ms) || Math.abs(ms) >= 8.64e15) return new Date(ms).toISOString();
  const day = Math.floor(ms / DAY_MS);
  let prefix = dayPrefix.get(day);
  if (prefix === undefined) {
    const full = new Date(day * DAY_MS).toISOString();
    prefix = full.slice(0, full.indexOf("T") + 1);
    if (dayPrefix.size >= 4096) dayPrefix.clear();
    dayPrefix.set(day, prefix);
  }
  let t = ms - day * DAY_MS;
  const h = Math.floor(t / 3_600_000);
  t -= h * 3_600_000;
  const m = Math.floor(t / 60_000);
  t -= m * 60_000;
  const s = Math.floor(t / 1000);
  return `${prefix}${pad2(h)}:${pad2(m)}:${pad2(s)}.${pad3(t - s * 1000)}Z`;
}
