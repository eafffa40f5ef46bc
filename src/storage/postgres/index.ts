/** The PostgreSQL backend (DATABASE_URL), loaded by openStore() only when it is selected. */
export { PgStore, type PgStoreOptions } from "./pg-store.js";
export { SCHEMA_VERSION } from "./migrations.js";
export { redactUrl } from "./connection.js";
