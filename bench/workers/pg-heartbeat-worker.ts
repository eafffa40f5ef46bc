/**
 * One heartbeat writer process for bench/postgres.ts (forked with IPC).
 * "ours": PgStore.updateHeartbeat in a tight loop. "baseline": one plain pg Client running the
 * same UPDATE statement (as a prepared statement, autocommit). "batch100": the baseline sending
 * 100 heartbeats per `UPDATE ... FROM unnest($1::text[])` (what batching would buy).
 * Protocol: open → ready; go → result (count, errors by name, per-call latencies in ms).
 */
import pg from "pg";
import { PgStore } from "../../src/storage/postgres/index.js";
import { heartbeatValues } from "../../src/storage/postgres/rows.js";
import { statements } from "../../src/storage/postgres/statements.js";

export type PgWorkerMode = "ours" | "baseline" | "batch100";
export type ToPgWorker =
  | { type: "open"; mode: PgWorkerMode; url: string; names: string[] }
  | { type: "go"; durationMs: number };
export type FromPgWorker =
  | { type: "ready" }
  | { type: "result"; count: number; errors: Record<string, number>; latencies: number[]; elapsedMs: number }
  | { type: "failed"; message: string };

/** One call: resolves with the heartbeats it wrote. */
let beat: (() => Promise<number>) | undefined;
let close: (() => Promise<void>) | undefined;
const send = (m: FromPgWorker) => process.send!(m);

async function open(m: Extract<ToPgWorker, { type: "open" }>): Promise<void> {
  const name = m.names[0]!;
  if (m.mode === "ours") {
    const store = await PgStore.open({ url: m.url, poolSize: 1 });
    beat = async () => (await store.updateHeartbeat(name), 1);
    close = () => store.close();
    return;
  }
  const client = new pg.Client({ connectionString: m.url });
  await client.connect();
  close = () => client.end();
  if (m.mode === "baseline") {
    const q = { name: "hb", text: statements('"bg_agents"').heartbeat, values: [name, null, ...heartbeatValues()] };
    beat = async () => (await client.query(q)).rowCount ?? 0;
  } else {
    const text = `UPDATE bg_agents.agents a SET last_heartbeat = bg_agents.now_ms(), heartbeats = heartbeats + 1
      FROM unnest($1::text[]) AS u(n) WHERE a.name = u.n AND a.state NOT IN ('stale','stopped','failed')`;
    const q = { name: "hb100", text, values: [m.names] };
    beat = async () => (await client.query(q)).rowCount ?? 0;
  }
}

async function go(durationMs: number): Promise<void> {
  const latencies: number[] = [];
  const errors: Record<string, number> = {};
  let count = 0;
  const t0 = performance.now();
  const end = t0 + durationMs;
  for (let now = t0; now < end; ) {
    try {
      count += await beat!();
    } catch (e) {
      const key = `${(e as Error).name}${(e as { code?: string }).code ? ":" + (e as { code?: string }).code : ""}`;
      errors[key] = (errors[key] ?? 0) + 1;
    }
    const after = performance.now();
    latencies.push(after - now);
    now = after;
  }
  const elapsedMs = performance.now() - t0;
  await close?.();
  send({ type: "result", count, errors, latencies, elapsedMs });
}

process.on("message", (m: ToPgWorker) => {
  const job = m.type === "open" ? open(m).then(() => send({ type: "ready" })) : go(m.durationMs);
  job.catch((e: unknown) => send({ type: "failed", message: (e as Error)?.stack ?? String(e) }));
});
