/** A ping's body as its message: at most PING_BODY_LIMIT bytes of UTF-8, cut at a character boundary. */

/** healthchecks.io's limit, announced in the `Ping-Body-Limit` header. */
export const PING_BODY_LIMIT = 10_000;
/** Bodies above this are refused (413) rather than cut. */
export const PING_BODY_MAX = 100_000;

export function bodyMessage(body: unknown): string | undefined {
  if (!Buffer.isBuffer(body) || body.length === 0) return undefined;
  let end = Math.min(body.length, PING_BODY_LIMIT);
  // step back over continuation bytes (10xxxxxx) so no character is cut in half
  if (end < body.length) while (end > 0 && (body[end]! & 0xc0) === 0x80) end--;
  return body.subarray(0, end).toString("utf8");
}
