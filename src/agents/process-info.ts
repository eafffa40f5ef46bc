/** What a heartbeat says about the process sending it: pid, host, version, RSS, CPU, event-loop lag. */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { defaultHostName } from "../config/index.js";
import type { HeartbeatInfo } from "../storage/index.js";

let lastCpu: NodeJS.CpuUsage | undefined;
let lastAt = 0;
let loopDelay: ReturnType<typeof monitorEventLoopDelay> | undefined;

/**
 * CPU % of one core used by this process since the previous call. The first call has no window
 * yet (it would count start-up: loading LangGraph takes seconds of CPU), so it reports nothing.
 */
function cpuPercentSinceLastCall(): number | undefined {
  const cpu = process.cpuUsage();
  const at = performance.now();
  if (!lastCpu) {
    lastCpu = cpu;
    lastAt = at;
    return undefined;
  }
  const usedUs = cpu.user - lastCpu.user + (cpu.system - lastCpu.system);
  const elapsedMs = at - lastAt;
  lastCpu = cpu;
  lastAt = at;
  return elapsedMs > 0 ? +((usedUs / 1000 / elapsedMs) * 100).toFixed(3) : 0;
}

/**
 * The event-loop delay histogram's timer, in ms. Every tick wakes the process: at 100 ms that was
 * ten wake-ups a second, about 40% of an idle agent's CPU. Once a second gives 30 samples per 30 s
 * heartbeat (their p99 is about their max) and still catches every stall that matters here, those
 * of seconds that threaten the stale bound; a stall shorter than a second is caught as often as it
 * overlaps a tick.
 */
export const LOOP_DELAY_RESOLUTION_MS = 1000;

/** p99 event-loop delay since the previous call, in ms. */
function eventLoopLagMs(): number {
  if (!loopDelay) {
    loopDelay = monitorEventLoopDelay({ resolution: LOOP_DELAY_RESOLUTION_MS });
    loopDelay.enable();
    return 0;
  }
  const p99 = loopDelay.percentile(99) / 1e6;
  loopDelay.reset();
  return +p99.toFixed(2);
}

export function processHeartbeatInfo(version: string, writeLatencyMs?: number): HeartbeatInfo {
  return {
    pid: process.pid,
    host: defaultHostName(),
    version,
    rssBytes: process.memoryUsage.rss(),
    cpuPercent: cpuPercentSinceLastCall(),
    eventLoopLagMs: eventLoopLagMs(),
    writeLatencyMs,
  };
}
