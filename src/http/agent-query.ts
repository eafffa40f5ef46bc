/** `GET /api/agents`: the query string as a store query, the records as views, and the total for paging. */
import type { StateStore } from "../storage/index.js";
import { toAgentView, type AgentView } from "../views/agent-view.js";
import type { ListQuery } from "./schemas.js";

export async function queryAgents(store: StateStore, q: ListQuery, now: number): Promise<{ total: number; views: AgentView[] }> {
  const filter = { states: q.state, nameContains: q.q };
  const records = await store.getRegisteredAgents({ ...filter, sort: q.sort, order: q.order, limit: q.limit, offset: q.offset });
  const paged = q.limit !== undefined || q.offset !== undefined;
  const total = paged ? await store.countAgents(filter) : records.length;
  return { total, views: records.map((r) => toAgentView(r, now)) };
}
