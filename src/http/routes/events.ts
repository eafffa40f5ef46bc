/** `GET /api/events`: the server-sent event stream the dashboard listens to (see live-updates.ts). */
import type { RoutePlugin } from "../context.js";

export const eventRoutes: RoutePlugin = (app, ctx) => {
  app.get("/api/events", (req, reply) => {
    reply.hijack();
    ctx.live.attach(reply.raw);
  });
};
