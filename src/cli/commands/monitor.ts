/** `bg-agents monitor`: run only the HeartbeatHealthAgent in this process (what `npm start` did before the supervisor). */
import type { Command } from "commander";

export function register(program: Command): void {
  program
    .command("monitor")
    .description("Run only the HeartbeatHealthAgent in this process until SIGINT/SIGTERM")
    .action(async () => {
      await import("../../agents/heartbeat/main.js");
    });
}
