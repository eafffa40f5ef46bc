/**
 * A load generator for bench/scale.ts, in its own process: agents `scale-<from>` .. `scale-<to - 1>`
 * each heartbeat once per `intervalMs`, spread evenly over the interval (open loop: the schedule
 * does not wait for the server; a late server shows as latency and as fewer heartbeats achieved).
 * mode "single": one POST /api/agents/:name/heartbeat per heartbeat over `connections` keep-alive
 * sockets (bench/lib/raw-http.ts: a client cheap enough not to be the bottleneck). mode "batch": `gateways` relays, each owning a share of the agents, send one
 * POST /api/heartbeats per second with the heartbeats due in it.
 * Accepted = 202s (single) or items reported ok (batch); every request's latency is kept.
 * IPC: { type: "go", durationMs } → runs → { type: "result", ... }.
 */
import { RawHttpPool } from "../lib/raw-http.js";

export interface LoadSpec {
  mode: "single" | "batch";
  port: number;
  from: number;
  to: number;
  intervalMs: number;
  connections: number;
  gateways: number;
}

export interface LoadResult {
  type: "result";
  mode: LoadSpec["mode"];
  requests: number;
  accepted: number;
  /** Accepted with the answer back before the window ended (the rest were in flight at its end). */
  acceptedInWindow: number;
  refused: number;
  errors: number;
  /** ms, ascending */
  latencies: number[];
  /** Heartbeats scheduled in the window (all, answered or not). */
  offered: number;
  wallMs: number;
  /** Most requests waiting for a free connection at once (the client-side backlog). */
  maxBacklog: number;
}

const spec = JSON.parse(process.env.SCALE_LOAD!) as LoadSpec;
const TICK_MS = spec.mode === "single" ? 20 : 1000;
const pool = new RawHttpPool(spec.port, spec.connections);
const post = (path: string, body: string) => pool.post(path, body).then((a) => ({ status: a.status, text: a.body }));

async function run(durationMs: number): Promise<LoadResult> {
  const agents = spec.to - spec.from;
  const slots = Math.round(spec.intervalMs / TICK_MS);
  const lat: number[] = [];
  const inflight = new Set<Promise<void>>();
  let requests = 0, accepted = 0, acceptedInWindow = 0, refused = 0, errors = 0, offered = 0;
  let windowEnd = Infinity;
  let maxBacklog = 0;
  const count = (n: number) => {
    accepted += n;
    if (performance.now() <= windowEnd) acceptedInWindow += n;
  };
  const track = (p: Promise<void>) => {
    inflight.add(p);
    void p.finally(() => inflight.delete(p));
  };
  const single = (i: number) => {
    const t = performance.now();
    requests++;
    track(post(`/api/agents/scale-${i}/heartbeat`, `{"pid":${1000 + (i % 30000)}}`).then((r) => {
      lat.push(performance.now() - t);
      if (r.status === 202) count(1);
      else refused++;
    }, () => void errors++));
  };
  const batch = (names: number[]) => {
    const t = performance.now();
    requests++;
    const body = JSON.stringify({ heartbeats: names.map((i) => ({ name: `scale-${i}`, pid: 1000 + (i % 30000) })) });
    track(post("/api/heartbeats", body).then((r) => {
      lat.push(performance.now() - t);
      if (r.status !== 202) return void (refused += names.length);
      const stored = (JSON.parse(r.text) as { stored: number }).stored;
      count(stored);
      refused += names.length - stored;
    }, () => void (errors += names.length)));
  };

  const t0 = performance.now();
  windowEnd = t0 + durationMs;
  for (let tick = 0; tick * TICK_MS < durationMs; tick++) {
    const due = t0 + tick * TICK_MS;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const slot = tick % slots;
    // the agents whose turn is this slot of the interval: every `slots`-th one
    const names: number[] = [];
    for (let k = slot; k < agents; k += slots) names.push(spec.from + k);
    offered += names.length;
    if (spec.mode === "single") names.forEach(single);
    else {
      const per = Math.ceil(names.length / spec.gateways);
      for (let g = 0; g < spec.gateways; g++) if (g * per < names.length) batch(names.slice(g * per, (g + 1) * per));
    }
    maxBacklog = Math.max(maxBacklog, pool.backlog);
  }
  const wallMs = performance.now() - t0;
  while (inflight.size > 0) await Promise.allSettled([...inflight]);
  pool.close();
  return { type: "result", mode: spec.mode, requests, accepted, acceptedInWindow, refused, errors, latencies: lat.sort((a, b) => a - b), offered, wallMs, maxBacklog };
}

process.on("message", (m: { type: string; durationMs: number }) => {
  // stays up after answering, so the bench can still read its CPU time; SIGTERM ends it
  if (m.type === "go") void run(m.durationMs).then((r) => process.send!(r));
});
process.send!({ type: "ready" });
