/**
 * The fleet's resource totals summed by ranges of rowids with a turn of the event loop between
 * them: one scan of 100k agents held it for ~28 ms every sample. Rows that change meanwhile are
 * summed as each range found them.
 */
import type { ResourceTotals } from "../types.js";
import { yieldToIo } from "./chunked-write.js";
import type { Statements } from "./statements.js";

/** Rows summed per range (about 2 ms at 100k agents). */
const RANGE_ROWS = 8192;

export async function sumResourceTotals(stmts: Statements): Promise<ResourceTotals> {
  const totals: ResourceTotals = { agents: 0, rssBytes: 0, cpuPercent: 0 };
  const last = stmts.maxRowid.get() as number;
  for (let from = 0; from <= last; from += RANGE_ROWS) {
    if (from > 0) await yieldToIo();
    const r = stmts.resourceTotals.get({ from, to: from + RANGE_ROWS }) as ResourceTotals;
    totals.agents += r.agents;
    totals.rssBytes += r.rssBytes;
    totals.cpuPercent += r.cpuPercent;
  }
  return totals;
}
