/** What the ping routes accept, checked before anything is written. */
import { z } from "zod";
import { agentName } from "../schemas.js";

/** healthchecks.io: `?rid=<uuid>` pairs a start with its end; `?create=1` registers a new name. */
export const hcQuery = z.strictObject({
  rid: z.uuid({ message: "rid must be a UUID" }).optional(),
  create: z.enum(["0", "1"], { message: 'create must be "1" (or "0")' }).optional(),
});

/** The last path segment after the name: start, fail, log, or an exit status 0-255. */
export const hcAction = z.union([
  z.enum(["start", "fail", "log"]),
  z.string().regex(/^\d{1,3}$/, "expected start, fail, log or an exit status 0-255").transform(Number)
    .refine((n) => n <= 255, "expected start, fail, log or an exit status 0-255 (got more than 255)"),
], { message: "expected start, fail, log or an exit status 0-255" });

export const hcParams = z.strictObject({ key: z.string().optional(), name: agentName, action: z.string().optional() });

/** Uptime Kuma push: `status` other than "up" is down; `ping` is the sender's response time in ms. */
export const kumaQuery = z.strictObject({
  status: z.string().max(16, "status is longer than 16 characters").optional(),
  msg: z.string().max(10_000, "msg is longer than 10000 characters").optional(),
  ping: z.union([z.literal(""), z.coerce.number().finite().min(0).max(3_600_000)], { message: "ping must be a number of ms 0-3600000" }).optional(),
});

export const pingsQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(100).optional() });
