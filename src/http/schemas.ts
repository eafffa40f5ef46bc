/** zod schemas for what the API accepts: agent names, heartbeat pushes, list queries, clean-up. */
import { z } from "zod";
import { AGENT_SORT_KEYS, AGENT_STATES, MAX_AGENT_NAME } from "../storage/index.js";

/** Same rule as the store's assertAgentName: 1-128 chars, no control characters. */
export const agentName = z
  .string()
  .min(1, "agent name is empty")
  .max(MAX_AGENT_NAME, `agent name is longer than ${MAX_AGENT_NAME} characters`)
  .regex(/^[^\u0000-\u001f\u007f]+$/, "agent name contains control characters");

export const nameParams = z.strictObject({ name: agentName });

const count = (max: number) => z.number().int("expected a whole number").min(0).max(max);
const measure = z.number().finite().min(0);

/** POST /api/agents/:name/heartbeat. Every field optional; unknown fields are refused. */
export const heartbeatBody = z.strictObject({
  status: z.enum(["ok", "up", "error", "down"], { message: 'expected "ok", "up", "error" or "down"' }).optional(),
  message: z.string().max(4000, "message is longer than 4000 characters").optional(),
  /** How long the agent's own check or heartbeat took, in ms. */
  latencyMs: measure.max(3_600_000).optional(),
  pid: count(2 ** 31).optional(),
  host: z.string().min(1).max(255).optional(),
  version: z.string().min(1).max(64).optional(),
  rssBytes: count(2 ** 50).optional(),
  cpuPercent: measure.max(100_000).optional(),
  eventLoopLagMs: measure.max(3_600_000).optional(),
});
export type HeartbeatBody = z.infer<typeof heartbeatBody>;

const stateList = z
  .string()
  .transform((s) => s.split(",").map((x) => x.trim()).filter(Boolean))
  .pipe(z.array(z.enum(AGENT_STATES, { message: `expected states among ${AGENT_STATES.join(", ")}` })));

/** GET /api/agents query: all optional; without any the full list sorted by name (as `status --json`). */
export const listQuery = z.strictObject({
  state: stateList.optional(),
  q: z.string().max(MAX_AGENT_NAME).optional(),
  sort: z.enum(AGENT_SORT_KEYS).optional(),
  order: z.enum(["asc", "desc"]).optional(),
  limit: z.coerce.number().int().min(1).max(100_000).optional(),
  offset: z.coerce.number().int().min(0).optional(),
});
export type ListQuery = z.infer<typeof listQuery>;

export const logsQuery = z.strictObject({ lines: z.coerce.number().int().min(1).max(1000).optional() });

/** POST /api/cleanup-stale */
export const cleanupBody = z.strictObject({
  olderThanSeconds: measure.max(10 * 365 * 86400).optional(),
  dryRun: z.boolean().optional(),
});

/** An empty body (no content) counts as `{}`. */
export const optionalBody = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === undefined || v === null ? {} : v), schema);

/** The first issue as one readable sentence: `status: expected "ok", ...`. */
export function describeIssue(err: z.ZodError, what: string): string {
  const issue = err.issues[0];
  if (!issue) return `invalid ${what}`;
  if (issue.code === "unrecognized_keys") return `unknown field(s) in ${what}: ${issue.keys.join(", ")}`;
  const path = issue.path.length ? issue.path.join(".") : what;
  return `${path}: ${issue.message}`;
}
