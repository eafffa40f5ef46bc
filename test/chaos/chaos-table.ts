/**
 * The chaos suite's report: each fault is run by `fault()` (a real assertion: it throws when the
 * expectation fails) and gets a row: fault, what was expected, what happened, time to recover.
 * `printTable()` prints them all (afterAll), failed ones included.
 */
export interface ChaosRow {
  fault: string;
  expected: string;
  happened: string;
  recoverMs?: number;
}

const rows: ChaosRow[] = [];

/** Runs `run`, which returns what happened and (optionally) the time to recover; records the row. */
export async function fault(name: string, expected: string, run: () => Promise<{ happened: string; recoverMs?: number }>): Promise<void> {
  try {
    const r = await run();
    rows.push({ fault: name, expected, ...r });
  } catch (e) {
    rows.push({ fault: name, expected, happened: `FAILED: ${String((e as Error)?.message ?? e).split("\n")[0]!.slice(0, 160)}` });
    throw e;
  }
}

export function printTable(): void {
  const cells = [["fault", "expected", "what happened", "recover"], ...rows.map((r) => [r.fault, r.expected, r.happened, r.recoverMs === undefined ? "-" : `${(r.recoverMs / 1000).toFixed(1)} s`])];
  const widths = cells[0]!.map((_, i) => Math.min(70, Math.max(...cells.map((c) => c[i]!.length))));
  const line = (c: string[]) => "| " + c.map((x, i) => x.padEnd(widths[i]!)).join(" | ") + " |";
  console.log(["", line(cells[0]!), "|" + widths.map((w) => "-".repeat(w + 2)).join("|") + "|", ...cells.slice(1).map(line)].join("\n"));
}
