/**
 * Every environment variable the system reads, with its default and what is allowed.
 * This table is the single source for loadConfig(), `.env.example` and the config table in
 * docs/configuration.md (`npm run docs:config`).
 */
import { z } from "zod";

const seconds = z.coerce.number({ message: "expected a number of seconds" }).finite().positive("expected seconds > 0").min(0.001, "expected at least 0.001 seconds (1 ms)");
const port = z.coerce.number().int("expected a whole number").min(0).max(65535, "expected a port 0-65535");

export const LOG_LEVELS = ["error", "warn", "info", "debug"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The seed names WARNING and INFO in Python style; accept both styles, any case. */
const logLevel = z
  .string()
  .transform((s) => s.trim().toLowerCase())
  .transform((s) => (s === "warning" ? "warn" : s === "critical" ? "error" : s))
  .pipe(z.enum(LOG_LEVELS, { message: "expected one of ERROR, WARNING, INFO, DEBUG" }));

export const DETECTION_MODES = ["fixed", "adaptive"] as const;
export type DetectionMode = (typeof DETECTION_MODES)[number];

export const PROACTIVE_RESTART_MODES = ["off", "predicted"] as const;
export type ProactiveRestartMode = (typeof PROACTIVE_RESTART_MODES)[number];

const proactiveRestartMode = z
  .string()
  .transform((s) => s.trim().toLowerCase())
  .pipe(z.enum(PROACTIVE_RESTART_MODES, { message: "expected off or predicted" }));

const detectionMode = z
  .string()
  .transform((s) => s.trim().toLowerCase())
  .pipe(z.enum(DETECTION_MODES, { message: "expected fixed or adaptive" }));

export interface VariableSpec {
  env: string;
  key: keyof Config;
  default: string | undefined;
  allowed: string;
  description: string;
  schema: z.ZodType<unknown>;
  /** Convert the parsed value into the Config field (e.g. seconds → ms). */
  toConfig?: (v: never) => unknown;
  secret?: boolean;
}

export interface Config {
  /** Name this process registers under. @defaultValue "HeartbeatHealthAgent" */
  agentName: string;
  /** How often the monitor checks (and agents heartbeat). @defaultValue 30 s */
  heartbeatIntervalMs: number;
  /** A heartbeat older than this marks the agent stale. @defaultValue 120 s */
  staleThresholdMs: number;
  logLevel: LogLevel;
  /** @defaultValue "shared_state.db" */
  databasePath: string;
  /** postgres:// or postgresql:// connection string; when set, PostgreSQL is the backend instead of SQLite. */
  databaseUrl?: string;
  /** This host's name in the fleet (agent records, the supervisor per host, per-host system agent names). @defaultValue os.hostname() */
  hostName: string;
  /** PostgreSQL schema of our tables (checkpoints go to `<schema>_checkpoints`). @defaultValue "bg_agents" */
  databaseSchema?: string;
  /** Longest wait for the state lock. @defaultValue 10 s */
  lockTimeoutMs: number;
  /** Retries of a failed DB operation or agent cycle before giving up. @defaultValue 3 */
  retryAttempts: number;
  /** Each retry waits this factor longer than the one before. @defaultValue 1.5 */
  backoffFactor: number;
  /** @defaultValue "logs" */
  logDir: string;
  /** Daily log files kept. @defaultValue 14 */
  logRetentionDays: number;
  /** LangGraph checkpoints kept per thread. @defaultValue 20 */
  checkpointRetention: number;
  /** @defaultValue "127.0.0.1" */
  dashboardHost: string;
  /** @defaultValue 8501 */
  dashboardPort: number;
  /** Required for state-changing HTTP routes when the server binds a non-loopback address. */
  apiToken: string | undefined;
  /** Supervisor: restarts allowed per agent within restartWindowMs before it is left `failed`. @defaultValue 5 */
  restartBudget: number;
  /** @defaultValue 600 s */
  restartWindowMs: number;
  /** Longest wait before a restart (backoff cap). @defaultValue 60 s */
  restartBackoffMaxMs: number;
  /** PerformanceMonitorAgent thresholds. @defaultValue 100 ms, 80 % of one core, 512 MB */
  perfDbResponseMs: number;
  perfCpuPercent: number;
  perfRssMb: number;
  /** The key in healthchecks.io-style ping URLs `/ping/<key>/<name>`; required off loopback. */
  pingKey?: string;
  /** Uptime Kuma push tokens: `/api/push/<token>` heartbeats the agent the token names. @defaultValue none */
  pushTokens?: Record<string, string>;
  /** Pings (both styles) accepted per client address per minute. @defaultValue 120 */
  pingRateLimit: number;
  /** How stale agents are found: the fixed STALE_THRESHOLD, or per agent from its own heartbeat rhythm (capped by it). @defaultValue "adaptive" */
  detection: DetectionMode;
  /** Adaptive mode: the suspicion level (phi) that marks an agent stale. @defaultValue 8 */
  phiThreshold: number;
  /** How often the monitor sweeps for stale agents; unset = heartbeatIntervalMs. */
  checkIntervalMs?: number;
  /** "predicted": the supervisor restarts an agent predicted to reach its limit within proactiveRestartLeadMs. @defaultValue "off" */
  proactiveRestart: ProactiveRestartMode;
  /** @defaultValue 600 s */
  proactiveRestartLeadMs: number;
  /** Notification channel URLs (comma/newline separated); see src/notify/channel-url.ts. */
  notifyUrls?: string;
  /** A file holding more channel URLs, one per line. */
  notifyUrlsFile?: string;
  /** HMAC key for the X-Bg-Agents-Signature header of generic webhooks. */
  notifySecret?: string;
  /** Transitions within this window go out as one message. @defaultValue 5 s */
  notifyGroupWindowMs: number;
  /** Changes between down and up within this window count towards flapping. @defaultValue 600 s */
  notifyFlapWindowMs: number;
  /** This many changes within NOTIFY_FLAP_WINDOW make an agent flapping. @defaultValue 4 */
  notifyFlapCount: number;
  /** A live agent whose heartbeat is older than this is shown `late` (amber), before it is stale. @defaultValue min(2 × HEARTBEAT_INTERVAL, halfway to STALE_THRESHOLD) */
  lateAfterMs: number;
  /** How long a monitor's leadership lasts without renewal (PostgreSQL: one leader among several monitors). @defaultValue 3 × HEARTBEAT_INTERVAL */
  leaderLeaseMs: number;
  /** The dashboard address put in messages. @defaultValue http://DASHBOARD_HOST:DASHBOARD_PORT/ */
  dashboardUrl?: string;
  /** A threshold must be crossed this long before it warns (and be back this long before "back to normal"). @defaultValue 300 s */
  perfAlertForMs: number;
  /** An agent's first seconds after a (re)start raise no threshold alert. @defaultValue 60 s */
  perfStartupGraceMs: number;
  /** A LangGraph server (`langgraphjs dev`, LangGraph Platform) whose threads and runs the dashboard watches; unset = no watcher. */
  langgraphApiUrl?: string;
  /** Sent as `x-api-key` to that server. @defaultValue none (not taken from LANGSMITH_API_KEY) */
  langgraphApiKey?: string;
  /** A run `running`/`pending` with no progress for this long is shown stuck. @defaultValue 600 s */
  langgraphStuckAfterMs: number;
  /** The watcher asks the server at most this often (answers are cached in between). @defaultValue 15 s */
  langgraphPollMs: number;
}

const ms = (v: number) => Math.round(v * 1000);

const TOKEN = /^[A-Za-z0-9_-]+$/;

/** `token=agent,token2=agent2`: each token 8+ of A-Z a-z 0-9 _ -, each agent a valid name, no token twice. */
const pushTokens = z.string().transform((s, ctx) => {
  const out: Record<string, string> = {};
  for (const pair of s.split(",").map((p) => p.trim()).filter(Boolean)) {
    const eq = pair.indexOf("=");
    const token = eq < 0 ? "" : pair.slice(0, eq).trim();
    const agent = eq < 0 ? "" : pair.slice(eq + 1).trim();
    const problem = eq < 0 ? "expected token=agent pairs separated by commas"
      : !TOKEN.test(token) || token.length < 8 ? "each token needs 8+ characters of A-Z a-z 0-9 _ -"
      : !/^[\p{L}\p{N}._\-:@/ ]{1,128}$/u.test(agent) ? "each agent name needs 1-128 letters, digits, . _ - : @ / or space"
      : Object.hasOwn(out, token) ? "a token is given twice" : undefined;
    if (problem) {
      ctx.addIssue({ code: "custom", message: problem });
      return z.NEVER;
    }
    out[token] = agent;
  }
  return out;
});

/** A host name as agent records and `<agent>@<host>` names carry it. */
export const hostNameSchema = z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9._-]+$/, "expected letters, digits, . _ -");

/** A URL pg can parse; the message never echoes it (it may hold a password). */
const postgresUrl = z.string().trim()
  .regex(/^postgres(ql)?:\/\//, "expected a URL starting with postgres:// or postgresql://")
  .refine((s) => URL.canParse(s), "not a valid URL (percent-encode special characters in the user or password)");

/** fetch() refuses URLs with credentials, so they are refused here, where the message can name the variable. */
const langgraphUrl = z.url({ protocol: /^https?$/, message: "expected an http(s) URL" })
  .refine((s) => !URL.canParse(s) || (!new URL(s).username && !new URL(s).password), "a user or password in the URL cannot be sent (fetch refuses it): put the key in LANGGRAPH_API_KEY");

export const VARIABLES: VariableSpec[] = [
  { env: "AGENT_NAME", key: "agentName", default: "HeartbeatHealthAgent", allowed: "1-128 chars: letters, digits, . _ - : @ / space",
    description: "Name this process registers under (`bg-agents monitor`, your own processes). Under `bg-agents start` each agent's name is fixed; the monitor is always `HeartbeatHealthAgent` (on PostgreSQL `HeartbeatHealthAgent@HOST_NAME`), and `/healthz` watches it", schema: z.string().trim().min(1).max(128).regex(/^[\p{L}\p{N}._\-:@/ ]+$/u, "expected letters, digits, . _ - : @ / or space") },
  { env: "HEARTBEAT_INTERVAL", key: "heartbeatIntervalMs", default: "30", allowed: "seconds > 0, decimals allowed",
    description: "Seconds between monitor cycles and between agent heartbeats", schema: seconds, toConfig: ms as never },
  { env: "STALE_THRESHOLD", key: "staleThresholdMs", default: "120", allowed: "seconds > HEARTBEAT_INTERVAL",
    description: "Seconds without a heartbeat before an agent is marked stale (inactive)", schema: seconds, toConfig: ms as never },
  { env: "LOG_LEVEL", key: "logLevel", default: "INFO", allowed: "ERROR, WARNING, INFO, DEBUG",
    description: "Lowest level written to console and log files", schema: logLevel },
  { env: "DATABASE_PATH", key: "databasePath", default: "shared_state.db", allowed: "a file path",
    description: "The shared SQLite state database (agents, transitions, checkpoints); not used when DATABASE_URL is set", schema: z.string().trim().min(1) },
  { env: "DATABASE_URL", key: "databaseUrl", default: undefined, allowed: "postgres://user:pass@host:port/db (or postgresql://), libpq parameters such as ?sslmode=require",
    description: "Use PostgreSQL instead of SQLite (docs/postgres.md); agents on several hosts can share it", schema: postgresUrl, secret: true },
  { env: "HOST_NAME", key: "hostName", default: undefined, allowed: "1-64 chars: letters, digits, . _ -",
    description: "This host's name in the fleet: recorded with every agent, and on PostgreSQL the supervisor is one per host and database and its system agents are named `<name>@HOST_NAME` (docs/postgres.md). Unset: the machine's host name", schema: hostNameSchema },
  { env: "DATABASE_SCHEMA", key: "databaseSchema", default: "bg_agents", allowed: "lower-case identifier, 1-50 chars: a-z 0-9 _",
    description: "PostgreSQL: the schema of our tables (created if missing); LangGraph checkpoints go to <schema>_checkpoints", schema: z.string().trim().regex(/^[a-z_][a-z0-9_]{0,49}$/, "expected a lower-case identifier (a-z, 0-9, _; at most 50 chars)") },
  { env: "LOCK_TIMEOUT", key: "lockTimeoutMs", default: "10", allowed: "seconds > 0",
    description: "Longest wait for the inter-process state lock before a LockTimeoutError", schema: seconds, toConfig: ms as never },
  { env: "RETRY_ATTEMPTS", key: "retryAttempts", default: "3", allowed: "whole number 1-100",
    description: "Attempts for a failed DB write or agent cycle before giving up (agent → failed)", schema: z.coerce.number().int("expected a whole number").min(1).max(100) },
  { env: "BACKOFF_FACTOR", key: "backoffFactor", default: "1.5", allowed: "number 1-10",
    description: "Each retry waits this factor longer than the previous one", schema: z.coerce.number().finite().min(1).max(10) },
  { env: "LOG_DIR", key: "logDir", default: "logs", allowed: "a directory path",
    description: "Where daily log files agent_<name>-YYYY-MM-DD.log go", schema: z.string().trim().min(1) },
  { env: "LOG_RETENTION_DAYS", key: "logRetentionDays", default: "14", allowed: "whole number 1-3650",
    description: "Daily log files kept before deletion", schema: z.coerce.number().int("expected a whole number").min(1).max(3650) },
  { env: "CHECKPOINT_RETENTION", key: "checkpointRetention", default: "20", allowed: "whole number 2-100000",
    description: "LangGraph checkpoints kept per thread (older ones are pruned)", schema: z.coerce.number().int("expected a whole number").min(2).max(100_000) },
  { env: "DASHBOARD_HOST", key: "dashboardHost", default: "127.0.0.1", allowed: "an address to bind",
    description: "Dashboard/API bind address; non-loopback requires API_TOKEN", schema: z.string().trim().min(1) },
  { env: "DASHBOARD_PORT", key: "dashboardPort", default: "8501", allowed: "port 0-65535 (0 = any free port)",
    description: "Dashboard/API port", schema: port },
  { env: "API_TOKEN", key: "apiToken", default: undefined, allowed: "16+ characters",
    description: "Bearer token for state-changing HTTP routes (required off loopback)", schema: z.string().min(16, "expected at least 16 characters"), secret: true },
  { env: "RESTART_BUDGET", key: "restartBudget", default: "5", allowed: "whole number 1-1000",
    description: "Supervisor: restarts per agent within RESTART_WINDOW before it is left failed", schema: z.coerce.number().int("expected a whole number").min(1).max(1000) },
  { env: "RESTART_WINDOW", key: "restartWindowMs", default: "600", allowed: "seconds > 0",
    description: "Supervisor: the window RESTART_BUDGET counts restarts in", schema: seconds, toConfig: ms as never },
  { env: "RESTART_BACKOFF_MAX", key: "restartBackoffMaxMs", default: "60", allowed: "seconds > 0",
    description: "Supervisor: longest wait before a restart (backoff grows by BACKOFF_FACTOR up to this)", schema: seconds, toConfig: ms as never },
  { env: "PERF_DB_RESPONSE_MS", key: "perfDbResponseMs", default: "100", allowed: "milliseconds > 0",
    description: "PerformanceMonitorAgent: warn when the DB probe p95 exceeds this", schema: z.coerce.number().finite().positive() },
  { env: "PERF_CPU_PERCENT", key: "perfCpuPercent", default: "80", allowed: "percent of one core > 0",
    description: "PerformanceMonitorAgent: warn when an agent's CPU (percent of one core) stays above this for PERF_ALERT_FOR", schema: z.coerce.number().finite().positive() },
  { env: "PERF_RSS_MB", key: "perfRssMb", default: "512", allowed: "megabytes > 0",
    description: "PerformanceMonitorAgent: warn when an agent's RSS stays above this for PERF_ALERT_FOR", schema: z.coerce.number().finite().positive() },
  { env: "PERF_ALERT_FOR", key: "perfAlertForMs", default: "300", allowed: "seconds >= 0 (0 = at once)",
    description: "PerformanceMonitorAgent: a threshold warns only after it has been crossed this long (like Prometheus `for:`), and is back to normal only after it has been under it as long",
    schema: z.coerce.number({ message: "expected a number of seconds" }).finite().min(0, "expected seconds >= 0"), toConfig: ms as never },
  { env: "PERF_STARTUP_GRACE", key: "perfStartupGraceMs", default: "60", allowed: "seconds >= 0",
    description: "PerformanceMonitorAgent: no threshold alert for an agent in its first seconds after a (re)start (start-up CPU is no alarm)",
    schema: z.coerce.number({ message: "expected a number of seconds" }).finite().min(0, "expected seconds >= 0"), toConfig: ms as never },
  { env: "PING_KEY", key: "pingKey", default: undefined, allowed: "16+ characters of A-Z a-z 0-9 _ -",
    description: "The key in healthchecks.io-style ping URLs `/ping/<PING_KEY>/<name>` (docs/ping-protocols.md); required when DASHBOARD_HOST is not loopback. Without it (loopback only) `/ping/<name>` works", schema: z.string().min(16, "expected at least 16 characters").regex(TOKEN, "expected only A-Z a-z 0-9 _ -"), secret: true },
  { env: "PUSH_TOKENS", key: "pushTokens", default: undefined, allowed: "token=agent pairs, comma-separated; tokens 8+ of A-Z a-z 0-9 _ -",
    description: "Uptime Kuma-style push: `/api/push/<token>?status=up&msg=OK&ping=<ms>` heartbeats the agent the token names (docs/ping-protocols.md)", schema: pushTokens, secret: true },
  { env: "PING_RATE_LIMIT", key: "pingRateLimit", default: "120", allowed: "whole number 1-100000",
    description: "Pings (`/ping/...` and `/api/push/...`) accepted per client address per minute; more get 429 and write nothing", schema: z.coerce.number().int("expected a whole number").min(1).max(100_000) },
  { env: "DETECTION", key: "detection", default: "adaptive", allowed: "fixed, adaptive",
    description: "How stale agents are found: fixed = no heartbeat for STALE_THRESHOLD; adaptive = from each agent's own heartbeat rhythm (phi accrual), never later than STALE_THRESHOLD; see docs/detection.md", schema: detectionMode },
  { env: "PHI_THRESHOLD", key: "phiThreshold", default: "8", allowed: "number 1-50",
    description: "Adaptive detection: the suspicion level (phi) that marks an agent stale; 8 means a live agent is called dead about once in 10^8 gaps if its gaps are normal", schema: z.coerce.number({ message: "expected a number" }).finite().min(1, "expected at least 1").max(50, "expected at most 50") },
  { env: "CHECK_INTERVAL", key: "checkIntervalMs", default: undefined, allowed: "seconds > 0, less than STALE_THRESHOLD",
    description: "Seconds between stale sweeps of the monitor; unset = HEARTBEAT_INTERVAL", schema: seconds, toConfig: ms as never },
  { env: "PROACTIVE_RESTART", key: "proactiveRestart", default: "off", allowed: "off, predicted",
    description: "predicted: the supervisor restarts an agent that is `degrading` (RSS, event-loop lag or error rate rising steadily towards its limit) before it gets there, one agent at a time, within the restart budget; see docs/detection.md", schema: proactiveRestartMode },
  { env: "PROACTIVE_RESTART_LEAD", key: "proactiveRestartLeadMs", default: "600", allowed: "seconds > 0",
    description: "PROACTIVE_RESTART=predicted: restart once the soonest estimate of reaching the limit is this close", schema: seconds, toConfig: ms as never },
  { env: "NOTIFY_URLS", key: "notifyUrls", default: undefined, allowed: "comma-separated URLs: http(s)://, ntfy://, smtp(s)://",
    description: "Where notifications go (webhook, Slack, Discord, ntfy, e-mail; `?events=` and `?agents=` filter); see docs/notifications.md", schema: z.string().trim().min(1), secret: true },
  { env: "NOTIFY_URLS_FILE", key: "notifyUrlsFile", default: undefined, allowed: "a file path",
    description: "A file with more notification URLs, one per line (# comments), so secrets need not sit in the environment", schema: z.string().trim().min(1) },
  { env: "NOTIFY_SECRET", key: "notifySecret", default: undefined, allowed: "16+ characters",
    description: "Signs generic webhook bodies: X-Bg-Agents-Signature: sha256=HMAC(body)", schema: z.string().min(16, "expected at least 16 characters"), secret: true },
  { env: "NOTIFY_GROUP_WINDOW", key: "notifyGroupWindowMs", default: "5", allowed: "seconds > 0",
    description: "Transitions that arrive within this window go out as one message (an alert storm is one message)", schema: seconds, toConfig: ms as never },
  { env: "NOTIFY_FLAP_WINDOW", key: "notifyFlapWindowMs", default: "600", allowed: "seconds > 0",
    description: "An agent that changes between down and up NOTIFY_FLAP_COUNT times within this window is flapping: one message, then a summary when it settles", schema: seconds, toConfig: ms as never },
  { env: "NOTIFY_FLAP_COUNT", key: "notifyFlapCount", default: "4", allowed: "whole number 2-100",
    description: "Changes within NOTIFY_FLAP_WINDOW that make an agent flapping", schema: z.coerce.number().int("expected a whole number").min(2).max(100) },
  { env: "DASHBOARD_URL", key: "dashboardUrl", default: undefined, allowed: "an http(s) URL",
    description: "The dashboard's address as people reach it, put in notifications (default: http://DASHBOARD_HOST:DASHBOARD_PORT/)", schema: z.url({ protocol: /^https?$/, message: "expected an http(s) URL" }) },
  { env: "LATE_AFTER", key: "lateAfterMs", default: undefined, allowed: "seconds > 0, less than STALE_THRESHOLD",
    description: "A live agent whose last heartbeat is older than this is shown `late` (amber; `events=late` notifies) before it turns stale at STALE_THRESHOLD. Unset: 2 × HEARTBEAT_INTERVAL, at most halfway to STALE_THRESHOLD", schema: seconds, toConfig: ms as never },
  { env: "LEADER_LEASE", key: "leaderLeaseMs", default: undefined, allowed: "seconds > 0",
    description: "With several monitors on one PostgreSQL database, the leader's lease: it renews every third of it, and a standby takes over this long after the leader died, hung or lost the network (see docs/postgres.md). Unset: 3 × HEARTBEAT_INTERVAL", schema: seconds, toConfig: ms as never },
  { env: "LANGGRAPH_API_URL", key: "langgraphApiUrl", default: undefined, allowed: "an http(s) URL without user:password",
    description: "A LangGraph server (`langgraphjs dev`, LangGraph Platform) whose stuck runs, errored runs and busy threads the dashboard shows next to our agents, with a cancel action (docs/langgraph.md). Unset: no watcher", schema: langgraphUrl, secret: true },
  { env: "LANGGRAPH_API_KEY", key: "langgraphApiKey", default: undefined, allowed: "any text",
    description: "Sent as x-api-key to LANGGRAPH_API_URL (a deployed server); never taken from LANGSMITH_API_KEY", schema: z.string().trim().min(1), secret: true },
  { env: "LANGGRAPH_STUCK_AFTER", key: "langgraphStuckAfterMs", default: "600", allowed: "seconds > 0",
    description: "A LangGraph run `running` or `pending` with no progress (run, thread or checkpoint update) for this long is shown stuck; a run whose server died mid-run stays `running` for ever", schema: seconds, toConfig: ms as never },
  { env: "LANGGRAPH_POLL_INTERVAL", key: "langgraphPollMs", default: "15", allowed: "seconds > 0",
    description: "The LangGraph watcher asks the server at most this often; answers in between come from its cache", schema: seconds, toConfig: ms as never },
];
