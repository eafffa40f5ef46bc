/** Migration 5: the notifier's outbox (one row per message per channel, written once per key) and silences. */
export default (s: string) => `
  CREATE TABLE ${s}.notify_outbox (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    channel text NOT NULL,
    key text NOT NULL,
    event text NOT NULL,
    agents json NOT NULL,
    payload json NOT NULL,
    created_at bigint NOT NULL,
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','delivered','dead')),
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at bigint NOT NULL,
    last_error text,
    delivered_at bigint,
    UNIQUE (channel, key)
  );
  CREATE INDEX notify_outbox_pending ON ${s}.notify_outbox(channel, id) WHERE status = 'pending';

  CREATE TABLE ${s}.silences (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    pattern text NOT NULL,
    reason text,
    created_at bigint NOT NULL,
    until bigint NOT NULL,
    hold_restarts boolean NOT NULL DEFAULT false
  );
  CREATE INDEX silences_until ON ${s}.silences(until);
`;
