/**
 * Fidelity: every case recorded from the real kubectl v1.32 (test/fixtures/kubectl, recorded
 * by scripts/record-kubectl-fixtures.mjs with an empty kubeconfig, so without a server) runs
 * through our kubectl on a host in the same situation and must print the same bytes and exit
 * code. Only klog's timestamp and thread id are normalised. Files the cases name are copied
 * into the virtual file system at the same repository-relative path.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { kubectlCluster } from "./helpers";

const DIR = path.join(process.cwd(), "test", "fixtures", "kubectl");
const REPO = "/root/repo";

interface Fixture {
  args: string[];
  exitCode: number;
  stdout: string;
  stderr: string;
}

const fixtures = readdirSync(DIR)
  .filter((f) => f.endsWith(".json") && f !== "cases.json")
  .map((f) => ({ name: f.slice(0, -5), fixture: JSON.parse(readFileSync(path.join(DIR, f), "utf8")) as Fixture }));

/**
 * Recorded cases we know we do not match yet, and why. `test.fails` keeps them honest: once
 * the cause is fixed they pass, the test fails, and the entry must go.
 */
const KNOWN_GAPS: Record<string, string> = {};

const quote = (arg: string) => `'${arg.replace(/'/g, `'\\''`)}'`;
const klog = (text: string) => text.replace(/^([EWI])\d{4} \d\d:\d\d:\d\d\.\d{6} +\d+ /gm, "$1mmdd hh:mm:ss.uuuuuu pid ");

/** Repository files the recorded arguments name (`-f path`, `--from-file=key=path`, …). */
function referencedFiles(): string[] {
  const out = new Set<string>();
  const add = (candidate: string) => {
    if (!candidate.startsWith("test/") || !existsSync(candidate)) return;
    if (statSync(candidate).isDirectory()) {
      for (const name of readdirSync(candidate)) add(path.join(candidate, name));
    } else out.add(candidate);
  };
  for (const { fixture } of fixtures) {
    for (const arg of fixture.args) for (const part of arg.split("=")) add(part);
  }
  return [...out];
}

describe("kubectl fidelity with recorded v1.32 output", () => {
  const { shells, cluster } = kubectlCluster({ kubeconfig: false });
  const fs = cluster.nodes.get("node01")!.fs;
  fs.mkdirp(REPO);
  for (const file of referencedFiles()) fs.writeFile(`${REPO}/${file}`, readFileSync(file, "utf8"), { parents: true });
  const sh = shells.get("node01")!;
  const check = async (fixture: Fixture) => {
    const result = await sh.run(`cd ${REPO} && kubectl ${fixture.args.map(quote).join(" ")}`);
    expect(klog(result.stdout)).toBe(klog(fixture.stdout));
    expect(klog(result.stderr)).toBe(klog(fixture.stderr));
    expect(result.exitCode).toBe(fixture.exitCode);
  };
  test.each(fixtures.filter((f) => !(f.name in KNOWN_GAPS)))("$name", ({ fixture }) => check(fixture));
  test.fails.each(fixtures.filter((f) => f.name in KNOWN_GAPS))("$name (known gap)", ({ fixture }) => check(fixture));
});
