export { Notifier, type NotifierOptions } from "./notifier.js";
export { channelsFromConfig, dashboardLink } from "./config.js";
export { parseChannelUrl, parseChannelUrls, redactUrl } from "./channel-url.js";
export { deliver } from "./deliver.js";
export { WEBHOOK_BODY_VERSION, signature, webhookBody } from "./wire.js";
export * from "./types.js";
export { startNotifier } from "./start.js";
export { sendTestMessage, type TestResult } from "./test-message.js";
