export { FileStateLock, InProcessLock, type StateLock, type FileLockOptions } from "./state-lock.js";
export { withRetry, backoffDelay, type RetryOptions } from "./retry.js";
export { lockHolders, describeHolders, type LockHolder } from "./lock-holders.js";
