/**
 * The clean-up a new supervisor does when the previous one died by SIGKILL (its record, in
 * src/supervision/record.ts, lists its children): its agent processes exit
 * on their own when the IPC channel closes; any still running are killed here (only processes
 * that carry our BG_SUPERVISOR_PID marker, so a reused pid is never hit).
 */
import { readFileSync } from "node:fs";
import type { Clock } from "../clock/index.js";
import type { Logger } from "../logging/index.js";
import { pidAlive } from "../process/index.js";
import type { SupervisorRecord } from "../supervision/index.js";

export async function killOrphans(prev: SupervisorRecord | undefined, host: string, log: Logger, clock: Clock): Promise<void> {
  if (!prev || prev.host !== host || pidAlive(prev.pid)) return;
  const orphans = prev.children.filter((c) => pidAlive(c.pid) && isOurAgentProcess(c.pid));
  for (const o of orphans) {
    log.warn(`killing ${o.name} (pid ${o.pid}), left running by the previous supervisor (pid ${prev.pid})`);
    process.kill(o.pid, "SIGKILL");
  }
  const deadline = clock.now() + 5000;
  while (orphans.some((o) => pidAlive(o.pid)) && clock.now() < deadline) await clock.sleep(50);
}

function isOurAgentProcess(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`, "utf8").includes("BG_SUPERVISOR_PID=");
  } catch {
    return false;
  }
}
