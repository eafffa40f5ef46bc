/** `--json` output: one pretty document on stdout, newline-terminated, nothing else on stdout. */
export function printJson(value: unknown, out: NodeJS.WritableStream = process.stdout): void {
  out.write(JSON.stringify(value, null, 2) + "\n");
}

/** One JSON object per line (for streams such as `logs --json --follow`). */
export function printJsonLine(value: unknown, out: NodeJS.WritableStream = process.stdout): void {
  out.write(JSON.stringify(value) + "\n");
}
