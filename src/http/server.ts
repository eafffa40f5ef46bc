/**
 * The dashboard/API server (fastify): `startServer({ store, config, logger })` binds
 * DASHBOARD_HOST:DASHBOARD_PORT (127.0.0.1:8501 by default), refuses a non-loopback address
 * without API_TOKEN, and returns its URL and a `close()`. Routes live in ./routes.
 */
import Fastify, { type FastifyInstance } from "fastify";
import type { IncomingMessage, ServerResponse } from "node:http";
import { systemClock, type Clock } from "../clock/index.js";
import type { Config } from "../config/index.js";
import { PortInUseError } from "../errors/index.js";
import { watcherFromConfig, type LangGraphWatcher } from "../langgraph-watch/index.js";
import type { Logger } from "../logging/index.js";
import type { StateStore } from "../storage/index.js";
import type { ServerContext } from "./context.js";
import { installErrorHandler } from "./errors.js";
import { LiveUpdates } from "./live-updates.js";
import { createMetrics } from "./metrics.js";
import { PerfSampler } from "./perf-sampler.js";
import { assertPingKeyBind } from "./ping/ping-key.js";
import { ROUTES } from "./routes/index.js";
import { fastPush } from "./fast-push.js";
import { assertSafeBind, foreignHostJudge, isLoopbackHost, originHook, tokenCheck, tokenHook } from "./safety.js";

export interface StartServerOptions {
  store: StateStore;
  config: Config;
  logger: Logger;
  clock?: Clock;
  /** Override config.dashboardHost / dashboardPort (0 = any free port). */
  host?: string;
  port?: number;
  /** The agent /healthz watches. @defaultValue config.agentName */
  monitorName?: string;
  /** How often live updates look for changes. @defaultValue 1000 */
  livePollMs?: number;
  /** Shortest time between two polls asked for by writes (pushes, restarts). @defaultValue 250 */
  liveNudgeGapMs?: number;
  /** How often the performance panel samples. @defaultValue the heartbeat interval, within 1-10 s */
  sampleIntervalMs?: number;
  /** Largest request body accepted, in bytes. @defaultValue 16384 */
  bodyLimit?: number;
  /** The LangGraph server watcher. @defaultValue one from LANGGRAPH_API_URL (none when unset) */
  langgraph?: LangGraphWatcher;
  /** Answer single pushes before fastify routes them (./fast-push.ts); false sends every request through fastify. @defaultValue true */
  fastPush?: boolean;
}

export interface RunningServer {
  /** e.g. "http://127.0.0.1:8501" */
  url: string;
  host: string;
  port: number;
  app: FastifyInstance;
  /** Pushes the fast path has taken so far (0 when it is off). */
  fastPushes(): number;
  close(): Promise<void>;
}

export async function startServer(opts: StartServerOptions): Promise<RunningServer> {
  const host = opts.host ?? opts.config.dashboardHost;
  const port = opts.port ?? opts.config.dashboardPort;
  assertSafeBind(host, opts.config.apiToken);
  assertPingKeyBind(host, opts.config.pingKey);
  const clock = opts.clock ?? systemClock;
  const logger = opts.logger.child({ module: "http" });
  const bodyLimit = opts.bodyLimit ?? 16 * 1024;
  const monitorName = opts.monitorName ?? opts.config.agentName;

  const metrics = createMetrics(opts.store, clock, monitorName, opts.config.lateAfterMs, opts.config);
  const perf = new PerfSampler({
    store: opts.store, clock, logger,
    intervalMs: opts.sampleIntervalMs ?? Math.min(10_000, Math.max(1000, opts.config.heartbeatIntervalMs)),
    onSample: (s) => metrics.observeSample(s),
  });
  const live = new LiveUpdates(opts.store, logger, opts.livePollMs ?? 1000, opts.liveNudgeGapMs ?? 250);
  const ctx: ServerContext = {
    store: opts.store, config: opts.config, logger, clock, monitorName, live, perf, metrics,
    requireToken: tokenHook(opts.config.apiToken),
    langgraph: opts.langgraph ?? watcherFromConfig(opts.config, logger),
  };

  const app = Fastify({ logger: false, bodyLimit, routerOptions: { maxParamLength: 1024 }, forceCloseConnections: true });
  installErrorHandler(app, logger, bodyLimit);
  app.removeContentTypeParser("text/plain"); // only JSON bodies; anything else is 415
  // The fast push path answers before these hooks run and mirrors them (fast-push.ts `takes`):
  // a hook added here that may refuse a request needs its check there too.
  const foreignHostIn = foreignHostJudge(isLoopbackHost(host));
  app.addHook("onRequest", originHook(foreignHostIn));
  let closing = false;
  app.addHook("preClose", (done) => {
    closing = true; // fastify answers 503 from here on, and the fast path leaves every request to it
    done();
  });
  const fast = opts.fastPush === false ? undefined
    : fastPush({ ctx, bodyLimit, foreignHostIn, carriesToken: tokenCheck(opts.config.apiToken), isClosing: () => closing });
  if (fast) inFrontOfFastify(app, (req, res) => fast.take(req, res));
  // callback-style hooks: no promise per request; the debug line is built only when it is logged
  app.addHook("onResponse", (req, reply, done) => {
    metrics.observeRequest(req.method, req.routeOptions.url ?? "unknown", reply.statusCode, reply.elapsedTime / 1000);
    if (logger.isDebugEnabled()) logger.debug(`${req.method} ${req.url} ${reply.statusCode} ${reply.elapsedTime.toFixed(1)}ms`);
    done();
  });
  app.addHook("onSend", (_req, reply, payload, done) => {
    reply.header("x-content-type-options", "nosniff");
    done(null, payload);
  });
  for (const plugin of ROUTES) await plugin(app, ctx);

  try {
    await app.listen({ host, port });
  } catch (e) {
    await app.close();
    throw (e as NodeJS.ErrnoException).code === "EADDRINUSE" ? new PortInUseError(host, port, e) : e;
  }
  perf.start();
  const addr = app.server.address();
  const boundPort = typeof addr === "object" && addr ? addr.port : port;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${boundPort}`;
  logger.info(`dashboard listening on ${url}${opts.config.apiToken ? " (API token required for changes)" : ""}`);

  let closed: Promise<void> | undefined;
  return {
    url, host, port: boundPort, app,
    fastPushes: () => fast?.taken() ?? 0,
    close() {
      closed ??= (async () => {
        perf.stop();
        live.close();
        await app.close();
      })();
      return closed;
    },
  };
}

/**
 * `handler` sees each request of the main server first; what it does not answer goes on to
 * fastify's routing. fastify's own server (not a serverFactory one) keeps every fastify default:
 * its timeouts, and the second address of a name such as localhost (whose server fastify builds
 * later with its own routing only: requests there all go through fastify).
 */
function inFrontOfFastify(app: FastifyInstance, handler: (req: IncomingMessage, res: ServerResponse) => boolean): void {
  const routing = app.server.listeners("request");
  if (routing.length !== 1) throw new Error(`expected fastify's one request listener, found ${routing.length}`);
  const route = routing[0] as (req: IncomingMessage, res: ServerResponse) => void;
  app.server.removeAllListeners("request");
  app.server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    if (!handler(req, res)) route(req, res);
  });
}
