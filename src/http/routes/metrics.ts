/** `GET /metrics`: Prometheus text exposition (see ../metrics.ts for what is exported). */
import type { RoutePlugin } from "../context.js";

export const metricsRoutes: RoutePlugin = (app, ctx) => {
  app.get("/metrics", async (_req, reply) => {
    const text = await ctx.metrics.registry.metrics();
    return reply.header("content-type", ctx.metrics.registry.contentType).send(text);
  });
};
