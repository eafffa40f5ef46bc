/** Writes the config table of docs/configuration.md and .env.example from src/config/schema.ts. */
import { readFileSync, writeFileSync } from "node:fs";
import { CONFIG_PAGE, envExample, withConfigTable } from "../src/config/docs.js";

writeFileSync(CONFIG_PAGE, withConfigTable(readFileSync(CONFIG_PAGE, "utf8")));
writeFileSync(".env.example", envExample());
console.log(`${CONFIG_PAGE} config table and .env.example written`);
