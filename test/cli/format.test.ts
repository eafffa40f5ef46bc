/** Unit tests of the CLI's output helpers: durations in and out, sizes, tables with untrusted text, colour switch. */
import { describe, expect, it } from "vitest";
import { colourEnabled, painter, visibleLength } from "../../src/cli/format/colour.js";
import { renderTable } from "../../src/cli/format/table.js";
import { formatAge, formatBytes, parseDuration } from "../../src/cli/format/units.js";

describe("parseDuration", () => {
  it.each([
    ["90s", 90_000], ["10m", 600_000], ["2h", 7_200_000], ["1d", 86_400_000], ["500ms", 500],
    ["1h30m", 5_400_000], ["1.5h", 5_400_000], ["30", 30_000], [" 2H ", 7_200_000], ["0", 0],
  ])("%s → %d ms", (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(["", "soon", "10 minutes", "-5m", "m10", "1y"])("rejects %j", (text) => expect(parseDuration(text)).toBeUndefined());
});

describe("formatting", () => {
  it("ages and sizes", () => {
    expect(formatAge(400)).toBe("just now");
    expect(formatAge(65_000)).toBe("1m 5s ago");
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(3 * 1024 * 1024)).toBe("3.0 MB");
  });

  it("renders a table whose cells cannot break lines or move the cursor, with colour-safe widths", () => {
    const paint = painter(true);
    const rows = [{ n: "a\nb\u001b[2J", s: paint("green", "Active") }, { n: "long-name", s: "x" }];
    const out = renderTable(rows, [{ header: "NAME", value: (r) => r.n }, { header: "STATE", value: (r) => r.s }]);
    const lines = out.split("\n");
    expect(lines).toHaveLength(3);
    expect(out).not.toContain("\u001b[2J");
    expect(lines[1]).toContain("\u001b[32mActive\u001b[0m"); // our own colour kept
    expect(visibleLength(lines[0]!.slice(0, lines[0]!.indexOf("STATE")))).toBe("long-name  ".length);
  });

  it("colours only a TTY, never with NO_COLOR, always with FORCE_COLOR", () => {
    expect(colourEnabled({ isTTY: true }, {})).toBe(true);
    expect(colourEnabled({ isTTY: false }, {})).toBe(false);
    expect(colourEnabled({ isTTY: true }, { NO_COLOR: "1" })).toBe(false);
    expect(colourEnabled({ isTTY: false }, { FORCE_COLOR: "1" })).toBe(true);
  });
});
