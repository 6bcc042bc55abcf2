import { mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { inject } from "vitest";

export const RESULTS_DIR = path.join(process.cwd(), "test-results");

/** Debian's Chromium, headless, in a throw-away profile, with no traffic to the closed network. */
export async function openBrowser(): Promise<{ context: BrowserContext; page: Page; close: () => Promise<void> }> {
  const executablePath = inject("chromiumPath");
  if (!executablePath) throw new Error("no Chromium");
  const profile = await mkdtemp(path.join(os.tmpdir(), "netlab-e2e-profile-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: ["--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(RESULTS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(RESULTS_DIR, `${name}.png`), fullPage: true });
}

/** Skip e2e tests (loudly, in global setup) when no Chromium is available outside CI. */
export const hasChromium = (): boolean => inject("chromiumPath") !== null;
