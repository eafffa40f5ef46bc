/**
 * Migration 10: the agent list's order by name (byte order, COLLATE "C", as on SQLite) read from an
 * index: the primary key is in the database's collation, so a page of 50 sorted every agent
 * (~40 ms at 100k). Names never change, so heartbeats stay HOT updates.
 */
export default (s: string) => `
  CREATE INDEX agents_name_c ON ${s}.agents (name COLLATE "C");
`;
