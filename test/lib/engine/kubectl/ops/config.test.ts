import { describe, expect, it } from "vitest";
import { fixture, opsFixture } from "./helpers";

/** A case recorded from the real kubectl by `fixtures/record.mjs`. */
interface ConfigCase {
  name: string;
  start: "kubeadm" | "multi" | "none";
  files?: Record<string, string>;
  args: string[];
  /** A second command whose output is the one recorded. */
  then?: string[];
}
interface Recorded {
  stdout: string;
  stderr: string;
  exitCode: number;
  file: string | null;
}

const cases = JSON.parse(fixture("config-cases.json")) as ConfigCase[];
const recorded = JSON.parse(fixture("config-recorded.json")) as Record<string, Recorded>;
const starts = { kubeadm: fixture("kubeconfig-kubeadm.yaml"), multi: fixture("kubeconfig-multi.yaml"), none: undefined };

/**
 * Where kubectl's output cannot be reproduced byte for byte: Go map order (get-clusters lists
 * clusters in random order) and Go pointer values printed by `%v`.
 */
const normalize: Record<string, (text: string) => string> = {
  "get-clusters": (t) => t.split("\n").sort().join("\n"),
  "set bad property": (t) => t.replace(/0x[0-9a-f]+/g, "0xPTR"),
};

const shellWord = (w: string) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, "'\\''")}'`);

describe("kubectl config, against recordings of kubectl 1.32", () => {
  // The config verbs touch nothing but files, so one bench serves every case.
  const f = opsFixture();
  it.each(cases.map((c) => [c.name, c] as const))("%s", async (name, c) => {
    if (starts[c.start] === undefined) {
      if (f.fs.exists("/root/.kube/config")) f.fs.unlink("/root/.kube/config");
    } else f.fs.writeFile("/root/.kube/config", starts[c.start]!, { parents: true });
    for (const [path, text] of Object.entries(c.files ?? {})) f.fs.writeFile(path, text, { parents: true });
    // The bench dispatches on the first words, so global flags written first move to the end.
    const line = (words: string[]) => {
      const args = words[0].startsWith("--") ? [...words.slice(2), ...words.slice(0, 2)] : words;
      return `kubectl ${args.map(shellWord).join(" ")}`;
    };
    let result = await f.sh.run(line(c.args));
    if (c.then) result = await f.sh.run(line(c.then));
    const want = recorded[name];
    const norm = normalize[name] ?? ((t: string) => t);
    expect(norm(result.stdout), "stdout").toBe(norm(want.stdout));
    expect(norm(result.stderr), "stderr").toBe(norm(want.stderr));
    expect(result.exitCode, "exit code").toBe(want.exitCode);
    const file = f.fs.exists("/root/.kube/config") ? f.fs.readFile("/root/.kube/config") : null;
    expect(file, "kubeconfig afterwards").toBe(want.file);
  });

  it("merges $KUBECONFIG files and writes a change back where the stanza came from", async () => {
    const g = opsFixture();
    g.fs.writeFile("/root/extra.yaml", starts.multi);
    await g.sh.run("export KUBECONFIG=/root/.kube/config:/root/extra.yaml");
    await g.sh.run("kubectl config get-contexts -o name").then((r) => expect(r.stdout).toBe("dev\nkubernetes-admin@kubernetes\nstaging\n"));
    await g.sh.run("kubectl config set-context dev --namespace=qa").then((r) => expect(r.stdout).toBe('Context "dev" modified.\n'));
    expect(g.fs.readFile("/root/extra.yaml")).toMatch(/ {4}namespace: qa\n {4}user: alice\n {2}name: dev\n/);
    expect(g.fs.readFile("/root/.kube/config")).toBe(starts.kubeadm);
    await g.sh.run("kubectl config set-context fresh --cluster=kubernetes").then((r) => expect(r.stdout).toBe('Context "fresh" created.\n'));
    expect(g.fs.readFile("/root/.kube/config")).toMatch(/name: fresh\n/);
  });

  it("creates kubeconfig files readable by their owner only", async () => {
    const f = opsFixture();
    f.fs.unlink("/root/.kube/config");
    await f.sh.run("kubectl config set-credentials alice --token=t");
    expect(f.fs.stat("/root/.kube/config").mode & 0o777).toBe(0o600);
  });
});
