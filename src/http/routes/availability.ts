/**
 * `GET /api/availability` (every agent's uptime over 24 h / 7 d / 30 d, last outage, MTTR and beat
 * strip, keyed by name) and `GET /api/agents/:name/availability` (one agent's).
 */
import { AgentNotFoundError } from "../../errors/index.js";
import { readAvailability } from "../../views/fleet-availability.js";
import type { RoutePlugin } from "../context.js";
import { parseOr400 } from "../errors.js";
import { nameParams } from "../schemas.js";

export const availabilityRoutes: RoutePlugin = (app, ctx) => {
  app.get("/api/availability", async () => {
    const now = ctx.clock.now();
    const figures = await readAvailability(ctx.store, await ctx.store.getRegisteredAgents(), now);
    return { at: new Date(now).toISOString(), agents: Object.fromEntries(figures) };
  });

  app.get("/api/agents/:name/availability", async (req) => {
    const { name } = parseOr400(nameParams, req.params, "agent name");
    const record = await ctx.store.getAgent(name);
    if (!record) throw new AgentNotFoundError(name);
    const now = ctx.clock.now();
    return (await readAvailability(ctx.store, [record], now)).get(name);
  });
};
