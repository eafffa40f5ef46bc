/** zod schemas for what the API accepts: agent names, heartbeat pushes, list queries, clean-up. */
import { z } from "zod";
import { AGENT_SORT_KEYS, AGENT_STATES, assertAgentName, MAX_AGENT_NAME, UNPRINTABLE } from "../storage/index.js";

/** The store's own rule (assertAgentName: 1-128 chars, not blank, no whitespace at the ends, no control or bidi characters), with its message. */
export const agentName = z.string().superRefine((value, ctx) => {
  try {
    assertAgentName(value);
  } catch (e) {
    ctx.addIssue({ code: "custom", message: (e as Error).message });
  }
});

/** A short label shown as is in the dashboard (host, version): not blank, no control or bidi characters. */
const label = (max: number) => z
  .string()
  .min(1, "must not be empty")
  .max(max, `is longer than ${max} characters`)
  .regex(/\S/, "must not be blank (only whitespace)")
  .refine((s) => !UNPRINTABLE.test(s), "must not contain control or bidirectional-text characters");

export const nameParams = z.strictObject({ name: agentName });

const count = (max: number) => z.number().int("expected a whole number").min(0).max(max);
const measure = z.number().finite().min(0);

const epochMs = z.number().int().min(0).max(8.64e15);
const activity = z.strictObject({
  status: z.enum(["running", "idle", "stuck"]),
  node: label(255).nullable(),
  step: count(1_000_000_000).nullable(),
  threadId: label(255).nullable(),
  runStartedAt: epochMs.nullable(),
  lastProgressAt: epochMs.nullable(),
  running: count(1_000_000),
  lastRun: z.strictObject({
    outcome: z.enum(["success", "error", "interrupted"]),
    durationMs: measure.max(365 * 86400_000),
    endedAt: epochMs,
    error: z.string().max(4000).optional(),
  }).nullable(),
});

/** POST /api/agents/:name/heartbeat. Every field optional; unknown fields are refused. */
export const heartbeatBody = z.strictObject({
  status: z.enum(["ok", "up", "error", "down"], { message: 'expected "ok", "up", "error" or "down"' }).optional(),
  message: z.string().max(4000, "message is longer than 4000 characters").optional(),
  /** How long the agent's own check or heartbeat took, in ms. */
  latencyMs: measure.max(3_600_000).optional(),
  pid: count(2 ** 31).optional(),
  host: label(255).optional(),
  version: label(64).optional(),
  rssBytes: count(2 ** 50).optional(),
  cpuPercent: measure.max(100_000).optional(),
  eventLoopLagMs: measure.max(3_600_000).optional(),
  /** What the agent is doing (withHeartbeat sends it). */
  activity: activity.optional(),
});
export type HeartbeatBody = z.infer<typeof heartbeatBody>;

/** POST /api/heartbeats: the most heartbeats one request may carry. */
export const MAX_BATCH_ITEMS = 5000;
/** The batch body's shape; each item is checked on its own (heartbeatBody plus `name`). */
export const heartbeatBatchBody = z.strictObject({
  heartbeats: z.array(z.unknown()).min(1, "heartbeats is empty").max(MAX_BATCH_ITEMS, `at most ${MAX_BATCH_ITEMS} heartbeats per request`),
});
export const heartbeatBatchItem = heartbeatBody.extend({ name: agentName });

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

/** An empty body (no content) counts as `{}`; an explicit JSON `null` (or any non-object) is refused. */
export const optionalBody = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === undefined ? {} : v), schema);

/** The first issue as one readable sentence: `status: expected "ok", ...`. */
export function describeIssue(err: z.ZodError, what: string): string {
  const issue = err.issues[0];
  if (!issue) return `invalid ${what}`;
  if (issue.code === "unrecognized_keys") return `unknown field(s) in ${what}: ${issue.keys.join(", ")}`;
  if (issue.code === "invalid_type" && issue.path.length === 0 && issue.expected === "object") return `${what} must be a JSON object${what === "body" ? " (or no body at all)" : ""}`;
  const path = issue.path.length ? issue.path.join(".") : what;
  return `${path}: ${issue.message}`;
}
