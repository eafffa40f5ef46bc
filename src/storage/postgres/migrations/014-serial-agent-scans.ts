/**
 * Migration 14: no parallel workers for scans of agents. The stale sweep and the dashboard's totals
 * read every row; PostgreSQL planned them as a parallel scan with two workers, which at 100k
 * agents is three processes' CPU for a fifth less wall time on an idle server, and on a busy one
 * (the heartbeats of the whole fleet share those cores) a slower sweep (docs/performance.md).
 */
export default (s: string) => `
  ALTER TABLE ${s}.agents SET (parallel_workers = 0);
`;
