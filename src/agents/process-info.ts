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

/** p99 event-loop delay since the previous call, in ms. */
function eventLoopLagMs(): number {
  if (!loopDelay) {
    loopDelay = monitorEventLoopDelay({ resolution: 100 }) // a coarser timer keeps an idle agent idle;
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
