/** LangSmith tracing: settings from the environment, per-cycle trace fields, the shutdown flush. */
export { tracingSettings, describeTracing, DEFAULT_ENDPOINT, DEFAULT_PROJECT, type TracingSettings } from "./settings.js";
export { flushTraces, TRACE_FLUSH_TIMEOUT_MS, type FlushResult } from "./flush.js";
export { cycleTraceFields, cycleRunName, agentOfRun, TRACE_TAG, type CycleTraceOptions, type CycleTraceFields } from "./cycle.js";
