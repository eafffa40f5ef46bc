/** Prints figure tables as aligned text (and as Markdown, for pasting into the README). */
import type { FigureTable, Goal } from "./types.js";

export function renderTable(t: FigureTable, markdown = false): string {
  const cells = [t.columns, ...t.rows.map((r) => r.map(String))];
  const widths = t.columns.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) =>
    markdown
      ? `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`
      : r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  const out = [markdown ? `**${t.title}**` : `== ${t.title}`, ""];
  out.push(line(t.columns));
  out.push(markdown ? `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|` : widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of cells.slice(1)) out.push(line(r));
  for (const n of t.notes ?? []) out.push(markdown ? `\n${n}` : `  note: ${n}`);
  return out.join("\n") + "\n";
}

export function goalsTable(goals: Goal[]): FigureTable {
  return {
    title: "Goals (ratios against the baseline measured in this same run)",
    columns: ["goal", "target", "measured", "result"],
    rows: goals.map((g) => [g.goal, g.target, g.measured, g.pass ? "PASS" : "MISS"]),
  };
}
