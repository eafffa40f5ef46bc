/** Migration 6: what an agent is doing (withHeartbeat: running/idle/stuck, node, step, thread, last run), as JSON. */
export default (s: string) => `
  ALTER TABLE ${s}.agents ADD COLUMN activity json;
`;
