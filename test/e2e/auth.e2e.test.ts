import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Page } from "playwright-core";
import { hasChromium, openBrowser, screenshot } from "./browser";
import { accountButton, catalogStatus, FIRST_LESSON, header, signIn, signOut } from "./site-driver";

const EMAIL = `ada.${Date.now()}@example.org`;
const PASSWORD = "packets through veth pairs";

describe.runIf(hasChromium())("accounts", () => {
  let page: Page;
  let close: () => Promise<void>;
  const baseURL = inject("baseURL");

  beforeAll(async () => {
    ({ page, close } = await openBrowser());
  });
  afterAll(async () => {
    await close?.();
  });

  const lessonStatus = () => catalogStatus(page, baseURL, FIRST_LESSON.title);

  it("offers a guest to sign in from the header, coming back to the page they were on", async () => {
    const reported = page.waitForResponse((r) => r.url().endsWith("/api/progress") && r.status() === 204);
    await page.goto(baseURL + FIRST_LESSON.path);
    await reported;
    const signInLink = header(page).getByRole("link", { name: "Sign in" });
    await signInLink.waitFor();
    expect(await signInLink.getAttribute("href")).toBe("/signin?next=%2Flessons%2Fnetwork-namespaces");
    await signInLink.click();
    await page.waitForURL(/\/signin\?next=/);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Sign in to netlab");
    await screenshot(page, "auth-signin");
  });

  it("signs up, keeping the guest's progress, with inline errors first", async () => {
    await page.getByRole("link", { name: "Create an account" }).click();
    await page.waitForURL(/\/signup\?next=%2Flessons%2Fnetwork-namespaces$/);
    await page.getByRole("button", { name: "Create account" }).click();
    const emailError = page.getByText("Email is required.");
    await emailError.waitFor();
    expect(await page.getByLabel("Email").getAttribute("aria-invalid")).toBe("true");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("name"))).toBe("email");

    await page.getByLabel("Name").fill("Ada");
    await page.getByLabel("Email").fill(EMAIL);
    await page.getByLabel("Password", { exact: true }).fill("short");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByText("Password must be at least 10 characters.").waitFor();
    await screenshot(page, "auth-signup-errors");

    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL((url) => url.pathname === FIRST_LESSON.path);
    await accountButton(page).waitFor();
    expect(await accountButton(page).textContent()).toContain("Ada");
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === "netlab_session");
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe("Lax");
    expect(await lessonStatus()).toContain("In progress");
  });

  it("shows the account menu with the dashboard and sign-out", async () => {
    await accountButton(page).click();
    const menu = header(page).locator("[id]", { hasText: EMAIL }).last();
    await menu.getByRole("link", { name: "Dashboard" }).waitFor();
    await screenshot(page, "auth-account-menu");
    await page.keyboard.press("Escape");
    expect(await accountButton(page).getAttribute("aria-expanded")).toBe("false");
  });

  it("signs out: the header offers sign-in again and the browser is a new guest", async () => {
    await signOut(page);
    expect((await page.context().cookies()).some((c) => c.name === "netlab_session")).toBe(false);
    expect(await lessonStatus()).toContain("Not started");
  });

  it("refuses a wrong password, then signs in and finds the progress again", async () => {
    await page.goto(baseURL + "/signin");
    await signIn(page, EMAIL.toUpperCase(), "not my password");
    await page.getByRole("alert").filter({ hasText: "Email or password is incorrect." }).waitFor();
    await screenshot(page, "auth-signin-wrong-password");

    await signIn(page, EMAIL.toUpperCase(), PASSWORD);
    await page.waitForURL((url) => url.pathname === "/dashboard");
    await accountButton(page).waitFor();
    expect(await lessonStatus()).toContain("In progress");
  });

  it("sends a signed-in visitor away from the sign-in page", async () => {
    await page.goto(baseURL + "/signin?next=/playground");
    await page.waitForURL((url) => url.pathname === "/playground");
  });

  it("looks right in dark mode and on a narrow screen", async () => {
    await signOut(page);
    await page.emulateMedia({ colorScheme: "dark" });
    await page.goto(baseURL + "/signup");
    await screenshot(page, "auth-signup-dark");
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(baseURL + "/signin");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, "auth-signin-mobile");
    await page.emulateMedia({ colorScheme: "light" });
    await page.setViewportSize({ width: 1280, height: 900 });
  });
});

describe.runIf(hasChromium())("auth API", () => {
  const baseURL = inject("baseURL");
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(baseURL + path, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json", ...headers } });

  it.each(["/api/auth/signup", "/api/auth/signin", "/api/auth/signout"])("refuses a cross-site POST to %s", async (path) => {
    const res = await post(path, { email: "x@example.org", password: PASSWORD }, { origin: "https://evil.example" });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: "cross-site request refused" });
  });

  it("answers errors as JSON without stack traces", async () => {
    const res = await fetch(baseURL + "/api/auth/signin", { method: "POST", body: "{", headers: { "content-type": "application/json", origin: baseURL } });
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ error: "request body is not valid JSON" });
    expect(text).not.toMatch(/\bat .*\(.*:\d+:\d+\)/);
  });
});
