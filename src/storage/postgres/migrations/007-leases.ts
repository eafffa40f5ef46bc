/**
 * Migration 7: leader leases between monitors (a row per lease; its epoch is the fencing token the
 * leader's writes carry) and the members that compete for one (who is there, on which host).
 */
export default (s: string) => `
  CREATE TABLE ${s}.leases (
    name text PRIMARY KEY,
    holder text,
    epoch bigint NOT NULL DEFAULT 0,
    expires_at bigint NOT NULL DEFAULT 0,
    acquired_at bigint NOT NULL DEFAULT 0
  );
  CREATE TABLE ${s}.lease_members (
    lease text NOT NULL,
    holder text NOT NULL,
    host text NOT NULL,
    pid integer NOT NULL,
    agent text NOT NULL,
    seen_at bigint NOT NULL,
    PRIMARY KEY (lease, holder)
  );
`;
