import { defineConfig } from "vitest/config";

// End-to-end tests: a production build served by server.mjs (as `npm start` serves it), driven by Debian's Chromium.
export default defineConfig({
  test: {
    include: ["test/e2e/**/*.e2e.test.ts"],
    globalSetup: ["test/e2e/global-setup.ts"],
    environment: "node",
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 300_000,
  },
});
