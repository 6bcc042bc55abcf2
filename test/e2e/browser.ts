import { mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Locator, type Page } from "playwright-core";
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

/**
 * `RESULTS_DIR/<name>.png`: the whole page, or only what the viewport shows (`fullPage: false`,
 * what the learner sees of a long page), or one element. An element taller than the viewport is
 * captured beyond it, where the sticky site header would be painted across it: it is hidden then.
 */
export async function screenshot(target: Page | Locator, name: string, { fullPage = true } = {}): Promise<void> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${name}.png`);
  if ("goto" in target) await target.screenshot({ path: file, fullPage });
  else await target.screenshot({ path: file, style: "body > header { visibility: hidden; }" });
}

/** Skip e2e tests (loudly, in global setup) when no Chromium is available outside CI. */
export const hasChromium = (): boolean => inject("chromiumPath") !== null;
