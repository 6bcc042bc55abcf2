import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Page } from "playwright-core";
import { hasChromium, openBrowser, screenshot } from "./browser";
import { FIRST_LESSON, lessonCard } from "./site-driver";

describe.runIf(hasChromium())("catalog and lesson progress", () => {
  let page: Page;
  let close: () => Promise<void>;
  const baseURL = inject("baseURL");

  beforeAll(async () => {
    ({ page, close } = await openBrowser());
  });
  afterAll(async () => {
    await close?.();
  });

  const card = () => lessonCard(page, FIRST_LESSON.title);

  it("lists every lesson on the catalog, not started for a new visitor", async () => {
    await page.goto(baseURL + "/");
    await expect(page.getByRole("heading", { level: 1 }).count()).resolves.toBe(1);
    await expect(card().textContent()).resolves.toContain("Not started");
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === "netlab_learner")?.httpOnly).toBe(true);
    await screenshot(page, "catalog-new-visitor");
  });

  it("opens a lesson with its table of contents", async () => {
    // The page reports the visit once mounted: listen before clicking, it may answer at once.
    const reported = page.waitForResponse((r) => r.url().endsWith("/api/progress") && r.status() === 204);
    await card().getByRole("link").first().click();
    await page.waitForURL(/\/lessons\/network-namespaces$/);
    await expect(page.getByRole("heading", { level: 1, name: FIRST_LESSON.title }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole("navigation", { name: /on this page/i }).count()).resolves.toBeGreaterThan(0);
    await reported;
    await screenshot(page, "lesson-network-namespaces");
  });

  it("shows the lesson as started on the catalog after a reload", async () => {
    await page.goto(baseURL + "/");
    await page.reload();
    await expect(card().textContent()).resolves.toContain("In progress");
    await screenshot(page, "catalog-lesson-started");
  });

  it("answers an unknown page with the 404 page", async () => {
    const res = await page.goto(baseURL + "/lessons/no-such-lesson");
    expect(res?.status()).toBe(404);
    await expect(page.getByRole("link", { name: /lessons|catalog/i }).count()).resolves.toBeGreaterThan(0);
    await screenshot(page, "not-found");
  });

  it("is usable on a narrow screen", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(baseURL + FIRST_LESSON.path);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, "lesson-mobile");
  });
});

describe.runIf(hasChromium())("progress API", () => {
  const baseURL = inject("baseURL");

  it.each([
    ["rejects malformed JSON", "{", 400, "request body is not valid JSON"],
    ["names the missing field", "{}", 400, "lesson:"],
    ["rejects an unknown lesson", JSON.stringify({ lesson: "nope", status: "started" }), 404, 'no lesson named "nope"'],
    ["rejects an oversized body", JSON.stringify({ lesson: "x".repeat(5000), status: "started" }), 413, "larger than"],
  ])("%s", async (_name, body, status, message) => {
    const res = await fetch(baseURL + "/api/progress", { method: "POST", body, headers: { "content-type": "application/json", origin: baseURL } });
    expect(res.status).toBe(status);
    expect((await res.json()).error).toContain(message);
  });
});
