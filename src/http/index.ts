/** The dashboard/API server: `startServer` (used by `bg-agents start` and `bg-agents dashboard`). */
export { startServer, type StartServerOptions, type RunningServer } from "./server.js";
export { isLoopbackHost, assertSafeBind } from "./safety.js";
export { assertPingKeyBind } from "./ping/ping-key.js";
export type { RoutePlugin, ServerContext } from "./context.js";
