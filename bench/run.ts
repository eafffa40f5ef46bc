/**
 * `npm run bench [-- --quick] [-- --only=name,name] [-- --duration=SECONDS] [-- --markdown]`: runs each bench module in
 * turn, prints one figures table per module, then a goals table with PASS/MISS.
 * Figures only: nothing here is asserted by the test suite (timing belongs here, not in tests).
 * A full run takes about 3-4 minutes on 2 cores; --quick is a smoke run of about a minute.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { goalsTable, renderTable } from "./lib/table.js";
import type { BenchModule, Goal } from "./lib/types.js";

/** The modules, in the order they run: bench/<name>.ts, default export a BenchModule. Add yours here. */
const MODULES: string[] = ["heartbeat", "sweep", "monitor", "extra-agent", "push", "checkpoints", "perf-sample", "http", "detection", "postgres", "scale"];

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const quick = args.includes("--quick");
  const markdown = args.includes("--markdown");
  const only = args.find((a) => a.startsWith("--only="))?.slice(7).split(",");
  const duration = args.find((a) => a.startsWith("--duration="))?.slice(11);
  const durationS = duration === undefined ? undefined : Number(duration);
  if (durationS !== undefined && !(durationS > 0)) throw new Error(`--duration must be a number of seconds > 0, got ${duration}`);
  const started = Date.now();
  const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
  console.log(`bench ${quick ? "--quick " : ""}on ${new Date().toISOString()}, Node ${process.version}, ${cpus().length} cores, ` +
    `load average ${loadavg().map((x) => x.toFixed(2)).join(" ")}\n`);

  const goals: Goal[] = [];
  let failed = 0;
  for (const name of MODULES) {
    if (only && !only.includes(name)) continue;
    const tmpDir = mkdtempSync(join(tmpdir(), `bench-${name}-`));
    const t0 = Date.now();
    log(`${name}: running`);
    try {
      const mod = ((await import(`./${name}.js`)) as { default: BenchModule }).default;
      const res = await mod.run({ quick, durationS, tmpDir, log: (l) => log(`${name}: ${l}`) });
      for (const t of res.tables) console.log(renderTable(t, markdown));
      goals.push(...res.goals);
    } catch (e) {
      failed++;
      console.log(`== ${name}: FAILED: ${(e as Error)?.stack ?? String(e)}\n`);
      goals.push({ goal: `${name} bench ran`, target: "no error", measured: (e as Error)?.message ?? String(e), pass: false });
    } finally {
      rmSync(tmpDir, { recursive: true, force: true });
      log(`${name}: done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
  }
  console.log(renderTable(goalsTable(goals), markdown));
  console.log(`total ${((Date.now() - started) / 1000).toFixed(0)} s; load average now ${loadavg().map((x) => x.toFixed(2)).join(" ")}`);
  return failed ? 1 : 0;
}

main().then((code) => process.exit(code), (e: unknown) => {
  console.error(e);
  process.exit(1);
});
