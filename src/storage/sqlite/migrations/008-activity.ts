/** Migration: what an agent is doing (withHeartbeat: running/idle/stuck, node, step, thread, last run), as JSON. */
export default `
  ALTER TABLE agents ADD COLUMN activity TEXT;
`;
