/** Migration: the notifier's outbox (one row per message per channel) and silences. */
export default `
  CREATE TABLE notify_outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    channel TEXT NOT NULL,
    key TEXT NOT NULL,
    event TEXT NOT NULL,
    agents TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','delivered','dead')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error TEXT,
    delivered_at INTEGER,
    UNIQUE (channel, key)
  );
  CREATE INDEX notify_outbox_pending ON notify_outbox(channel, id) WHERE status = 'pending';

  CREATE TABLE silences (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    pattern TEXT NOT NULL,
    reason TEXT,
    created_at INTEGER NOT NULL,
    until INTEGER NOT NULL,
    hold_restarts INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX silences_until ON silences(until);
`;
