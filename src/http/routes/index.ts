/** Every route module of the dashboard/API server, registered in this order. Add a module with one line. */
import type { RoutePlugin } from "../context.js";
import { adminRoutes } from "./admin.js";
import { agentRoutes } from "./agents.js";
import { availabilityRoutes } from "./availability.js";
import { eventRoutes } from "./events.js";
import { healthRoutes } from "./health.js";
import { kumaPushRoutes } from "./kuma-push.js";
import { langgraphRoutes } from "./langgraph.js";
import { metricsRoutes } from "./metrics.js";
import { pageRoutes } from "./page.js";
import { perfRoutes } from "./perf.js";
import { pingRoutes } from "./ping.js";
import { pushRoutes } from "./push.js";
import { tracesRoutes } from "./traces.js";
import { notificationRoutes } from "./notifications.js";

export const ROUTES: RoutePlugin[] = [
  pageRoutes,
  agentRoutes,
  availabilityRoutes,
  pushRoutes,
  adminRoutes,
  eventRoutes,
  perfRoutes,
  metricsRoutes,
  healthRoutes,
  tracesRoutes,
  pingRoutes,
  kumaPushRoutes,
  notificationRoutes,
  langgraphRoutes,
];
