/**
 * `kubectl cp` through the public contract: files and directories move between the shell's
 * machine and a container's file system through the image's tar, with the messages GNU tar
 * (nginx's Debian) and BusyBox tar print, and kubectl's errors.
 */
import { describe, expect, it } from "vitest";
import { createCluster } from "@/lib/engine";

async function clusterWithPods() {
  const sh = createCluster({ scenario: "single-node", seed: 1 }).shell();
  await sh.run("kubectl run web --image=nginx && kubectl run box --image=busybox -- sleep 3600 && kubectl wait --for=condition=Ready pod/web pod/box");
  return sh;
}

describe("kubectl cp", () => {
  it("copies a file out of a container; GNU tar's notice reaches stdout", async () => {
    const sh = await clusterWithPods();
    expect(await sh.run("kubectl cp web:/etc/nginx/nginx.conf nginx.conf")).toMatchObject({ stdout: "tar: Removing leading `/' from member names\n", stderr: "", exitCode: 0 });
    expect((await sh.run("grep -c worker_processes nginx.conf")).stdout).toBe("1\n");
    expect((await sh.run("kubectl cp box:/etc/hostname h && cat h")).stdout).toBe("tar: removing leading '/' from member names\nbox\n");
  });

  it("copies a directory's contents out of a container", async () => {
    const sh = await clusterWithPods();
    await sh.run("kubectl cp web:/etc/nginx ngx");
    expect((await sh.run("ls -1 ngx ngx/conf.d")).stdout).toBe("ngx:\nconf.d\nnginx.conf\n\nngx/conf.d:\ndefault.conf\n");
  });

  it("copies files into a container, into a directory or to a new name", async () => {
    const sh = await clusterWithPods();
    await sh.run("echo hello > hi.txt && mkdir site && echo '<h1>x</h1>' > site/index.html");
    expect(await sh.run("kubectl cp hi.txt web:/tmp/")).toMatchObject({ stdout: "", stderr: "", exitCode: 0 });
    expect((await sh.run("kubectl exec web -- cat /tmp/hi.txt")).stdout).toBe("hello\n");
    await sh.run("kubectl cp hi.txt web:/tmp/renamed.txt");
    expect((await sh.run("kubectl exec web -- cat /tmp/renamed.txt")).stdout).toBe("hello\n");
    await sh.run("kubectl cp site default/box:/tmp/site");
    expect((await sh.run("kubectl exec box -- cat /tmp/site/index.html")).stdout).toBe("<h1>x</h1>\n");
  });

  it("fails as tar does for a missing source or target directory", async () => {
    const sh = await clusterWithPods();
    expect(await sh.run("kubectl cp web:/nope x")).toMatchObject({
      stdout: "tar: Removing leading `/' from member names\ntar: /nope: Cannot stat: No such file or directory\ntar: Exiting with failure status due to previous errors\n",
      stderr: "command terminated with exit code 2\n",
      exitCode: 2,
    });
    await sh.run("echo hi > hi.txt");
    expect(await sh.run("kubectl cp hi.txt web:/nope/x")).toMatchObject({
      stderr: "tar: /nope: Cannot chdir: No such file or directory\ntar: Error is not recoverable: exiting now\ncommand terminated with exit code 2\n",
      exitCode: 2,
    });
    expect(await sh.run("kubectl cp hi.txt box:/nope/x")).toMatchObject({ stderr: "tar: can't change directory to '/nope': No such file or directory\ncommand terminated with exit code 1\n", exitCode: 1 });
    expect(await sh.run("kubectl cp nope.txt web:/tmp")).toMatchObject({ stderr: "error: nope.txt doesn't exist in local filesystem\n", exitCode: 1 });
    expect(await sh.run("kubectl cp hi.txt nope:/tmp")).toMatchObject({ stderr: 'Error from server (NotFound): pods "nope" not found\n', exitCode: 1 });
    expect(await sh.run("kubectl cp hi.txt web:/tmp -c db")).toMatchObject({ stderr: "Error from server (BadRequest): container db is not valid for pod web\n", exitCode: 1 });
  });

  it("needs tar in the image: a scratch image refuses the exec", async () => {
    const sh = createCluster({ scenario: "single-node", seed: 1 }).shell();
    await sh.run("kubectl run who --image=traefik/whoami && kubectl wait --for=condition=Ready pod/who");
    for (const line of ["kubectl cp who:/etc/hosts hosts", "echo hi > hi.txt; kubectl cp hi.txt who:/tmp/hi.txt"]) {
      const result = await sh.run(line);
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toMatch(/^error: Internal error occurred: .*OCI runtime exec failed: exec failed: unable to start container process: exec: "tar": executable file not found in \$PATH: unknown\n$/);
    }
    expect((await sh.run("ls hosts")).exitCode).not.toBe(0);
  });
});
