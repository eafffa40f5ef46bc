export { loadConfig, redactConfig, type ConfigOverrides } from "./load.js";
export { VARIABLES, LOG_LEVELS, type Config, type LogLevel } from "./schema.js";
