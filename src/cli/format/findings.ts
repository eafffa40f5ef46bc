/** Renders diagnostic findings: one status tag and title per finding, then its items and what to do. */
import type { Finding, FindingStatus, Verdict } from "../../diagnostics/index.js";
import type { Colour, Paint } from "./colour.js";
import { oneLine } from "./table.js";

const TAGS: Record<FindingStatus, [string, Colour]> = {
  ok: ["[ ok ]", "green"],
  info: ["[info]", "cyan"],
  warn: ["[WARN]", "yellow"],
  fail: ["[FAIL]", "red"],
  skip: ["[skip]", "grey"],
};

export function renderFindings(findings: readonly Finding[], paint: Paint): string {
  const out: string[] = [];
  for (const f of findings) {
    const [tag, colour] = TAGS[f.status];
    out.push(`${paint(colour, tag)} ${paint("bold", f.title)}: ${oneLine(f.detail)}`);
    for (const item of f.items ?? []) out.push(`         - ${oneLine(item)}`);
    if (f.fix?.length && (f.status === "fail" || f.status === "warn")) {
      out.push(`         what to do:`);
      for (const step of f.fix) out.push(`           ${paint("cyan", "→")} ${oneLine(step)}`);
    }
  }
  return out.join("\n");
}

export function renderVerdict(verdict: Verdict, findings: readonly Finding[], paint: Paint): string {
  const fails = findings.filter((f) => f.status === "fail").length;
  const warns = findings.filter((f) => f.status === "warn").length;
  if (verdict === "ok") return paint("green", "Verdict: OK, no problems found.");
  const text = `${fails} problem(s), ${warns} warning(s)`;
  return verdict === "fail" ? paint("red", `Verdict: PROBLEMS FOUND: ${text}.`) : paint("yellow", `Verdict: OK with warnings: ${text}.`);
}
