/** Loads `.env` from the working directory if present; real environment variables win. */
import { existsSync } from "node:fs";

export function loadDotEnv(path = ".env"): void {
  if (existsSync(path)) process.loadEnvFile(path);
}
