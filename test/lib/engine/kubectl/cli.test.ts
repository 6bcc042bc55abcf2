import { describe, expect, test } from "vitest";
import { type Case, expectRun, kubectlCluster } from "./helpers";

describe("kubectl command line", () => {
  const { sh, fs } = kubectlCluster();
  fs.writeFile(
    "/root/team.conf",
    `apiVersion: v1
kind: Config
clusters:
- name: kubernetes
  cluster:
    server: https://172.30.1.2:6443
contexts:
- name: team
  context: { cluster: kubernetes, user: kubernetes-admin, namespace: kube-system }
- name: elsewhere
  context: { cluster: other, user: kubernetes-admin }
current-context: team
users:
- name: kubernetes-admin
  user: {}
`,
  );
  const cases: Case[] = [
    ["namespace from -n", "kubectl get sa -n kube-public", { stdout: "NAME      SECRETS   AGE\ndefault   0         0s\n" }],
    ["namespace from the kubeconfig context", "KUBECONFIG=/root/team.conf kubectl get svc", { stderr: "No resources found in kube-system namespace.\n" }],
    ["-n beats the context", "KUBECONFIG=/root/team.conf kubectl get svc -n default -o name", { stdout: "service/kubernetes\n" }],
    ["unknown --context", "kubectl --context=nope get pods", { stderr: "Error in configuration: context was not found for specified context: nope\n", exitCode: 1 }],
    ["missing --kubeconfig", "kubectl --kubeconfig=/nonexist get pods", { stderr: "error: stat /nonexist: no such file or directory\n", exitCode: 1 }],
    [
      "a server nobody listens on",
      "kubectl --server=https://172.30.1.3:6443 get pods",
      { stderr: /^(E0112 08:52:00\.\d{6} +\d+ memcache\.go:265\] .*dial tcp 172\.30\.1\.3:6443: connect: connection refused"\n){5}The connection to the server 172\.30\.1\.3:6443 was refused - did you specify the right host or port\?\n$/, exitCode: 1 },
    ],
    ["an address that does not exist", "kubectl -s https://10.9.9.9:6443 get pods", { stderr: /\nUnable to connect to the server: dial tcp 10\.9\.9\.9:6443: i\/o timeout\n$/, exitCode: 1 }],
    ["a real command not built here", "kubectl top nodes", { stderr: "error: kubectl top is not supported in this environment\n", exitCode: 1 }],
    ["an unknown command", "kubectl gett pods", { stderr: 'Error: unknown command "gett" for "kubectl"\n\nDid you mean this?\n\tset\n\tget\n\n', exitCode: 1 }],
    ["a sub-command not built here", "kubectl create job x --image=busybox", { stderr: "error: kubectl create job is not supported in this environment\n", exitCode: 1 }],
    ["help from the verb's spec", "kubectl scale --help", { stdout: /^Set a new size for a deployment, replica set, replication controller, or stateful set\.\n/ }],
    ["help via the help verb", "kubectl help scale", { stdout: /^Set a new size for a deployment/ }],
    ["root help", "kubectl", { stdout: /^kubectl controls the Kubernetes cluster manager\.\n/ }],
    ["root flag error", "kubectl --foo", { stderr: "Error: unknown flag: --foo\nSee 'kubectl --help' for usage.\n", exitCode: 1 }],
    ["verb without run shows its help on stderr", "kubectl create secret", { stdout: "", stderr: /^Create a secret with specified type\./, exitCode: 1 }],
  ];
  test.each(cases)("%s", async (_name, input, expected) => {
    await expectRun(sh, input, expected);
  });
});

describe("a worker node without a kubeconfig", () => {
  const { shells } = kubectlCluster();
  const worker = shells.get("node01")!;
  test("every server call is refused on localhost:8080, with klog lines timed by the virtual clock", async () => {
    const line = (micros: string) =>
      `E0112 08:52:00.${micros}    PID memcache.go:265] "Unhandled Error" err="couldn't get current server API group list: Get \\"http://localhost:8080/api?timeout=32s\\": dial tcp 127.0.0.1:8080: connect: connection refused"\n`;
    const result = await worker.run("kubectl get pods");
    expect(result.stderr.replace(/ +\d+ memcache/g, "    PID memcache")).toBe(
      [line("001000"), line("002451"), line("003902"), line("005353"), line("006804")].join("") +
        "The connection to the server localhost:8080 was refused - did you specify the right host or port?\n",
    );
    expect(result.exitCode).toBe(1);
  });
  test("client-side work still runs", async () => {
    await expectRun(worker, "kubectl create namespace x --dry-run=client -o name", { stdout: "namespace/x\n", exitCode: 0 });
  });
  test("copying the admin kubeconfig over makes it work", async () => {
    const { shells: s, cluster } = kubectlCluster();
    cluster.nodes.get("node01")!.fs.writeFile("/root/.kube/config", cluster.nodes.get("controlplane")!.fs.readFile("/root/.kube/config"), { parents: true });
    await expectRun(s.get("node01")!, "kubectl get ns default -o name", { stdout: "namespace/default\n" });
  });
});

describe("tab completion", () => {
  const { sh } = kubectlCluster();
  const complete = (line: string) => sh.complete(line, line.length).candidates;
  test.each([
    ["verbs", "kubectl ge", ["get"]],
    ["sub-commands", "kubectl create se", ["secret", "service", "serviceaccount"]],
    ["resource types and short names", "kubectl get svc", ["svc"]],
    ["object names in the namespace", "kubectl get svc ", ["kubernetes"]],
    ["object names in -n's namespace", "kubectl get sa -n kube-system ", ["default"]],
    ["namespaces after -n", "kubectl get pods -n kube-", ["kube-node-lease", "kube-public", "kube-system"]],
    ["output formats after -o", "kubectl get pods -o ya", ["yaml"]],
  ])("%s", (_name, line, expected) => {
    expect(complete(line)).toEqual(expected);
  });
});
