/** Plain-text tables for the CLI: left-aligned columns, two spaces apart, colour-safe widths. */
import { visibleLength } from "./colour.js";

export interface Column<T> {
  header: string;
  value: (row: T) => string;
  /** Cut longer cells to this many characters (with "…"). */
  max?: number;
  align?: "left" | "right";
}

/** One line per row, after a header line. Control characters in cells are shown as spaces. */
export function renderTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const cells = rows.map((r) => columns.map((c) => clip(oneLine(c.value(r)), c.max)));
  const widths = columns.map((c, i) => Math.max(visibleLength(c.header), ...cells.map((row) => visibleLength(row[i]!))));
  const line = (vals: string[]) =>
    vals
      .map((v, i) => {
        const pad = " ".repeat(widths[i]! - visibleLength(v));
        return columns[i]!.align === "right" ? pad + v : i === vals.length - 1 ? v : v + pad;
      })
      .join("  ");
  return [line(columns.map((c) => c.header)), ...cells.map(line)].join("\n");
}

/** Untrusted text (agent names, error messages) must not move the cursor or break the table. */
export function oneLine(s: string): string {
  // keep colour escapes we add ourselves (ESC [ ... m), replace every other control character
  return s.replace(/\u001b(?!\[[0-9;]*m)|[\u0000-\u001a\u001c-\u001f\u007f]/g, " ");
}

function clip(s: string, max?: number): string {
  if (max === undefined || visibleLength(s) <= max) return s;
  return [...s].slice(0, max - 1).join("") + "…";
}
