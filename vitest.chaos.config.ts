import { defineConfig } from "vitest/config";

/** `npm run test:chaos`: the fault-injection suite (root: tmpfs, libfaketime), its own CI step after `npm test`. */
export default defineConfig({
  test: {
    include: ["test/chaos/**/*.chaos.test.ts"],
    pool: "forks",
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 120_000,
    reporters: ["default"],
  },
});
