import { resourceForKind, type ClusterHandle } from "@/lib/engine";
import type { Check, TextMatch } from "./schema";

/** One line of a verdict, in words a learner understands. */
export interface CheckOutcome {
  description: string;
  passed: boolean;
  /** What was found instead, when it failed. */
  detail?: string;
}

export interface Verdict {
  passed: boolean;
  outcomes: CheckOutcome[];
}

type Obj = Record<string, unknown> & { metadata: { name: string; namespace?: string } };

/**
 * Evaluates a declarative check against a cluster. Every leaf check yields an outcome, so the
 * learner sees what passed and what did not; `all` needs every child, `any` one of them.
 *
 * @example
 * const verdict = await evaluateCheck(cluster, { count: { kind: "Pod", selector: "app=web", phase: "Running" }, equals: 3 });
 * verdict.passed; // true once three web pods run
 */
export async function evaluateCheck(cluster: ClusterHandle, check: Check): Promise<Verdict> {
  const outcomes: CheckOutcome[] = [];
  const passed = await evaluate(cluster, check, outcomes);
  return { passed, outcomes };
}

/**
 * Whether evaluating `check` runs commands on the cluster (a `command` check, or an expected
 * value worked out with `equalsOutputOf`), and so may change it. The other checks only read the
 * store and the nodes' files.
 */
export function runsCommands(check: Check): boolean {
  if ("all" in check) return check.all.some(runsCommands);
  if ("any" in check) return check.any.some(runsCommands);
  if ("command" in check) return true;
  return "file" in check && check.content !== undefined && "equalsOutputOf" in check.content;
}

async function evaluate(cluster: ClusterHandle, check: Check, out: CheckOutcome[]): Promise<boolean> {
  if ("all" in check) {
    let ok = true;
    for (const child of check.all) ok = (await evaluate(cluster, child, out)) && ok;
    return ok;
  }
  if ("any" in check) {
    const inner: CheckOutcome[] = [];
    let ok = false;
    for (const child of check.any) ok = (await evaluate(cluster, child, inner)) || ok;
    out.push({ description: check.description ?? `one of: ${inner.map((o) => o.description).join("; ")}`, passed: ok, detail: ok ? undefined : inner.map((o) => o.detail).filter(Boolean).join("; ") });
    return ok;
  }
  const outcome = await leaf(cluster, check);
  out.push(outcome);
  return outcome.passed;
}

async function leaf(cluster: ClusterHandle, check: Exclude<Check, { all: Check[] } | { any: Check[] }>): Promise<CheckOutcome> {
  const store = cluster.internals.store;
  if ("object" in check) {
    const { kind, namespace, name, selector } = check.object;
    const what = `${kind} ${name ? `${namespace ? `${namespace}/` : ""}${name}` : `matching ${selector ?? "anything"}`}`;
    const description = check.description ?? `${what} exists${check.fields ? " with the expected fields" : ""}`;
    const candidates = find(cluster, kind, namespace, name, selector);
    if (candidates.length === 0) return { description, passed: false, detail: `no ${what} found` };
    let mismatch = "";
    for (const obj of candidates) {
      mismatch = fieldMismatch(obj, check.fields ?? {});
      if (!mismatch) return { description, passed: true };
    }
    return { description, passed: false, detail: mismatch };
  }
  if ("absent" in check) {
    const { kind, namespace, name, selector } = check.absent;
    const found = find(cluster, kind, namespace, name, selector);
    const description = check.description ?? `no ${kind} ${name ?? `matching ${selector}`} remains`;
    return found.length === 0 ? { description, passed: true } : { description, passed: false, detail: `still there: ${found.map((o) => o.metadata.name).join(", ")}` };
  }
  if ("count" in check) {
    const c = check.count;
    let objs = store.list(c.kind, { namespace: c.namespace, labelSelector: c.selector, fieldSelector: c.fieldSelector }) as unknown as Obj[];
    if (c.phase) objs = objs.filter((o) => get(o, "status.phase") === c.phase);
    if (c.ready !== undefined) objs = objs.filter((o) => isReady(o) === c.ready);
    const n = objs.length;
    const bounds = [check.equals !== undefined ? `exactly ${check.equals}` : "", check.min !== undefined ? `at least ${check.min}` : "", check.max !== undefined ? `at most ${check.max}` : ""].filter(Boolean).join(" and ");
    const description = check.description ?? `${bounds || "some"} ${c.phase ? `${c.phase} ` : ""}${c.kind}${c.selector ? ` matching ${c.selector}` : ""}`;
    let ok = (check.equals === undefined || n === check.equals) && (check.min === undefined || n >= check.min) && (check.max === undefined || n <= check.max);
    if (check.equals === undefined && check.min === undefined && check.max === undefined) ok = n > 0;
    if (ok && c.distinctNodes) {
      const nodes = objs.map((o) => get(o, "spec.nodeName"));
      if (new Set(nodes).size !== nodes.length) return { description, passed: false, detail: `two or more of them run on the same node (${nodes.join(", ")})` };
    }
    return ok ? { description, passed: true } : { description, passed: false, detail: `found ${n}` };
  }
  if ("command" in check) {
    const description = check.description ?? `\`${check.command}\` ${check.stdout ? `prints ${describeMatch(check.stdout)}` : "succeeds"}`;
    const host = check.host ?? "controlplane";
    const want = check.stdout && (await resolveMatch(cluster, host, check.stdout));
    if (want && "unresolved" in want) return { description, passed: false, detail: want.unresolved };
    const result = await runOn(cluster, host, check.command);
    const wantExit = check.exitCode ?? (want ? undefined : 0);
    if (wantExit !== undefined && result.exitCode !== wantExit) {
      return { description, passed: false, detail: `exit status ${result.exitCode}${result.stderr ? `: ${result.stderr.trim().split("\n")[0]}` : ""}` };
    }
    if (want && !matches(result.stdout, want)) return { description, passed: false, detail: `it printed: ${abbreviate(result.stdout)}` };
    return { description, passed: true };
  }
  const host = check.file.host ?? "controlplane";
  const description = check.description ?? `${check.file.path} on ${host}${check.content ? ` contains ${describeMatch(check.content)}` : " exists"}`;
  const node = cluster.internals.nodes.get(host);
  if (!node) return { description, passed: false, detail: `no node named ${host}` };
  if (!node.fs.exists(check.file.path)) return { description, passed: false, detail: "the file does not exist" };
  const want = check.content && (await resolveMatch(cluster, host, check.content));
  if (want && "unresolved" in want) return { description, passed: false, detail: want.unresolved };
  const text = node.fs.readFile(check.file.path);
  if (want && !matches(text, want)) return { description, passed: false, detail: `it contains: ${abbreviate(text)}` };
  return { description, passed: true };
}

/** Runs a command in a fresh login shell on a node, as a learner who just logged in would. */
async function runOn(cluster: ClusterHandle, host: string, command: string) {
  const sh = cluster.shell();
  if (host !== "controlplane") await sh.run(`ssh ${host}`);
  return sh.run(command);
}

/** A match with its expected text spelled out. */
type LiteralMatch = Exclude<TextMatch, { equalsOutputOf: string }>;

/**
 * Turns `equalsOutputOf` into the text its command prints now, on the same node. A command that
 * fails or prints nothing gives no answer to compare with (an empty file must not match it).
 */
async function resolveMatch(cluster: ClusterHandle, host: string, m: TextMatch): Promise<LiteralMatch | { unresolved: string }> {
  if (!("equalsOutputOf" in m)) return m;
  const result = await runOn(cluster, host, m.equalsOutputOf);
  const value = result.stdout.trim();
  if (result.exitCode === 0 && value !== "") return { equals: value };
  const why = result.exitCode !== 0 ? `failed with exit status ${result.exitCode}` : "printed nothing";
  return { unresolved: `the expected value could not be worked out on the cluster (\`${m.equalsOutputOf}\` ${why}): is what it looks for still there?` };
}

function find(cluster: ClusterHandle, kind: string, namespace: string | undefined, name: string | undefined, selector: string | undefined): Obj[] {
  const store = cluster.internals.store;
  if (name) {
    const namespaced = resourceForKind(kind)?.namespaced ?? true;
    const obj = store.find(kind, namespaced ? (namespace ?? "default") : undefined, name);
    return obj ? [obj as unknown as Obj] : [];
  }
  return store.list(kind, { namespace, labelSelector: selector }) as unknown as Obj[];
}

/** The first field that differs, worded for a learner; "" when all match. */
function fieldMismatch(obj: Obj, fields: Record<string, unknown>): string {
  for (const [path, want] of Object.entries(fields)) {
    const got = get(obj, path);
    if (JSON.stringify(got) !== JSON.stringify(want)) {
      return `${obj.metadata.name}: ${path} is ${got === undefined ? "not set" : JSON.stringify(got)}, expected ${JSON.stringify(want)}`;
    }
  }
  return "";
}

/** Reads `a.b[0].c` (and `metadata.labels.app\.kubernetes\.io/name` with escaped dots). */
export function get(obj: unknown, path: string): unknown {
  const parts = path.match(/(\\\.|[^.[\]])+|\[\d+\]/g) ?? [];
  let cur: unknown = obj;
  for (const raw of parts) {
    if (cur === null || typeof cur !== "object") return undefined;
    const part = raw.startsWith("[") ? Number(raw.slice(1, -1)) : raw.replace(/\\\./g, ".");
    cur = (cur as Record<string | number, unknown>)[part];
  }
  return cur;
}

function isReady(pod: Obj): boolean {
  const conditions = get(pod, "status.conditions") as { type: string; status: string }[] | undefined;
  return conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
}

function matches(text: string, m: LiteralMatch): boolean {
  if ("equals" in m) return text.trimEnd() === m.equals.trimEnd();
  if ("contains" in m) return text.includes(m.contains);
  if ("notContains" in m) return !text.includes(m.notContains);
  return new RegExp(m.matches, "m").test(text);
}

function describeMatch(m: TextMatch): string {
  if ("equals" in m) return `"${m.equals}"`;
  if ("contains" in m) return `"${m.contains}"`;
  if ("notContains" in m) return `no "${m.notContains}"`;
  if ("equalsOutputOf" in m) return `what \`${m.equalsOutputOf}\` prints`;
  return `text matching /${m.matches}/`;
}

function abbreviate(text: string): string {
  const t = text.trim();
  return t.length > 120 ? `${t.slice(0, 117)}…` : t || "(nothing)";
}
