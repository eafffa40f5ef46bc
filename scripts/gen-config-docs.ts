/** Writes the README config table and .env.example from src/config/schema.ts. */
import { readFileSync, writeFileSync } from "node:fs";
import { envExample, withConfigTable } from "../src/config/docs.js";

writeFileSync("README.md", withConfigTable(readFileSync("README.md", "utf8")));
writeFileSync(".env.example", envExample());
console.log("README.md config table and .env.example written");
