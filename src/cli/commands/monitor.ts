/** `bg-agents monitor`: run only the HeartbeatHealthAgent in this process (what `npm start` did before the supervisor). */
import type { Command } from "commander";

export function register(program: Command): void {
  program
    .command("monitor")
    .description("Run only the HeartbeatHealthAgent in this process until SIGINT/SIGTERM")
    .addHelpText("after", "\nExit codes: 0 stopped cleanly (Ctrl-C/SIGTERM), 1 the monitor failed (its cycles kept failing past RETRY_ATTEMPTS), 2 bad flag, config or database, 3 internal error.")
    .action(async () => {
      await import("../../agents/heartbeat/main.js");
    });
}
