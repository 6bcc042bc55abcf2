import { describe, expect, it } from "vitest";
import type { Pod } from "@/lib/engine/api";
import { createDeployment, createPod, expectRun, type Expected, type Fixture, opsFixture } from "./helpers";

/** web (one container, running on node01), duo (web + sidecar), done (Succeeded), pending (unscheduled). */
function pods() {
  const f = opsFixture();
  const web = createDeployment(f, "web", "nginx");
  createPod(f, "web-7d4b9-aaaaa", { node: "node01", phase: "Running", owner: web, labels: { app: "web" }, containers: ["web"] });
  createPod(f, "web-7d4b9-bbbbb", { node: "node02", phase: "Pending", owner: web, labels: { app: "web" }, containers: ["web"] });
  createPod(f, "duo", { node: "node02", phase: "Running", containers: ["web", "sidecar"], labels: { tier: "front" } });
  createPod(f, "done", { node: "node01", phase: "Succeeded" });
  createPod(f, "pending", { phase: "Pending" });
  const log = (key: string, lines: string[]) => f.runtime.logText.set(key, lines.map((l, i) => `2026-01-12T09:0${i}:00.000000000Z ${l}\n`).join(""));
  log("default/web-7d4b9-aaaaa/web", ["GET / 200", "GET /favicon.ico 404", "GET /health 200"]);
  log("default/duo/web", ["web says hi"]);
  log("default/duo/sidecar", ["sidecar says hi"]);
  log("default/duo/web/previous", ["crashed before"]);
  return f;
}

describe("kubectl exec", () => {
  const cases: [string, string, Expected][] = [
    ["runs a command in the container", "kubectl exec web-7d4b9-aaaaa -- cat /etc/hostname", { stdout: "web-7d4b9-aaaaa\n", stderr: "", exitCode: 0 }],
    ["passes the exit status on", "kubectl exec web-7d4b9-aaaaa -- ls /nope", { stderr: /No such file or directory\ncommand terminated with exit code 2\n$/, exitCode: 2 }],
    ["quotes arguments exactly", "kubectl exec web-7d4b9-aaaaa -- echo 'a  b' '$HOME'", { stdout: "a  b $HOME\n" }],
    ["picks a pod of a deployment", "kubectl exec deploy/web -- cat /etc/hostname", { stdout: "web-7d4b9-aaaaa\n" }],
    ["announces the defaulted container", "kubectl exec duo -- cat /etc/hostname", { stdout: "duo\n", stderr: 'Defaulted container "web" out of: web, sidecar\n' }],
    ["-q keeps quiet about it", "kubectl exec -q duo -- true", { stderr: "", exitCode: 0 }],
    ["no command", "kubectl exec web-7d4b9-aaaaa", { stderr: "error: you must specify at least one command for the container\n", exitCode: 1 }],
    ["no pod", "kubectl exec -- ls", { stderr: "error: pod, type/name or --filename must be specified\n", exitCode: 1 }],
    [
      "the old form without --",
      "kubectl exec web-7d4b9-aaaaa ls",
      { stderr: "error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples\n", exitCode: 1 },
    ],
    ["missing pod", "kubectl exec nope -- ls", { stderr: 'Error from server (NotFound): pods "nope" not found\n', exitCode: 1 }],
    ["unknown container", "kubectl exec duo -c db -- ls", { stderr: "Error from server (BadRequest): container db is not valid for pod duo\n", exitCode: 1 }],
    ["completed pod", "kubectl exec done -- ls", { stderr: "error: cannot exec into a container in a completed pod; current phase is Succeeded\n", exitCode: 1 }],
    ["unscheduled pod", "kubectl exec pending -- ls", { stderr: "Error from server (BadRequest): pod pending does not have a host assigned\n", exitCode: 1 }],
    ["a kind without pods", "kubectl exec cm/x -- ls", { stderr: 'Error from server (NotFound): configmaps "x" not found\n', exitCode: 1 }],
    [
      "a kind without a selector",
      "kubectl exec node/node01 -- ls",
      { stderr: "error: cannot attach to *v1.Node: selector for *v1.Node not implemented\n", exitCode: 1 },
    ],
  ];
  it.each(cases)("%s", async (_name, line, expected) => {
    await expectRun(pods(), line, expected);
  });

  it("moves the learner into the container with -it and a shell; exit comes back", async () => {
    const f = pods();
    await expectRun(f, "kubectl exec -it deploy/web -- sh", { stdout: "", stderr: "", exitCode: 0 });
    expect(f.sh.prompt()).toBe("root@web-7d4b9-aaaaa:/# ");
    await expectRun(f, "cat /etc/hostname", { stdout: "web-7d4b9-aaaaa\n" });
    await f.sh.run("exit");
    expect(f.sh.prompt()).toBe("controlplane:~$ ");
  });

  it("feeds standard input to a shell with -i", async () => {
    const f = pods();
    await expectRun(f, "echo 'cat /etc/hostname' | kubectl exec -i web-7d4b9-aaaaa -- sh", { stdout: "web-7d4b9-aaaaa\n", stderr: "" });
    await expectRun(f, "echo 'cat /etc/hostname' | kubectl exec -it web-7d4b9-aaaaa -- sh", {
      stdout: "web-7d4b9-aaaaa\n",
      stderr: "Unable to use a TTY - input is not a terminal or the right kind of file\n",
    });
    await expectRun(f, "kubectl exec web-7d4b9-aaaaa -- sh", { stdout: "", stderr: "", exitCode: 0 });
    expect(f.sh.prompt()).toBe("controlplane:~$ ");
  });

  it("reports what the kubelet refuses", async () => {
    const f = pods();
    f.runtime.refusals.set("default/web-7d4b9-aaaaa/web/exec", 'exec: "bash": executable file not found in $PATH');
    await expectRun(f, "kubectl exec web-7d4b9-aaaaa -- bash", { stderr: 'error: exec: "bash": executable file not found in $PATH\n', exitCode: 1 });
    f.runtime.refusals.set("default/web-7d4b9-bbbbb/web/exec", 'unable to upgrade connection: container not found ("web")');
    await expectRun(f, "kubectl exec -it web-7d4b9-bbbbb -- sh", { stderr: 'error: unable to upgrade connection: container not found ("web")\n', exitCode: 1 });
  });

  it("waits for a pod of a new deployment, then times out", async () => {
    const f = opsFixture();
    createDeployment(f, "empty", "nginx");
    const started = f.clock.now();
    await expectRun(f, "kubectl exec deploy/empty --pod-running-timeout=5s -- ls", { stderr: "error: timed out waiting for the condition\n", exitCode: 1 });
    expect(f.clock.now() - started).toBe(5000);
  });
});

describe("kubectl logs", () => {
  const cases: [string, string, Expected][] = [
    ["a pod's log", "kubectl logs web-7d4b9-aaaaa", { stdout: "GET / 200\nGET /favicon.ico 404\nGET /health 200\n", stderr: "", exitCode: 0 }],
    ["--tail", "kubectl logs web-7d4b9-aaaaa --tail=1", { stdout: "GET /health 200\n" }],
    ["--timestamps", "kubectl logs web-7d4b9-aaaaa --tail=1 --timestamps", { stdout: "2026-01-12T09:02:00.000000000Z GET /health 200\n" }],
    ["--since-time filters on the kubelet's timestamps", "kubectl logs web-7d4b9-aaaaa --since-time=2026-01-12T09:01:00Z", { stdout: "GET /favicon.ico 404\nGET /health 200\n" }],
    ["--limit-bytes", "kubectl logs web-7d4b9-aaaaa --limit-bytes=12", { stdout: "GET / 200\nGE" }],
    ["--prefix", "kubectl logs web-7d4b9-aaaaa --tail=1 --prefix", { stdout: "[pod/web-7d4b9-aaaaa/web] GET /health 200\n" }],
    ["a deployment's first pod", "kubectl logs deploy/web --tail=1", { stdout: "GET /health 200\n", stderr: "Found 2 pods, using pod/web-7d4b9-aaaaa\n" }],
    ["the default container", "kubectl logs duo", { stdout: "web says hi\n", stderr: 'Defaulted container "web" out of: web, sidecar\n' }],
    ["-c", "kubectl logs duo -c sidecar", { stdout: "sidecar says hi\n", stderr: "" }],
    ["inline container", "kubectl logs duo sidecar", { stdout: "sidecar says hi\n" }],
    ["--all-containers --prefix", "kubectl logs duo --all-containers --prefix", { stdout: "[pod/duo/web] web says hi\n[pod/duo/sidecar] sidecar says hi\n" }],
    ["--previous", "kubectl logs duo -c web -p", { stdout: "crashed before\n" }],
    ["by selector", "kubectl logs -l tier=front -c sidecar", { stdout: "sidecar says hi\n" }],
    ["selector matching nothing", "kubectl logs -l tier=none", { stdout: "", stderr: "No resources found in default namespace.\n", exitCode: 0 }],
    ["-f prints what there is", "kubectl logs -f duo -c web", { stdout: "web says hi\n", exitCode: 0 }],
    [
      "no previous instance",
      "kubectl logs web-7d4b9-aaaaa -p",
      { stderr: 'Error from server (BadRequest): previous terminated container "web" in pod "web-7d4b9-aaaaa" not found\n', exitCode: 1 },
    ],
    [
      "a container still starting",
      "kubectl logs web-7d4b9-bbbbb",
      { stderr: 'Error from server (BadRequest): container "web" in pod "web-7d4b9-bbbbb" is waiting to start: ContainerCreating\n', exitCode: 1 },
    ],
    ["unknown container", "kubectl logs duo -c db", { stderr: "error: container db is not valid for pod duo out of: web, sidecar\n", exitCode: 1 }],
    ["missing pod", "kubectl logs nope", { stderr: 'Error from server (NotFound): pods "nope" not found\n', exitCode: 1 }],
    [
      "no pod",
      "kubectl logs",
      {
        stderr:
          "error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples\n",
        exitCode: 1,
      },
    ],
    ["pod and selector", "kubectl logs duo -l a=b", { stderr: "error: only a selector (-l) or a POD name is allowed\nSee 'kubectl logs -h' for help and examples\n" }],
    ["-c and inline container", "kubectl logs duo web -c web", { stderr: "error: only one of -c or an inline [CONTAINER] arg is allowed\n" }],
    ["--all-containers and -c", "kubectl logs duo --all-containers -c web", { stderr: "error: --all-containers=true should not be specified with container name web\n" }],
    ["bad --tail", "kubectl logs duo --tail=-2", { stderr: "error: --tail must be greater than or equal to -1\n" }],
    ["since and since-time", "kubectl logs duo --since=1h --since-time=2026-01-12T09:00:00Z", { stderr: "error: at most one of `sinceTime` or `sinceSeconds` may be specified\n" }],
  ];
  it.each(cases)("%s", async (_name, line, expected) => {
    await expectRun(pods(), line, expected);
  });

  it("words the apiserver's own failures as it does", async () => {
    const f = pods();
    f.runtime.refusals.set("default/duo/web", 'Get "https://172.30.1.4:10250/containerLogs/default/duo/web": dial tcp 172.30.1.4:10250: connect: connection refused');
    await expectRun(f, "kubectl logs duo -c web", {
      stderr: 'Error from server: Get "https://172.30.1.4:10250/containerLogs/default/duo/web": dial tcp 172.30.1.4:10250: connect: connection refused\n',
      exitCode: 1,
    });
  });

  it("follows at most --max-log-requests streams", async () => {
    const f: Fixture = pods();
    await expectRun(f, "kubectl logs -f -l tier=front --all-containers --max-log-requests=1", {
      stderr: "error: you are attempting to follow 2 log streams, but maximum allowed concurrency is 1, use --max-log-requests to increase the limit\n",
      exitCode: 1,
    });
    expect(f.store.get<Pod>("Pod", "default", "duo").spec.containers).toHaveLength(2);
  });
});
