/**
 * The dashboard's reads for bench/scale.ts, in a process of their own over one keep-alive
 * connection (as a browser tab is): the summary and the first page (50 rows), one after the other
 * every READ_EVERY_MS, each timed; a
 * failed read is counted, never thrown. IPC: { type: "go" } → reads until { type: "stop" } →
 * { type: "reads", summary, page, failed } (ms, ascending).
 */
import { Agent, request } from "node:http";

const port = Number(process.env.SCALE_READ_PORT);
const everyMs = Number(process.env.SCALE_READ_EVERY_MS ?? 200);
let stopping = false;
// one keep-alive connection, as a browser's dashboard tab has
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

function get(path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    request({ host: "127.0.0.1", port, path, agent }, (res) => {
      res.resume();
      res.once("end", () => (res.statusCode === 200 ? resolve(performance.now() - t) : reject(new Error(`GET ${path}: ${res.statusCode}`))));
    }).once("error", reject).end();
  });
}

async function readLoop() {
  const summary: number[] = [];
  const page: number[] = [];
  let failed = 0;
  const read = (path: string, into: number[]) => get(path).then((ms) => void into.push(ms), () => void failed++);
  while (!stopping) {
    const t = performance.now();
    await read("/api/summary", summary);
    await read("/api/agents?sort=name&order=asc&offset=0&limit=50", page);
    await new Promise((r) => setTimeout(r, Math.max(0, everyMs - (performance.now() - t))));
  }
  const asc = (xs: number[]) => xs.sort((a, b) => a - b);
  process.send!({ type: "reads", summary: asc(summary), page: asc(page), failed });
}

process.on("message", (m: { type: string }) => {
  if (m.type === "go") void readLoop();
  if (m.type === "stop") stopping = true;
});
process.send!({ type: "ready" });
