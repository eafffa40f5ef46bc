/**
 * `GET /api/agents`: the query string as a store query, the page as a JSON array of AgentView
 * objects (rendered by the store when it can, else mapped here), and the total for paging.
 */
import type { AgentQuery, StateStore } from "../storage/index.js";
import { toAgentView, type ViewOptions } from "../views/agent-view.js";
import type { ListQuery } from "./schemas.js";

export async function queryAgents(store: StateStore, q: ListQuery, now: number, view: ViewOptions = {}): Promise<{ total: number; json: string }> {
  const filter = { states: q.state, nameContains: q.q };
  const query: AgentQuery = { ...filter, sort: q.sort, order: q.order, limit: q.limit, offset: q.offset };
  const paged = q.limit !== undefined || q.offset !== undefined;
  if (store.agentViewsJson) {
    const { json, count } = await store.agentViewsJson(query, now, view);
    return { total: paged ? await store.countAgents(filter) : count, json };
  }
  const records = await store.getRegisteredAgents(query);
  const total = paged ? await store.countAgents(filter) : records.length;
  return { total, json: JSON.stringify(records.map((r) => toAgentView(r, now, view))) };
}
