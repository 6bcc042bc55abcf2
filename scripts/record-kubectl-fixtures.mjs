// Records the real kubectl's output for every case in test/fixtures/kubectl/cases.json, so the
// fidelity tests compare our kubectl with the real one on machines that do not have it.
// Usage: node scripts/record-kubectl-fixtures.mjs [--kubectl /usr/bin/kubectl]
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const dir = path.join(process.cwd(), "test", "fixtures", "kubectl");
const i = process.argv.indexOf("--kubectl");
const kubectl = i > 0 ? process.argv[i + 1] : "/usr/bin/kubectl";
const version = spawnSync(kubectl, ["version", "--client"], { encoding: "utf8" }).stdout.split("\n")[0];
if (!version.includes("v1.32.")) {
  console.error(`record-kubectl-fixtures: need kubectl v1.32 at ${kubectl}, found: ${version || "nothing"}`);
  process.exit(1);
}
// An empty kubeconfig: generators with --dry-run=client must not talk to any server.
const home = mkdtempSync(path.join(os.tmpdir(), "kubectl-home-"));
const env = { PATH: process.env.PATH, HOME: home, KUBECONFIG: path.join(home, "config") };
const cases = JSON.parse(readFileSync(path.join(dir, "cases.json"), "utf8"));
for (const c of cases) {
  const r = spawnSync(kubectl, c.args, { encoding: "utf8", env });
  const fixture = { kubectl: version, args: c.args, exitCode: r.status, stdout: r.stdout, stderr: r.stderr };
  writeFileSync(path.join(dir, `${c.name}.json`), JSON.stringify(fixture, null, 2) + "\n");
  console.log(`${c.name}: exit ${r.status}`);
}
