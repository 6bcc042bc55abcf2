import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    baseURL: string;
    chromiumPath: string | null;
  }
}

const CANDIDATES = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

let server: ChildProcess | undefined;
let dataDir: string | undefined;

export async function setup(project: TestProject) {
  const chromiumPath = CANDIDATES.find((p): p is string => !!p && existsSync(p)) ?? null;
  if (!chromiumPath) {
    if (process.env.CI === "true") throw new Error("e2e: no Chromium found, and CI=true requires the e2e suite to run (apt-get install -y chromium)");
    console.warn(`\n${"!".repeat(72)}\n!! e2e: NO CHROMIUM FOUND — the end-to-end suite is SKIPPED.\n!! Install it with: apt-get install -y chromium   (or set CHROMIUM_PATH)\n${"!".repeat(72)}\n`);
    project.provide("chromiumPath", null);
    project.provide("baseURL", "");
    return;
  }
  // Both children inherit the environment, so NETLAB_DIST_DIR (next.config.mjs's distDir) names
  // the folder the build writes and the server serves: parallel runs each use their own.
  if (process.env.E2E_SKIP_BUILD !== "1") {
    const build = spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], { stdio: "inherit" });
    if (build.status !== 0) throw new Error("e2e: next build failed");
  }
  dataDir = await mkdtemp(path.join(os.tmpdir(), "netlab-e2e-db-"));
  const port = await freePort();
  // The production server, as `npm start` runs it.
  server = spawn(process.execPath, ["server.mjs"], {
    env: { ...process.env, NETLAB_DATA_DIR: dataDir, DATABASE_URL: "", NODE_ENV: "production", PORT: String(port), HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  server.stdout?.on("data", (d) => (log += d));
  server.stderr?.on("data", (d) => (log += d));
  const baseURL = `http://127.0.0.1:${port}`;
  await waitForServer(baseURL, () => log);
  project.provide("chromiumPath", chromiumPath);
  project.provide("baseURL", baseURL);
}

export async function teardown() {
  server?.kill("SIGTERM");
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

async function waitForServer(url: string, log: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server?.exitCode !== null) throw new Error(`e2e: the server exited:\n${log()}`);
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`e2e: the server did not answer within 60 s:\n${log()}`);
}
