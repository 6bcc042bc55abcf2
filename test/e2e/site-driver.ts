import type { Locator, Page } from "playwright-core";

/** Moving around the site as a visitor does: the header's account menu, the account forms, the catalog. */

/** The first lesson, which every e2e file visits. */
export const FIRST_LESSON = {
  slug: "network-namespaces",
  path: "/lessons/network-namespaces",
  title: "Network namespaces and the pause container",
};

export const header = (page: Page): Locator => page.getByRole("banner");

/** The signed-in header's button that opens the account menu. */
export const accountButton = (page: Page): Locator => header(page).getByRole("button", { name: /account menu for/i });

/** A lesson's card on the catalog (`/`). */
export const lessonCard = (page: Page, title: string): Locator => page.locator("main li", { hasText: title }).first();

/** The status a lesson's card on the catalog shows ("Not started", "In progress" …), after opening the catalog. */
export async function catalogStatus(page: Page, baseURL: string, title: string): Promise<string | null> {
  await page.goto(baseURL + "/");
  return lessonCard(page, title).textContent();
}

/** Fills the sign-up form the page shows and submits it. */
export async function signUp(page: Page, account: { name: string; email: string; password: string }): Promise<void> {
  await page.getByLabel("Name").fill(account.name);
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password", { exact: true }).fill(account.password);
  await page.getByRole("button", { name: "Create account" }).click();
}

/** Fills the sign-in form the page shows and submits it. */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Signs out from the account menu and waits for the header to offer signing in again. */
export async function signOut(page: Page): Promise<void> {
  await accountButton(page).click();
  await header(page).getByRole("button", { name: "Sign out" }).click();
  await header(page).getByRole("link", { name: "Sign in" }).waitFor();
}
