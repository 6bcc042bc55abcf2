import { describe, expect, it } from "vitest";
import { createCluster } from "@/lib/engine";
import { drive } from "../shell/programs/drive";

async function withDeployment() {
  const cluster = createCluster({ scenario: "single-node" });
  const sh = cluster.shell();
  await sh.run("kubectl create deployment web --image=nginx");
  return { sh, cluster, fs: cluster.internals.nodes.get("controlplane")!.fs };
}

const replicas = (cluster: ReturnType<typeof createCluster>) =>
  (cluster.internals.store.get("Deployment", "default", "web") as unknown as { spec: { replicas: number } }).spec.replicas;

describe("kubectl edit", () => {
  it("opens vi on the object as YAML under kubectl's header, in a temporary file", async () => {
    const { sh } = await withDeployment();
    const edit = await drive(sh, "kubectl edit deployment web", { elapsedMs: 1_000 });
    const lines = edit.vt.lines();
    expect(lines.slice(0, 5)).toEqual([
      "# Please edit the object below. Lines beginning with a '#' will be ignored,",
      "# and an empty file will abort the edit. If an error occurs while saving this fi",
      "le will be",
      "# reopened with the relevant failures.",
      "#",
    ]);
    expect(lines.slice(5, 8)).toEqual(["apiVersion: apps/v1", "kind: Deployment", "metadata:"]);
    expect(edit.status).toMatch(/^"\/tmp\/kubectl-edit-\d+\.yaml" \d+L, \d+B +1,1 +Top$/);
  });

  it("applies an edit of replicas: deployment.apps/web edited, and the cluster scales", async () => {
    const { sh, cluster, fs } = await withDeployment();
    const edit = await drive(sh, "kubectl edit deploy/web", { elapsedMs: 1_000 });
    await edit.keys("/replicas\r", 2_000);
    expect(edit.vt.lines()[edit.vt.row]).toBe("  replicas: 1");
    await edit.keys("$r3", 1_000);
    await edit.keys(":wq\r", 1_000);
    expect(edit.result).toMatchObject({ stdout: "deployment.apps/web edited\n", stderr: "", exitCode: 0 });
    expect(replicas(cluster)).toBe(3);
    expect((await sh.run("kubectl get deploy web", { elapsedMs: 10_000 })).stdout).toMatch(/^web +3\/3 +3 +3 /m);
    // The temporary file is gone once the edit went through.
    expect(fs.list("/tmp").filter((n) => n.startsWith("kubectl-edit-"))).toEqual([]);
  });

  it("says so when nothing changed", async () => {
    const { sh } = await withDeployment();
    const edit = await drive(sh, "kubectl edit deploy web");
    await edit.keys(":q\r");
    expect(edit.result).toMatchObject({ stdout: "", stderr: "Edit cancelled, no changes made.\n", exitCode: 0 });
  });

  it("reopens an invalid edit with the failures at the top, then applies the fix", async () => {
    const { sh, cluster } = await withDeployment();
    const edit = await drive(sh, "kubectl edit deploy web");
    await edit.keys("/replicas: \r");
    await edit.keys("$cw-1\x1b:wq\r");
    expect(edit.last?.running).toBe(true);
    expect(edit.vt.lines().slice(3, 8)).toEqual([
      "# reopened with the relevant failures.",
      "#",
      '# deployments.apps "web" was not valid:',
      "# * spec.replicas: Invalid value: -1: must be greater than or equal to 0",
      "#",
    ]);
    expect(edit.vt.lines()[8]).toBe("apiVersion: apps/v1");
    // The header mentions spec.replicas too: search for the field itself.
    await edit.keys("/^  replicas: \r");
    await edit.keys("f-C2\x1b:wq\r");
    expect(edit.result).toMatchObject({
      stdout: "deployment.apps/web edited\n",
      stderr: 'error: deployments.apps "web" is invalid\n',
      output: 'error: deployments.apps "web" is invalid\ndeployment.apps/web edited\n',
      exitCode: 0,
    });
    expect(replicas(cluster)).toBe(2);
  });

  it("gives up on a reopened file saved without changes, and keeps a copy", async () => {
    const { sh } = await withDeployment();
    const edit = await drive(sh, "kubectl edit deploy web");
    await edit.keys("/replicas: \r");
    await edit.keys("$cw-1\x1b:wq\r");
    await edit.keys(":q\r");
    expect(edit.result?.stderr).toMatch(
      /^error: deployments\.apps "web" is invalid\nA copy of your changes has been stored to "\/tmp\/kubectl-edit-\d+\.yaml"\nerror: Edit cancelled, no valid changes were saved\.\n$/,
    );
    expect(edit.result?.exitCode).toBe(1);
  });

  it("reopens a file with a syntax error, and refuses to rename the object", async () => {
    const { sh } = await withDeployment();
    const edit = await drive(sh, "kubectl edit deploy web");
    await edit.keys("/replicas: \r");
    await edit.keys("A:\x1b:wq\r");
    expect(edit.vt.lines()[5] + edit.vt.lines()[6]).toMatch(/^# The edited file had a syntax error: error parsing edited-file: error converting YAML to JSON: yaml: line /);
    await edit.keys(":%s/ 1:$/ 1/\r:%s/name: web/name: other/\r:wq\r");
    expect(edit.result?.stderr).toMatch(/^A copy of your changes has been stored to "\/tmp\/kubectl-edit-\d+\.yaml"\nerror: At least one of apiVersion, kind and name was changed\n$/);
  });

  it("uses $KUBE_EDITOR (nano here), and says when the editor cannot be found", async () => {
    const { sh } = await withDeployment();
    const edit = await drive(sh, "KUBE_EDITOR=nano kubectl edit deploy web");
    expect(edit.vt.lines()[0]).toMatch(/^ {2}GNU nano 6\.2 +\/tmp\/kubectl-edit-\d+\.yaml$/);
    await edit.keys("\x18");
    expect(edit.result?.stderr).toBe("Edit cancelled, no changes made.\n");
    expect(await sh.run("EDITOR=emacs kubectl edit deploy web")).toMatchObject({ stderr: 'error: unable to launch the editor "emacs"\n', exitCode: 1 });
  });

  it("fails before the editor for a missing object or no arguments", async () => {
    const { sh } = await withDeployment();
    expect(await sh.run("kubectl edit deploy nope")).toMatchObject({ stderr: 'Error from server (NotFound): deployments.apps "nope" not found\n', exitCode: 1 });
    expect((await sh.run("kubectl edit")).stderr).toBe(
      "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'\n",
    );
    expect((await sh.run("kubectl edit deploy web -o wide")).stderr).toBe('error: unable to match a printer suitable for the output format "wide", allowed formats are: json,yaml\n');
  });

  it("edits JSON with -o json, without the header", async () => {
    const { sh, cluster } = await withDeployment();
    const edit = await drive(sh, "kubectl edit deploy web -o json --output-patch");
    expect(edit.vt.lines()[0]).toBe("{");
    await edit.keys(':%s/"replicas": 1,/"replicas": 4,/\r:wq\r');
    expect(edit.result?.stdout).toBe('Patch: {"spec":{"replicas":4}}\ndeployment.apps/web edited\n');
    expect(replicas(cluster)).toBe(4);
  });

  it("completes flags and TYPE/NAME forms of the word being typed", async () => {
    const { sh } = await withDeployment();
    expect(sh.complete("kubectl edit deploy/w", 21).candidates).toEqual(["deploy/web"]);
    expect(sh.complete("kubectl get --all-n", 19).candidates).toEqual(["--all-namespaces"]);
    expect(sh.complete("kubectl ed", 10).candidates).toEqual(["edit"]);
  });

  it("replays the same keys at the same times into the same bytes and the same cluster", async () => {
    const play = async () => {
      const cluster = createCluster({ scenario: "single-node", seed: 3 });
      const sh = cluster.shell();
      await sh.run("kubectl create deployment web --image=nginx", { elapsedMs: 2_000 });
      const edit = await drive(sh, "kubectl edit deploy web; watch -n 2 kubectl get pods", { elapsedMs: 1_500 });
      for (const [keys, ms] of [["/replicas\r", 900], ["$r2", 1_300], [":wq\r", 700], ["", 2_000], ["", 2_100], ["\x03", 300]] as const) await edit.keys(keys, ms);
      const after = await sh.run("kubectl get pods -o name; date", { elapsedMs: 500 });
      return { bytes: edit.bytes.join(""), after: after.stdout };
    };
    const first = await play();
    expect(await play()).toEqual(first);
    expect(first.bytes).toContain("deployment.apps/web edited");
    expect(first.after.split("\n").filter((l) => l.startsWith("pod/web-")).length).toBe(2);
  });
});
