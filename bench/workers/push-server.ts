/**
 * A push-route server for bench/push.ts and bench/scale.ts, in its own process: PUSH_SERVER=ours
 * runs our dashboard/API server over the store openStore picks (SQLite at PUSH_DB, or PostgreSQL
 * when PUSH_ENV sets DATABASE_URL; PUSH_ENV is JSON of more settings); PUSH_SERVER=bare is the
 * baseline, a bare fastify with one better-sqlite3 upsert per request. Sends { port } over IPC
 * once listening; SIGTERM closes it.
 */
import Database from "better-sqlite3";
import Fastify from "fastify";
import { join } from "node:path";
import winston from "winston";
import { loadConfig } from "../../src/config/index.js";
import { startServer } from "../../src/http/index.js";
import { openStore } from "../../src/storage/index.js";

const path = process.env.PUSH_DB!;

async function bare(): Promise<{ port: number; close(): Promise<void> }> {
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.exec("CREATE TABLE IF NOT EXISTS agents (name TEXT PRIMARY KEY, last_heartbeat INTEGER, heartbeats INTEGER, pid INTEGER)");
  const upsert = db.prepare(`INSERT INTO agents (name, last_heartbeat, heartbeats, pid) VALUES (?, ?, 1, ?)
    ON CONFLICT (name) DO UPDATE SET last_heartbeat = excluded.last_heartbeat, heartbeats = heartbeats + 1, pid = excluded.pid`);
  const app = Fastify({ logger: false });
  app.post<{ Params: { name: string }; Body: { pid?: number } }>("/api/agents/:name/heartbeat", async (req, reply) => {
    upsert.run(req.params.name, Date.now(), req.body?.pid ?? null);
    return reply.code(202).send({ ok: true });
  });
  await app.listen({ port: 0, host: "127.0.0.1" });
  return { port: (app.server.address() as { port: number }).port, close: async () => { await app.close(); db.close(); } };
}

async function ours(): Promise<{ port: number; close(): Promise<void> }> {
  const extra = JSON.parse(process.env.PUSH_ENV ?? "{}") as Record<string, string>;
  const config = loadConfig({ DATABASE_PATH: path, LOG_DIR: join(path, "..", "logs"), DASHBOARD_PORT: "0", ...extra });
  const store = await openStore(config, { answersRequests: true });
  const logger = winston.createLogger({ transports: [new winston.transports.Console({ silent: true })] });
  const server = await startServer({ store, config, logger, sampleIntervalMs: Number(process.env.PUSH_SAMPLE_MS ?? 5000) });
  return { port: Number(new URL(server.url).port), close: async () => { await server.close(); await store.close(); } };
}

const running = await (process.env.PUSH_SERVER === "bare" ? bare() : ours());
process.send!({ port: running.port });
process.once("SIGTERM", () => void running.close().then(() => process.exit(0)));
