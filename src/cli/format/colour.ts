/**
 * Terminal colour: on only when the stream is a TTY (or FORCE_COLOR is set) and NO_COLOR is not.
 * States and log levels get one colour each so the table reads at a glance.
 */
import type { AgentState } from "../../storage/index.js";

const CODES = { red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, grey: 90, bold: 1 } as const;
export type Colour = keyof typeof CODES;

export type Paint = (colour: Colour, text: string) => string;

export function colourEnabled(stream: { isTTY?: boolean } = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0") return true;
  return stream.isTTY === true;
}

export function painter(enabled: boolean): Paint {
  return enabled ? (c, text) => `\u001b[${CODES[c]}m${text}\u001b[0m` : (_c, text) => text;
}

export const STATE_COLOURS: Record<AgentState, Colour> = {
  initializing: "cyan",
  active: "green",
  stale: "yellow",
  error: "red",
  recovering: "magenta",
  failed: "red",
  stopped: "grey",
};

export const LEVEL_COLOURS: Record<string, Colour> = { error: "red", warn: "yellow", info: "green", debug: "grey" };

const ANSI = /\u001b\[[0-9;]*m/g;

/** Printable width of a string that may hold colour codes. */
export function visibleLength(s: string): number {
  return [...s.replace(ANSI, "")].length;
}
