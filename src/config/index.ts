export { loadConfig, redactConfig, type ConfigOverrides } from "./load.js";
export { VARIABLES, LOG_LEVELS, DETECTION_MODES, type Config, type DetectionMode, type LogLevel } from "./schema.js";
export { withDefaults } from "./defaults.js";
export { defaultHostName } from "./host-name.js";
