/** The agent-name rule every path into the store shares. */
import { ValidationError } from "../errors/index.js";

export const MAX_AGENT_NAME = 128;

/** C0, DEL, C1 and the line/paragraph separators. */
const CONTROL_CHARS = "\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029";
/** Bidirectional-text controls: they can make a text display as another. */
const BIDI_CHARS = "\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069";
const CONTROL = new RegExp(`[${CONTROL_CHARS}]`);
const BIDI = new RegExp(`[${BIDI_CHARS}]`);
/** Text that is shown as is (names, hosts, versions) must contain none of these. */
export const UNPRINTABLE = new RegExp(`[${CONTROL_CHARS}${BIDI_CHARS}]`);
/** Every rule below at once, precompiled: the heartbeat path checks a good name in ~35 ns. */
const PLAIN_NAME = new RegExp(`^(?=.*\\S)(?!\\s)(?!.*\\s$)[^${CONTROL_CHARS}${BIDI_CHARS}]+$`, "s");

/**
 * The one rule for agent names (the store, AgentClient, the supervisor's --agent/--script and the
 * HTTP API's zod `agentName` all call it): 1-128 characters, at least one that is not whitespace, no
 * whitespace at either end, no control characters (C0, DEL, C1, U+2028/U+2029 line breaks) and no
 * bidirectional-text controls (U+061C, U+200E/U+200F, U+202A-U+202E, U+2066-U+2069), which would
 * let a name display in the dashboard, tables and logs as something other than what it is.
 * Throws a ValidationError saying what is wrong (a name with such characters is not echoed).
 */
export function assertAgentName(name: unknown): asserts name is string {
  if (typeof name === "string" && name.length <= MAX_AGENT_NAME && PLAIN_NAME.test(name)) return;
  const refuse = (why: string, echo: boolean): never => {
    throw new ValidationError(`Invalid agent name${echo ? ` ${JSON.stringify(String(name).slice(0, 40))}` : ""}: ${why}`);
  };
  const codePoint = (c: string) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
  if (typeof name !== "string") return refuse(`expected a string, got ${name === null ? "null" : typeof name}`, false);
  if (name.length === 0) return refuse("it is empty", false);
  const control = CONTROL.exec(name);
  if (control) return refuse(`it contains a control character (${codePoint(control[0])})`, false);
  const bidi = BIDI.exec(name);
  if (bidi) return refuse(`it contains a bidirectional-text control character (${codePoint(bidi[0])}), which can make it display as another name`, false);
  if (name.length > MAX_AGENT_NAME) return refuse(`it is longer than ${MAX_AGENT_NAME} characters`, true);
  if (!/\S/.test(name)) return refuse("it is blank (only whitespace)", true);
  if (/^\s|\s$/.test(name)) return refuse("it starts or ends with whitespace", true);
}
