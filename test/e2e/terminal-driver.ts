import type { Page } from "playwright-core";

/**
 * Driving the lesson's or the playground's terminal from the browser, as a learner does: keys and
 * pastes in, rows of xterm's DOM renderer (`.xterm-rows`) out. Every wait is on what the screen
 * shows, never on a clock.
 */

export const PROMPT = "controlplane:~$";

/**
 * The terminal's rows as text, trailing blank rows dropped. It runs in the page, and the waits
 * below send its source there: a page function cannot call back into Node.
 */
function pageRows(): string[] {
  const rows = [...document.querySelectorAll(".xterm-rows > div")].map((row) => (row.textContent ?? "").replace(/\u00a0/g, " ").trimEnd());
  while (rows.length > 0 && rows[rows.length - 1] === "") rows.pop();
  return rows;
}

/** The rows up to the last non-empty one. */
export async function visible(page: Page): Promise<string[]> {
  return page.evaluate(pageRows);
}

/**
 * Waits until `predicate(rows, arg)` holds for the rows `visible` would return. The predicate
 * runs in the page, so it may use nothing but its arguments (`arg` must be JSON).
 */
export async function waitForRows<T = undefined>(page: Page, predicate: (rows: string[], arg: T) => boolean, arg?: T, timeout = 10_000): Promise<void> {
  await page.waitForFunction(`(${predicate.toString()})((${pageRows.toString()})(), ${JSON.stringify(arg) ?? "undefined"})`, undefined, { timeout });
}

/** Waits until the last non-empty row is `text` (the prompt line, usually). */
export async function waitForLastLine(page: Page, text: string, timeout = 10_000): Promise<void> {
  await waitForRows(page, (rows, expected) => rows[rows.length - 1] === expected, text, timeout);
}

/**
 * Types a command that fits on one row, presses Enter and returns the output rows up to the next
 * prompt. For a long command, or several lines, use `typeCommand`.
 */
export async function run(page: Page, command: string, prompt = PROMPT): Promise<string[]> {
  await page.keyboard.type(command);
  await waitForLastLine(page, `${prompt} ${command}`);
  const before = (await visible(page)).length;
  await page.keyboard.press("Enter");
  await waitForRows(page, (rows, [count, p]) => rows.length > count && rows[rows.length - 1] === p, [before, prompt] as const);
  const lines = await visible(page);
  const at = lines.lastIndexOf(`${prompt} ${command}`);
  return lines.slice(at + 1, -1);
}

/** Pastes text into the terminal as the browser does (a paste event on xterm's textarea). */
export async function paste(page: Page, text: string): Promise<void> {
  await page.evaluate((t) => {
    const data = new DataTransfer();
    data.setData("text/plain", t);
    document.querySelector(".xterm-helper-textarea")!.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

/** Ctrl-L: a clear screen, so the next command's output is all that is on it. */
export async function clear(page: Page): Promise<void> {
  await page.keyboard.press("Control+L");
  // Only the prompt: the last row was the prompt before Ctrl-L too.
  await waitForRows(page, (rows, prompt) => rows.length === 1 && rows[0] === prompt, PROMPT);
}

/**
 * On a cleared screen, types `input` key by key as a learner does: one command, or several lines
 * (a here-document: each line after the `> ` prompt the shell shows for the next). Waits for the
 * prompt after it and returns the output rows. Long lines may wrap onto several rows.
 */
export async function typeCommand(page: Page, input: string, timeout = 10_000): Promise<string[]> {
  const lines = input.replace(/\n+$/, "").split("\n");
  await clear(page);
  for (const [i, line] of lines.entries()) {
    await page.keyboard.type(line);
    // The line as echoed: after the prompt, or after the here-document's `> `.
    await waitForRows(page, (rows, echo) => rows.join("").replace(/\s/g, "").endsWith(echo), squeeze(`${i === 0 ? PROMPT : ">"} ${line}`), timeout);
    await page.keyboard.press("Enter");
    if (i < lines.length - 1) await waitForLastLine(page, ">", timeout);
  }
  return outputAfter(page, lines, timeout);
}

/**
 * On a cleared screen, pastes `input` (one command or several lines, a here-document …) as a
 * learner pastes it, waits for the prompt after it and returns the output rows.
 */
export async function pasteCommand(page: Page, input: string, timeout = 10_000): Promise<string[]> {
  await clear(page);
  await paste(page, input.endsWith("\n") ? input : `${input}\n`);
  return outputAfter(page, input.replace(/\n+$/, "").split("\n"), timeout);
}

/** Whitespace removed: rows of a wrapped line compare with the line. */
const squeeze = (text: string) => text.replace(/\s/g, "");

/**
 * Waits for the prompt after the input `lines` were entered on a cleared screen, and returns what
 * follows their echo. A long output scrolls the echo off the screen: then every row is output.
 */
async function outputAfter(page: Page, lines: string[], timeout: number): Promise<string[]> {
  await waitForRows(page, (rows, prompt) => rows.length >= 2 && rows[rows.length - 1] === prompt, PROMPT, timeout);
  const echo = squeeze([`${PROMPT} ${lines[0]}`, ...lines.slice(1).map((line) => `> ${line}`)].join(""));
  const rows = await visible(page);
  let echoed = "";
  let i = 0;
  while (i < rows.length && !squeeze(echoed).includes(echo)) echoed += rows[i++];
  return i < rows.length ? rows.slice(i, -1) : rows.slice(0, -1);
}
