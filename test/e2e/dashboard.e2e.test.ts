import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Page } from "playwright-core";
import { hasChromium, openBrowser, screenshot } from "./browser";

describe.runIf(hasChromium())("progress dashboard", () => {
  let page: Page;
  let close: () => Promise<void>;
  const baseURL = inject("baseURL");

  beforeAll(async () => {
    ({ page, close } = await openBrowser());
  });
  afterAll(async () => {
    await close?.();
  });

  it("shows a guest their progress, the chart with its table, and asks them to create an account", async () => {
    await page.goto(baseURL + "/dashboard");
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Your progress");
    await expect(page.getByRole("heading", { name: "Create an account to keep it" }).isVisible()).resolves.toBe(true);
    const lessons = page.getByRole("table").first();
    await expect(lessons.getByRole("row").count()).resolves.toBeGreaterThan(1);
    await expect(lessons.textContent()).resolves.toContain("Not started");
    const chart = page.getByRole("img", { name: /Progress over the last 30 days/ });
    await expect(chart.isVisible()).resolves.toBe(true);
    await page.getByText("Show the numbers as a table").click();
    await expect(page.getByRole("table").filter({ hasText: "Day (UTC)" }).getByRole("row").count()).resolves.toBe(31);
    // Joining a cohort needs an account: no form for a guest.
    await expect(page.getByLabel("Join code").count()).resolves.toBe(0);
    await screenshot(page, "dashboard-guest");
  });

  it("lets a new account try a join code and says when it names no cohort", async () => {
    const email = `dash-${Date.now()}@example.test`;
    const status = await page.evaluate(async (email) => {
      const res = await fetch("/api/auth/signup", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email, password: "a long enough password", displayName: "Dash Tester" }),
      });
      return res.status;
    }, email);
    expect(status).toBe(201);
    await page.goto(baseURL + "/dashboard");
    await expect(page.getByText("Signed in as").textContent()).resolves.toContain("Dash Tester");
    await page.getByLabel("Join code").fill("2345-6789");
    await page.getByRole("button", { name: "Join" }).click();
    const error = page.locator("form [role=alert]");
    await error.waitFor();
    await expect(error.textContent()).resolves.toMatch(/no cohort has the code 2345-6789/);
    await screenshot(page, "dashboard-account");
  });

  it("keeps cohort and admin pages from learners", async () => {
    const cohort = await page.goto(`${baseURL}/cohorts/${crypto.randomUUID()}`);
    expect(cohort?.status()).toBe(404);
    const admin = await page.goto(baseURL + "/admin");
    expect(admin?.status()).toBe(404);
    await page.goto(baseURL + "/cohorts");
    await expect(page.getByText("Cohorts are created by instructors").isVisible()).resolves.toBe(true);
  });
});
