/**
 * `kubectl run -i/-t/--attach/--rm` and `kubectl attach`, through the public contract: the
 * learner's terminal moves into the container's shell, `exit` ends that shell (the container's
 * PID 1), and kubectl finishes as 1.32 does (exit code, `--rm`, the reattach hint). Waits run on
 * virtual time, so a minute of `--pod-running-timeout` costs nothing.
 */
import { describe, expect, it } from "vitest";
import { createCluster } from "@/lib/engine";

const PROMPT_HINT = "If you don't see a command prompt, try pressing enter.\n";

function shell() {
  return createCluster({ scenario: "single-node", seed: 1 }).shell();
}

/** The virtual clock as `date +%s` reads it on the control plane. */
async function epoch(sh: ReturnType<typeof shell>): Promise<number> {
  return Number((await sh.run("date +%s")).stdout);
}

describe("kubectl run -it", () => {
  it("moves the learner into the pod's shell; exit N ends it, --rm deletes the pod and kubectl exits N", async () => {
    const sh = shell();
    const attached = await sh.run("kubectl run box --image=busybox -it --rm --restart=Never -- sh");
    expect(attached).toMatchObject({ stdout: "", stderr: PROMPT_HINT, exitCode: 0 });
    expect(sh.prompt()).toBe("/ # ");
    expect((await sh.run("hostname; echo hi > /tmp/x; cat /tmp/x")).stdout).toBe("box\nhi\n");
    expect((await sh.run("kubectl get pods")).stderr).toMatch(/kubectl: not found|command not found/);

    const left = await sh.run("exit 3");
    expect(left).toMatchObject({ stdout: 'pod "box" deleted\n', stderr: "pod default/box terminated (Error)\n", exitCode: 3 });
    expect(left.output).toBe('pod "box" deleted\npod default/box terminated (Error)\n');
    expect(sh.prompt()).toBe("controlplane:~$ ");
    expect((await sh.run("echo $?")).stdout).toBe("3\n");
    expect(await sh.run("kubectl get pods")).toMatchObject({ stdout: "", stderr: "No resources found in default namespace.\n" });
  });

  it.each(["-it", "-ti", "-i -t", "--stdin --tty", "-t -i"])("attaches with %s", async (flags) => {
    const sh = shell();
    expect((await sh.run(`kubectl run box --image=busybox ${flags} --rm --restart=Never -- sh`)).exitCode).toBe(0);
    expect(sh.prompt()).toBe("/ # ");
    expect(await sh.run("exit")).toMatchObject({ stdout: 'pod "box" deleted\n', stderr: "", exitCode: 0 });
  });

  it("runs the image's own shell when no command is given (bash prints exit, as an interactive bash does)", async () => {
    const sh = shell();
    await sh.run("kubectl run deb --image=debian -it --rm --restart=Never");
    expect(sh.prompt()).toBe("root@deb:/# ");
    expect(await sh.run("false; exit")).toMatchObject({ stdout: 'pod "deb" deleted\n', stderr: "exit\npod default/deb terminated (Error)\n", exitCode: 1 });
  });

  it("without --rm leaves the pod Completed, with the shell's status as its exit code", async () => {
    const sh = shell();
    await sh.run("kubectl run box --image=busybox -it --restart=Never -- sh");
    expect(await sh.run("exit 0")).toMatchObject({ stdout: "", stderr: "", exitCode: 0 });
    expect((await sh.run("kubectl get pods --no-headers")).stdout).toMatch(/^box\s+0\/1\s+Completed\s+0\s/);
    await sh.run("kubectl run err --image=busybox -it --restart=Never -- sh");
    expect(await sh.run("exit 42")).toMatchObject({ stdout: "", stderr: "pod default/err terminated (Error)\n", exitCode: 42 });
    expect((await sh.run("kubectl get pod err -o jsonpath='{.status.phase} {.status.containerStatuses[0].state.terminated.exitCode}'")).stdout).toBe("Failed 42");
  });

  it("with the default --restart=Always says how to reattach; the restarted shell can be attached again", async () => {
    const sh = shell();
    await sh.run("kubectl run box --image=busybox -it -- sh");
    const hint = "Session ended, resume using 'kubectl attach box -c box -i -t' command when the pod is running\n";
    expect(await sh.run("exit")).toMatchObject({ stdout: hint, stderr: "", exitCode: 0 });
    // The kubelet restarts the shell after its back-off; it waits on stdin again.
    expect((await sh.run("kubectl get pod box --no-headers", { elapsedMs: 15_000 })).stdout).toMatch(/^box\s+1\/1\s+Running\s+1 /);
    expect(await sh.run("kubectl attach box -c box -i -t")).toMatchObject({ stdout: "", stderr: PROMPT_HINT, exitCode: 0 });
    expect(sh.prompt()).toBe("/ # ");
    expect(await sh.run("exit 9")).toMatchObject({ stdout: hint, exitCode: 0 });
    // The kubelet reports the exit when it next syncs (time has to pass, as for any change).
    expect((await sh.run("kubectl get pod box -o jsonpath='{.status.containerStatuses[0].lastState.terminated.exitCode}'", { elapsedMs: 1_000 })).stdout).toBe("9");
  });

  it("with --rm and --restart=Always prints the hint, then deletes the pod", async () => {
    const sh = shell();
    await sh.run("kubectl run box --image=busybox -it --rm -- sh");
    expect((await sh.run("exit")).stdout).toBe("Session ended, resume using 'kubectl attach box -c box -i -t' command when the pod is running\npod \"box\" deleted\n");
  });

  it("--leave-stdin-open keeps stdin across attaches, so kubectl does not wait for an exit code", async () => {
    const sh = shell();
    await sh.run("kubectl run box --image=busybox -it --leave-stdin-open --restart=Never -- sh");
    expect(await sh.run("exit 3")).toMatchObject({ stdout: "", stderr: "", exitCode: 0 });
    expect((await sh.run("kubectl get pod box -o jsonpath='{.spec.containers[0].stdin}/{.spec.containers[0].stdinOnce}'")).stdout).toBe("true/");
  });

  it("-q keeps the hints and the deletion quiet, not the exit code", async () => {
    const sh = shell();
    expect(await sh.run("kubectl run box --image=busybox -itq --rm --restart=Never -- sh")).toMatchObject({ stdout: "", stderr: "", exitCode: 0 });
    expect(await sh.run("exit 2")).toMatchObject({ stdout: "", stderr: "pod default/box terminated (Error)\n", exitCode: 2 });
  });

  it("-i without -t attaches the terminal to a shell that shows no prompt", async () => {
    const sh = shell();
    await sh.run("kubectl run box --image=busybox -i --rm --restart=Never -- sh");
    expect(sh.prompt()).toBe("");
    expect((await sh.run("echo typed")).stdout).toBe("typed\n");
    expect(await sh.run("exit")).toMatchObject({ stdout: 'pod "box" deleted\n', exitCode: 0 });
  });

  it("--expose creates the Service too, and --rm deletes both", async () => {
    const sh = shell();
    expect(await sh.run("kubectl run web --image=nginx --port=80 --expose -it --rm --restart=Never -- sh")).toMatchObject({ stdout: "service/web created\n", exitCode: 0 });
    expect((await sh.run("exit")).stdout).toBe('pod "web" deleted\nservice "web" deleted\n');
    expect((await sh.run("kubectl get svc web")).stderr).toBe('Error from server (NotFound): services "web" not found\n');
  });
});

describe("kubectl run -i with a command", () => {
  it("prints the container's output, deletes the pod and exits 0", async () => {
    const sh = shell();
    expect(await sh.run("kubectl run once --image=busybox -i --rm --restart=Never -- echo hi")).toMatchObject({ stdout: 'hi\npod "once" deleted\n', stderr: "", exitCode: 0 });
  });

  it("exits with the container's code; what it printed before the attach is not replayed", async () => {
    const sh = shell();
    const result = await sh.run("kubectl run job --image=busybox -i --rm --restart=Never -- sh -c 'echo early; sleep 2; echo late; exit 5'");
    expect(result).toMatchObject({ stdout: 'late\npod "job" deleted\n', stderr: `${PROMPT_HINT}pod default/job terminated (Error)\n`, exitCode: 5 });
  });

  it("feeds piped input to the shell, whose end closes stdin (stdinOnce) and ends the container", async () => {
    const sh = shell();
    const result = await sh.run("printf 'echo piped\\nhostname\\nexit 7\\n' | kubectl run feed --image=busybox -i --rm --restart=Never -- sh");
    expect(result).toMatchObject({ stdout: 'piped\nfeed\npod "feed" deleted\n', stderr: `${PROMPT_HINT}pod default/feed terminated (Error)\n`, exitCode: 7 });
    const tty = await sh.run("echo 'echo x' | kubectl run feed2 --image=busybox -it --rm --restart=Never -- sh");
    expect(tty).toMatchObject({ stdout: 'x\npod "feed2" deleted\n', exitCode: 0 });
    expect(tty.stderr).toBe(`Unable to use a TTY - input is not a terminal or the right kind of file\n${PROMPT_HINT}`);
  });

  it("--attach without -i streams the output until the container ends, on virtual time", async () => {
    const sh = shell();
    const before = await epoch(sh);
    const result = await sh.run("kubectl run count --image=busybox --attach --restart=Never -- sh -c 'for i in 1 2 3; do echo $i; sleep 1; done; echo done'");
    expect(result).toMatchObject({ stdout: "2\n3\ndone\n", stderr: PROMPT_HINT, exitCode: 0 });
    expect(await epoch(sh)).toBeGreaterThanOrEqual(before + 3);
    expect((await sh.run("kubectl get pod count --no-headers")).stdout).toMatch(/^count\s+0\/1\s+Completed\s/);
    expect((await sh.run("kubectl logs count")).stdout).toBe("1\n2\n3\ndone\n");
  });

  it("an image that cannot be pulled times out after --pod-running-timeout (virtual), and --rm still deletes", async () => {
    const sh = shell();
    const before = await epoch(sh);
    const result = await sh.run("kubectl run bad --image=registry.example.com/missing:1 -it --rm --restart=Never -- sh");
    expect(result).toMatchObject({ stdout: 'pod "bad" deleted\n', stderr: "error: timed out waiting for the condition\n", exitCode: 1 });
    expect(await epoch(sh)).toBe(before + 60);
    const shorter = await sh.run("kubectl run bad2 --image=registry.example.com/missing:1 -i --pod-running-timeout=5s --restart=Never -- sh");
    expect(shorter).toMatchObject({ stdout: "", stderr: "error: timed out waiting for the condition\n", exitCode: 1 });
    expect((await sh.run("kubectl get pod bad2 --no-headers")).stdout).toMatch(/^bad2\s+0\/1\s+(ErrImagePull|ImagePullBackOff)\s/);
  });

  it("-it with the default --restart=Always on a command that exits at once never sees the pod Ready, and times out", async () => {
    const sh = shell();
    const before = await epoch(sh);
    const result = await sh.run("kubectl run quick --image=busybox -it --rm -- echo hi");
    expect(result).toMatchObject({ stdout: 'pod "quick" deleted\n', stderr: "error: timed out waiting for the condition\n", exitCode: 1 });
    expect(await epoch(sh)).toBe(before + 60);
  });

  it("-it on a command that runs a while streams it through the TTY, then gives the reattach hint", async () => {
    const sh = shell();
    const result = await sh.run("kubectl run slow --image=busybox -it --rm -- sh -c 'sleep 2; echo done'");
    const hint = "Session ended, resume using 'kubectl attach slow -c slow -i -t' command when the pod is running\n";
    expect(result).toMatchObject({ stdout: `done\n${hint}pod "slow" deleted\n`, stderr: PROMPT_HINT, exitCode: 0 });
  });

  it("refuses to wait for Ctrl-C on a container that keeps running", async () => {
    const sh = shell();
    const result = await sh.run("kubectl run web --image=nginx --attach --rm");
    expect(result.stdout).toBe('pod "web" deleted\n');
    expect(result.stderr).toBe(`${PROMPT_HINT}error: the container keeps running: kubectl would stay attached until Ctrl-C, which this terminal cannot do here; read its output with kubectl logs\n`);
    expect(result.exitCode).toBe(1);
  });
});

describe("containers with stdin", () => {
  it("a shell PID 1 with stdin: true waits on it (Running); without, it reads end-of-file and exits", async () => {
    const sh = shell();
    expect((await sh.run("kubectl run waiting --image=busybox -i --attach=false -- sh")).stdout).toBe("pod/waiting created\n");
    await sh.run("kubectl run plain --image=busybox --restart=Never -- sh");
    const pods = (await sh.run("kubectl get pods --no-headers", { elapsedMs: 20_000 })).stdout;
    expect(pods).toMatch(/^plain\s+0\/1\s+Completed\s/m);
    expect(pods).toMatch(/^waiting\s+1\/1\s+Running\s+0\s/m);
    expect((await sh.run("kubectl get pod waiting -o jsonpath='{.spec.containers[0].stdin} {.spec.containers[0].stdinOnce} {.spec.containers[0].tty}'")).stdout).toBe("true true ");
  });
});

describe("kubectl attach", () => {
  it("names a missing pod, a completed one and an unknown container as kubectl does", async () => {
    const sh = shell();
    expect(await sh.run("kubectl attach ghost -it")).toMatchObject({ stderr: 'Error from server (NotFound): pods "ghost" not found\n', exitCode: 1 });
    await sh.run("kubectl run done --image=busybox --restart=Never -- true");
    expect(await sh.run("kubectl attach done", { elapsedMs: 10_000 })).toMatchObject({ stderr: "error: cannot attach a container in a completed pod; current phase is Succeeded\n", exitCode: 1 });
    await sh.run("kubectl run box --image=busybox -i --attach=false -- sh");
    expect(await sh.run("kubectl attach box -c nope -it", { elapsedMs: 10_000 })).toMatchObject({ stderr: "error: cannot attach to the container: container nope not found in pod box\n", exitCode: 1 });
  });

  it("warns that a container without a TTY cannot give one, then attaches its shell without a prompt", async () => {
    const sh = shell();
    await sh.run("kubectl run box --image=busybox -i --attach=false --restart=Never -- sh");
    const attached = await sh.run("kubectl attach pod box -it", { elapsedMs: 10_000 });
    expect(attached).toMatchObject({ stderr: `error: Unable to use a TTY - container box did not allocate one\n${PROMPT_HINT}`, exitCode: 0 });
    expect(sh.prompt()).toBe("");
    expect((await sh.run("hostname")).stdout).toBe("box\n");
    expect(await sh.run("exit 4")).toMatchObject({ stdout: "", stderr: "", exitCode: 0 });
    expect((await sh.run("kubectl get pod box -o jsonpath='{.status.phase} {.status.containerStatuses[0].state.terminated.exitCode}'", { elapsedMs: 1_000 })).stdout).toBe("Failed 4");
  });

  it("fails as the kubelet does when the container is not running (crash-looping)", async () => {
    const sh = shell();
    await sh.run("kubectl run crash --image=busybox -- false");
    const result = await sh.run("kubectl attach crash -it", { elapsedMs: 5_000 });
    expect(result.stderr).toBe(`error: Unable to use a TTY - container crash did not allocate one\n${PROMPT_HINT}error: unable to upgrade connection: container not found ("crash")\n`);
    expect(result.exitCode).toBe(1);
  });

  it("cannot wait for Ctrl-C on a process that does not read stdin", async () => {
    const sh = shell();
    await sh.run("kubectl run sleeper --image=busybox -- sleep 3600");
    const result = await sh.run("kubectl attach sleeper", { elapsedMs: 10_000 });
    expect(result.stderr).toBe(`${PROMPT_HINT}error: the container keeps running: kubectl would stay attached until Ctrl-C, which this terminal cannot do here; read its output with kubectl logs\n`);
    expect(result.exitCode).toBe(1);
  });

  it("completes pod names", async () => {
    const sh = shell();
    await sh.run("kubectl run box --image=busybox -i --attach=false -- sh");
    expect(sh.complete("kubectl attach b", 16).candidates).toEqual(["box"]);
    expect(sh.complete("kubectl run x --r", 17).candidates).toEqual(expect.arrayContaining(["--rm", "--restart="]));
  });
});

describe("determinism", () => {
  const TRANSCRIPT: [string, number][] = [
    ["kubectl run box --image=busybox -it --rm --restart=Never -- sh", 1200],
    ["hostname; date; ls /", 3000],
    ["exit 3", 900],
    ["kubectl run job --image=busybox -i --rm --restart=Never -- sh -c 'echo a; sleep 2; echo b'", 1500],
    ["kubectl run loop --image=busybox -it -- sh", 800],
    ["exit", 700],
    ["kubectl get pods -o wide; kubectl get events | tail -n 4", 2000],
  ];

  async function replay(): Promise<string> {
    const sh = shell();
    let out = "";
    for (const [line, elapsedMs] of TRANSCRIPT) {
      const result = await sh.run(line, { elapsedMs });
      out += `${sh.prompt()}${line}\n${result.output}[${result.exitCode}]\n`;
    }
    return out;
  }

  it("replays the same transcript to the same bytes", async () => {
    const first = await replay();
    expect(first).toContain('pod "box" deleted');
    expect(await replay()).toBe(first);
  });
});
