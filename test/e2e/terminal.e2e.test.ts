import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Page } from "playwright-core";
import { hasChromium, openBrowser, screenshot as save } from "./browser";
import { FIRST_LESSON } from "./site-driver";
import { clear, paste, pasteCommand, PROMPT, run, typeCommand, visible, waitForLastLine, waitForRows } from "./terminal-driver";

/**
 * Milliseconds from a key's keydown to what it changes in `.xterm-rows`, measured in the page:
 * "change" waits for any change of the rows' text, "prompt" for a new prompt on the last row.
 */
async function keyLatency(page: Page, key: string, until: "change" | "prompt"): Promise<number> {
  // Install the probe first (and wait for it), then press the key, then collect the figure.
  await page.evaluate(
    ([mode, prompt]) => {
      const rows = document.querySelector(".xterm-rows")!;
      const text = () => rows.textContent ?? "";
      const lastRow = () => {
        const all = [...rows.children].map((r) => (r.textContent ?? "").replace(/\u00a0/g, " ").trimEnd()).filter(Boolean);
        return all[all.length - 1] ?? "";
      };
      const before = text();
      let start = 0;
      document.addEventListener("keydown", () => (start = performance.now()), { capture: true, once: true });
      (window as unknown as { __latency: Promise<number> }).__latency = new Promise<number>((resolve) => {
        const observer = new MutationObserver(() => {
          if (!start) return;
          const done = mode === "change" ? text() !== before : lastRow() === prompt;
          if (done) {
            observer.disconnect();
            resolve(performance.now() - start);
          }
        });
        observer.observe(rows, { subtree: true, childList: true, characterData: true });
      });
    },
    [until, PROMPT] as const,
  );
  await page.keyboard.press(key);
  return page.evaluate(() => (window as unknown as { __latency: Promise<number> }).__latency);
}

/** What the learner sees (the viewport, not the whole long page). */
const screenshot = (page: Page, name: string) => save(page, name, { fullPage: false });

/** Shows (or hides) the live diagram with the panel's "Terminal | Diagram" switch. */
async function showDiagram(page: Page, on: boolean): Promise<void> {
  const button = page.getByRole("button", { name: "Diagram", exact: true });
  if ((await button.getAttribute("aria-pressed")) !== String(on)) await button.click();
  if (on) await page.locator("[data-diagram][data-fill] svg[role=img]").first().waitFor();
  else {
    await page.locator("[data-diagram][data-fill]").first().waitFor({ state: "detached" });
    // The switch had the focus: give it back to the terminal.
    await page.locator(".xterm-screen").click();
  }
}

// `[data-fill]` is the workbench's diagram beside the terminal; the lesson's prose may hold inline ones too.
/** Waits until the pods the diagram draws whose `namespace/name` starts with `prefix` are exactly `names`. */
async function waitForDiagramPods(page: Page, prefix: string, names: string[]): Promise<void> {
  await page.waitForFunction(
    ([start, expected]) => {
      const drawn = [...document.querySelectorAll("[data-diagram][data-fill] [data-pod]")].map((e) => e.getAttribute("data-pod")!).filter((p) => p.startsWith(start as string));
      return JSON.stringify(drawn.sort()) === JSON.stringify([...(expected as string[])].sort());
    },
    [prefix, names.map((n) => `default/${n}`)] as const,
  );
}

/** The Deployment the learner pastes as a here-document. */
const DEPLOYMENT = `kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: hello
spec:
  replicas: 3
  selector:
    matchLabels:
      app: hello
  template:
    metadata:
      labels:
        app: hello
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
EOF
`;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

describe.runIf(hasChromium())("the terminal beside a lesson", () => {
  let page: Page;
  let close: () => Promise<void>;
  const baseURL = inject("baseURL");
  const figures: Record<string, string> = {};
  /** The pods of the Deployment the here-document created. */
  let helloPods: string[] = [];

  beforeAll(async () => {
    ({ page, close } = await openBrowser());
  });
  afterAll(async () => {
    console.log(
      "\nterminal figures:\n" +
        Object.entries(figures)
          .map(([k, v]) => `  ${k}: ${v}`)
          .join("\n"),
    );
    await close?.();
  });

  it("keeps the lesson's first-load JavaScript free of xterm and the engine", async () => {
    const html = await (await fetch(baseURL + FIRST_LESSON.path)).text();
    const scripts = [...new Set([...html.matchAll(/<script[^>]+src="([^"]+\.js)"/g)].map((m) => m[1]))];
    let gzipped = 0;
    for (const src of scripts) {
      const body = Buffer.from(await (await fetch(new URL(src, baseURL))).arrayBuffer());
      expect(body.includes("xterm-helper-textarea"), `${src} holds xterm`).toBe(false);
      expect(body.includes("reverse-i-search"), `${src} holds the line editor`).toBe(false);
      gzipped += gzipSync(body).length;
    }
    figures["lesson first-load JS"] = `${(gzipped / 1024).toFixed(1)} KB gzipped in ${scripts.length} scripts (budget 200 KB)`;
    expect(gzipped).toBeLessThanOrEqual(200 * 1024);
    // Warm the server's database (the page reports the visit), so it does not stall the timing below.
    await fetch(baseURL + "/api/progress", { method: "POST", body: JSON.stringify({ lesson: FIRST_LESSON.slug, status: "started" }), headers: { "content-type": "application/json" } });
  });

  /** Navigation start → prompt on screen, and the load event → prompt, in this page. */
  const promptTiming = () =>
    page.evaluate(() => {
      const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
      const prompt = performance.getEntriesByName("netlab:prompt")[0]?.startTime ?? performance.now();
      return { now: performance.now(), prompt, load: nav.loadEventEnd };
    });

  it("opens a lesson with the terminal logged in", async () => {
    // A fresh profile: nothing cached, no stored session.
    await page.goto(baseURL + FIRST_LESSON.path);
    await waitForLastLine(page, PROMPT);
    const first = await promptTiming();
    await expect(page.getByRole("separator").getAttribute("aria-valuenow")).resolves.toMatch(/^\d+$/);
    await screenshot(page, "terminal-1-ready");
    // Coming back: the browser has the code cached.
    await page.reload();
    await waitForLastLine(page, PROMPT);
    const again = await promptTiming();
    figures["page load → prompt visible (first visit, empty cache)"] = `${first.now.toFixed(0)} ms from navigation start (${(first.prompt - first.load).toFixed(0)} ms after the load event)`;
    figures["page load → prompt visible (return visit)"] = `${again.now.toFixed(0)} ms from navigation start (${(again.prompt - again.load).toFixed(0)} ms after the load event) (budget 1000 ms: ${again.now <= 1000 ? "ok" : "OVER"})`;
    // The budget is a figure to report, not a timed assertion (a shared machine's timing varies
    // by half): this only fails a prompt that takes seconds.
    expect(again.now).toBeLessThanOrEqual(3000);
  });

  it("runs hostname", async () => {
    await page.locator(".xterm-screen").click();
    expect(await run(page, "hostname")).toEqual(["controlplane"]);
    await screenshot(page, "terminal-2-hostname");
  });

  it("recalls the last command with ↑", async () => {
    await page.keyboard.press("ArrowUp");
    await waitForLastLine(page, `${PROMPT} hostname`);
    await page.keyboard.press("Control+C");
    await waitForLastLine(page, PROMPT);
  });

  it("completes hostn to hostname with Tab", async () => {
    await page.keyboard.type("hostn");
    await page.keyboard.press("Tab");
    await waitForLastLine(page, `${PROMPT} hostname`);
    await page.keyboard.press("Enter");
    await waitForLastLine(page, PROMPT);
    const lines = await visible(page);
    expect(lines.slice(-3)).toEqual([`${PROMPT} hostname`, "controlplane", PROMPT]);
  });

  it("runs a pasted here-document as one input", async () => {
    await paste(page, "cat <<EOF > /tmp/x\nhello\nEOF\n");
    await waitForRows(page, (rows) => rows[rows.length - 2] === "> EOF");
    const lines = await visible(page);
    expect(lines.slice(-4)).toEqual([`${PROMPT} cat <<EOF > /tmp/x`, "> hello", "> EOF", PROMPT]);
    expect(await run(page, "cat /tmp/x")).toEqual(["hello"]);
    await screenshot(page, "terminal-3-heredoc");
  });

  it("shows the nodes with kubectl", async () => {
    const output = await run(page, "kubectl get nodes");
    expect(output[0]).toMatch(/^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION$/);
    expect(output.some((l) => /^controlplane\s+Ready\s+control-plane/.test(l))).toBe(true);
    figures["kubectl get nodes"] = `${output.length - 1} node(s)`;
    await screenshot(page, "terminal-4-kubectl");
  });

  it("creates a Deployment from a pasted here-document, and the diagram shows its pods", async () => {
    expect(await pasteCommand(page, DEPLOYMENT)).toEqual(["deployment.apps/hello created"]);
    await clear(page);
    expect((await run(page, "kubectl rollout status deployment/hello")).at(-1)).toBe('deployment "hello" successfully rolled out');
    await clear(page);
    const pods = (await run(page, "kubectl get pods -l app=hello")).slice(1).map((line) => line.split(/\s+/));
    expect(pods).toHaveLength(3);
    for (const [, ready, status] of pods) expect([ready, status]).toEqual(["1/1", "Running"]);
    helloPods = pods.map(([name]) => name);
    await showDiagram(page, true);
    await waitForDiagramPods(page, "default/hello-", helloPods);
    // The picture's text alternative and its tables say what it shows.
    const title = await page.locator("[data-diagram][data-fill] svg[role=img] > title").textContent();
    expect(title).toMatch(/^Cluster diagram: 1 node \(1 Ready\), \d+ pods/);
    for (const name of helloPods) await expect(page.locator("[data-diagram][data-fill] table").getByRole("rowheader", { name, exact: true }).count()).resolves.toBe(1);
    await screenshot(page, "diagram-1-deployment");
    await showDiagram(page, false);
  });

  it("draws the path of a connection a pod made, hop by hop", async () => {
    const target = helloPods[0];
    const [ip] = await typeCommand(page, `kubectl get pod ${target} -o jsonpath={.status.podIP}; echo`);
    expect(ip).toMatch(/^10\.244\.0\.\d+$/);
    expect(await typeCommand(page, `kubectl run probe --image=curlimages/curl --restart=Never -- curl -s ${ip}`)).toEqual(["pod/probe created"]);
    await run(page, "sleep 10");
    await showDiagram(page, true);
    const caption = page.locator("[data-diagram][data-fill]").getByText("Last connection", { exact: true });
    await caption.waitFor();
    await expect(caption.locator("xpath=..").textContent()).resolves.toBe(`Last connection default/probe → ${ip}:80/TCP: connected`);
    const hops = await page.locator("[data-diagram][data-fill] ol li").allTextContents();
    // The sending pod, the namespaces the packet crossed (the node's, between the two veths), the answering pod.
    expect(hops.length).toBeGreaterThanOrEqual(2);
    expect(hops[0]).toMatch(/^1default\/probe /);
    expect(hops.at(-1)).toContain(`default/${target} ${ip} on controlplane`);
    await screenshot(page, "diagram-2-trace");
    await showDiagram(page, false);
  });

  it("measures echo and round-trip latency", async () => {
    const echo: number[] = [];
    for (const key of "abcdefghij") echo.push(await keyLatency(page, key, "change"));
    await page.keyboard.press("Control+U");
    await waitForLastLine(page, PROMPT);
    const roundTrip: number[] = [];
    for (let i = 0; i < 15; i++) {
      await page.keyboard.type("true");
      await waitForLastLine(page, `${PROMPT} true`);
      roundTrip.push(await keyLatency(page, "Enter", "prompt"));
      await waitForLastLine(page, PROMPT);
    }
    figures["keystroke echo"] = `median ${median(echo).toFixed(1)} ms, max ${Math.max(...echo).toFixed(1)} ms (budget 16 ms)`;
    figures["command round-trip (true ⏎ → prompt)"] = `median ${median(roundTrip).toFixed(1)} ms, max ${Math.max(...roundTrip).toFixed(1)} ms (budget 20 ms)`;
    expect(median(echo)).toBeLessThanOrEqual(16);
    expect(median(roundTrip)).toBeLessThanOrEqual(20);
  });

  it("types a code block's command into the terminal with Run in terminal", async () => {
    await clear(page);
    const button = page.getByRole("button", { name: "Run in terminal" }).first();
    await button.scrollIntoViewIfNeeded();
    await button.click();
    // The first shell block of the lesson: three commands, typed as one multi-line input.
    await waitForLastLine(page, "ip netns list");
    expect((await visible(page)).slice(-3)).toEqual([`${PROMPT} ip netns add red`, "ip netns add blue", "ip netns list"]);
    await screenshot(page, "terminal-5-run-button");
    await page.keyboard.press("Control+C");
    await waitForLastLine(page, PROMPT);
  });

  it("lets the keyboard leave the terminal with Esc", async () => {
    await page.locator(".xterm-screen").click();
    await page.keyboard.press("Escape");
    const focused = await page.evaluate(() => document.activeElement?.textContent ?? "");
    expect(focused).toContain("Left the terminal");
    await page.keyboard.press("Enter");
    await expect(page.evaluate(() => document.activeElement?.className)).resolves.toContain("xterm-helper-textarea");
  });

  it("edits a file in vi: insert, Esc, :wq, and the prompt comes back", async () => {
    await clear(page);
    const rowsMatch = (test: (rows: string[]) => boolean) => waitForRows(page, test);
    await page.keyboard.type("vi /tmp/hello");
    await waitForLastLine(page, `${PROMPT} vi /tmp/hello`);
    await page.keyboard.press("Enter");
    await rowsMatch((rows) => rows.some((r) => r.startsWith('"/tmp/hello" [New]')) && rows[1] === "~");
    await page.keyboard.press("i");
    await rowsMatch((rows) => rows.some((r) => r.startsWith("-- INSERT --")));
    await page.keyboard.type("hello from vi");
    await rowsMatch((rows) => rows[0] === "hello from vi");
    await screenshot(page, "terminal-vi");
    await page.keyboard.press("Escape");
    await page.keyboard.type(":wq");
    await rowsMatch((rows) => rows.includes(":wq"));
    await page.keyboard.press("Enter");
    await waitForLastLine(page, PROMPT);
    expect((await visible(page)).slice(-2)).toEqual([`${PROMPT} vi /tmp/hello`, PROMPT]);
    expect(await run(page, "cat /tmp/hello")).toEqual(["hello from vi"]);
  });

  it("restores the same cluster after a reload", async () => {
    await page.reload();
    await waitForLastLine(page, PROMPT);
    await page.locator(".xterm-screen").click();
    // The restored scrollback fills the screen: clear it, so `run` sees the new output.
    await screenshot(page, "terminal-6-after-reload");
    await clear(page);
    expect(await run(page, "cat /tmp/x")).toEqual(["hello"]);
    // The same pods, in the terminal and in the picture.
    const names = (await run(page, "kubectl get pods -l app=hello")).slice(1).map((line) => line.split(/\s+/)[0]);
    expect(names.sort()).toEqual([...helloPods].sort());
    await showDiagram(page, true);
    await waitForDiagramPods(page, "default/hello-", helloPods);
    await waitForDiagramPods(page, "default/probe", ["probe"]);
    await screenshot(page, "diagram-3-after-reload");
    await showDiagram(page, false);
  });

  it("resets to a fresh cluster after confirming", async () => {
    await page.getByRole("button", { name: "Reset" }).click();
    const dialog = page.getByRole("dialog", { name: "Reset the cluster?" });
    await expect(dialog.isVisible()).resolves.toBe(true);
    await screenshot(page, "terminal-7-reset-dialog");
    await dialog.getByRole("button", { name: "Reset cluster" }).click();
    // The old screen ends with a prompt too: wait for the screen the new cluster starts with.
    await waitForRows(page, (rows, prompt) => rows.length === 1 && rows[0] === prompt, PROMPT);
    expect(await visible(page)).toEqual([PROMPT]);
    expect(await run(page, "cat /tmp/x")).toEqual(["cat: /tmp/x: No such file or directory"]);
    await screenshot(page, "terminal-8-after-reset");
    expect(await run(page, "kubectl get deployments")).toEqual(["No resources found in default namespace."]);
    await showDiagram(page, true);
    await waitForDiagramPods(page, "default/hello-", []);
    await waitForDiagramPods(page, "default/probe", []);
    await expect(page.locator("[data-diagram][data-fill]").getByText("Last connection", { exact: true }).count()).resolves.toBe(0);
    await screenshot(page, "diagram-4-after-reset");
    await showDiagram(page, false);
  });

  it("resizes the panes with the divider's arrow keys", async () => {
    const separator = page.getByRole("separator");
    const before = Number(await separator.getAttribute("aria-valuenow"));
    const cols = await page.evaluate(() => document.querySelector(".xterm-rows > div")?.getBoundingClientRect().width ?? 0);
    await separator.focus();
    await page.keyboard.press("Shift+ArrowLeft");
    await expect(separator.getAttribute("aria-valuenow")).resolves.toBe(String(before - 10));
    await page.waitForFunction((w) => (document.querySelector(".xterm-rows > div")?.getBoundingClientRect().width ?? 0) > (w as number), cols);
    await screenshot(page, "terminal-9-wider");
    await page.keyboard.press("Enter");
  });

  it("stacks the terminal under the prose on a narrow screen", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(baseURL + FIRST_LESSON.path);
    // xterm does not render while it is scrolled out of view.
    await page.locator(".xterm-screen").scrollIntoViewIfNeeded();
    await waitForLastLine(page, PROMPT);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, "terminal-10-narrow");
    // Narrow: the diagram is a tab in the terminal's place, not a split.
    await page.getByRole("button", { name: "Diagram", exact: true }).click();
    await page.locator("[data-diagram][data-fill] svg[role=img]").waitFor();
    await expect(page.locator(".xterm-screen").isVisible()).resolves.toBe(false);
    const diagramRight = await page.evaluate(() => document.querySelector("[data-diagram][data-fill]")!.getBoundingClientRect().right);
    expect(diagramRight).toBeLessThanOrEqual(390);
    await page.locator("[data-diagram][data-fill]").scrollIntoViewIfNeeded();
    await screenshot(page, "diagram-5-narrow-tab");
    await page.getByRole("button", { name: "Terminal", exact: true }).click();
    await expect(page.locator(".xterm-screen").isVisible()).resolves.toBe(true);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it("opens the playground on the scenario and seed in the URL", async () => {
    await page.goto(baseURL + "/playground?scenario=three-node-calico&seed=42");
    await waitForLastLine(page, PROMPT);
    await expect(page.getByRole("combobox", { name: "Scenario" }).inputValue()).resolves.toBe("three-node-calico");
    await page.locator(".xterm-screen").click();
    expect(await run(page, "ssh node01 hostname")).toEqual(["node01"]);
    await screenshot(page, "terminal-11-playground");
    await expect(page.getByRole("link", { name: "Playground" }).getAttribute("aria-current")).resolves.toBe("page");
  });

  it("shows the playground's cluster beside the terminal, readable at 3 nodes × 30 pods", async () => {
    await showDiagram(page, true);
    await expect(page.locator("[data-layout]").getAttribute("data-layout")).resolves.toBe("side");
    await page.locator(".xterm-screen").click();
    expect(await typeCommand(page, "kubectl taint nodes controlplane node-role.kubernetes.io/control-plane-")).toEqual(["node/controlplane untainted"]);
    expect(await typeCommand(page, "kubectl create deployment big --image=nginx --replicas=90")).toEqual(["deployment.apps/big created"]);
    expect((await typeCommand(page, "kubectl rollout status deployment/big")).at(-1)).toBe('deployment "big" successfully rolled out');
    await page.waitForFunction(() => document.querySelectorAll('[data-diagram][data-fill] [data-pod^="default/big-"]').length + document.querySelectorAll("[data-diagram][data-fill] [data-collapsible]").length >= 3);
    const nodes = await page.evaluate(() => [...document.querySelectorAll("[data-diagram][data-fill] [data-node]")].map((n) => n.getAttribute("data-node")));
    expect(nodes).toEqual(["controlplane", "node01", "node02"]);
    await screenshot(page, "diagram-6-playground-90-pods");
    // Every pod drawn one by one when asked, and kube-system with them.
    // (kube-system first: its pods make more nodes crowded, and "Every pod" unfolds them all.)
    await page.getByRole("button", { name: /^kube-system/ }).click();
    await page.waitForFunction(() => document.querySelectorAll('[data-diagram][data-fill] [data-pod^="kube-system/"]').length > 0);
    const everyPod = page.getByRole("button", { name: "Every pod" });
    if ((await everyPod.count()) > 0) await everyPod.click();
    await page.waitForFunction(() => document.querySelectorAll('[data-diagram][data-fill] [data-pod^="default/big-"]').length === 90);
    await page.emulateMedia({ colorScheme: "dark" });
    await screenshot(page, "diagram-7-playground-dark");
    await page.emulateMedia({ colorScheme: "light" });
  });
});
