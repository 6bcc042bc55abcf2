import { describe, it } from "vitest";
import { binding, expectRun, type Expected, type Fixture, opsFixture, role } from "./helpers";

/** What kubeadm sets up: cluster-admin bound to its admins group, and a reader role for jane in dev. */
function rbacWorld() {
  const f = opsFixture();
  role(f, "ClusterRole", "cluster-admin", [
    { verbs: ["*"], apiGroups: ["*"], resources: ["*"] },
    { verbs: ["*"], nonResourceURLs: ["*"] },
  ]);
  binding(f, "ClusterRoleBinding", "kubeadm:cluster-admins", "ClusterRole", "cluster-admin", [{ kind: "Group", name: "kubeadm:cluster-admins", apiGroup: "rbac.authorization.k8s.io" }]);
  // The bootstrap policy lets every authenticated user ask the authorizer about itself.
  role(f, "ClusterRole", "system:basic-user", [
    { verbs: ["create"], apiGroups: ["authentication.k8s.io"], resources: ["selfsubjectreviews"] },
    { verbs: ["create"], apiGroups: ["authorization.k8s.io"], resources: ["selfsubjectaccessreviews", "selfsubjectrulesreviews"] },
  ]);
  binding(f, "ClusterRoleBinding", "system:basic-user", "ClusterRole", "system:basic-user", [{ kind: "Group", name: "system:authenticated", apiGroup: "rbac.authorization.k8s.io" }]);
  f.store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "dev" } });
  role(f, "Role", "reader", [
    { verbs: ["get", "list", "watch"], apiGroups: [""], resources: ["pods", "services"] },
    { verbs: ["get"], apiGroups: ["apps"], resources: ["deployments"], resourceNames: ["web"] },
  ], "dev");
  binding(f, "RoleBinding", "jane-reads", "Role", "reader", [{ kind: "User", name: "jane", apiGroup: "rbac.authorization.k8s.io" }], "dev");
  return f;
}

describe("kubectl auth can-i", () => {
  const cases: [string, string, Expected][] = [
    ["the admin may", "kubectl auth can-i delete nodes --all-namespaces", { stdout: "yes\n", stderr: "", exitCode: 0 }],
    ["everything", "kubectl auth can-i '*' '*'", { stdout: "yes\n", exitCode: 0 }],
    ["a user with a role", "kubectl auth can-i list pods -n dev --as=jane", { stdout: "yes\n", exitCode: 0 }],
    ["not elsewhere", "kubectl auth can-i list pods --as=jane", { stdout: "no\n", exitCode: 1 }],
    ["named objects", "kubectl auth can-i get deployments.apps/web -n dev --as=jane", { stdout: "yes\n" }],
    ["other names", "kubectl auth can-i get deploy/api -n dev --as=jane", { stdout: "no\n", exitCode: 1 }],
    ["a service account", "kubectl auth can-i list pods -n dev --as=system:serviceaccount:dev:default", { stdout: "no\n", exitCode: 1 }],
    ["--quiet", "kubectl auth can-i list pods -n dev --as=jane -q", { stdout: "", exitCode: 0 }],
    ["non-resource URLs", "kubectl auth can-i get /healthz", { stdout: "yes\n" }],
    [
      "cluster-scoped resources warn",
      "kubectl auth can-i get nodes --as=jane",
      { stdout: "no\n", stderr: "Warning: resource 'nodes' is not namespace scoped\n\n", exitCode: 1 },
    ],
    ["unknown resources warn", "kubectl auth can-i get foos", { stdout: "yes\n", stderr: "Warning: the server doesn't have a resource type 'foos'\n\n" }],
    ["unknown verbs warn", "kubectl auth can-i frob pods", { stdout: "yes\n", stderr: "Warning: verb 'frob' is not a known verb\n\n" }],
    [
      "one argument",
      "kubectl auth can-i get",
      { stderr: "error: you must specify two arguments: verb resource or verb resource/resourceName.\nSee 'kubectl auth can-i -h' for help and examples.\n", exitCode: 1 },
    ],
    ["--list with arguments", "kubectl auth can-i --list get pods", { stderr: "error: list option must be specified with no arguments\n", exitCode: 1 }],
    ["--no-headers without --list", "kubectl auth can-i get pods --no-headers", { stderr: "error: --no-headers cannot be set without --list specified\n", exitCode: 1 }],
    [
      "--list",
      "kubectl auth can-i --list -n dev --as=jane",
      {
        // Sorted by the rules' Go String(): "[get list watch]" sorts before "[get]".
        stdout: [
          ["Resources", "Non-Resource URLs", "Resource Names", "Verbs"],
          ["selfsubjectreviews.authentication.k8s.io", "[]", "[]", "[create]"],
          ["selfsubjectaccessreviews.authorization.k8s.io", "[]", "[]", "[create]"],
          ["selfsubjectrulesreviews.authorization.k8s.io", "[]", "[]", "[create]"],
          ["pods", "[]", "[]", "[get list watch]"],
          ["services", "[]", "[]", "[get list watch]"],
          ["deployments.apps", "[]", "[web]", "[get]"],
        ]
          .map(([a, b, c, d]) => `${a.padEnd(48)}${b.padEnd(20)}${c.padEnd(17)}${d}\n`)
          .join(""),
        exitCode: 0,
      },
    ],
    ["--list for the admin", "kubectl auth can-i --list --no-headers", {
      stdout: [
        "*.*                                             []    []    [*]",
        "                                                [*]   []    [*]",
        "selfsubjectreviews.authentication.k8s.io        []    []    [create]",
        "selfsubjectaccessreviews.authorization.k8s.io   []    []    [create]",
        "selfsubjectrulesreviews.authorization.k8s.io    []    []    [create]",
        "",
      ].join("\n"),
    }],
  ];
  it.each(cases)("%s", async (_name, line, expected) => {
    await expectRun(rbacWorld(), line, expected);
  });

  it("is told why when a binding points nowhere", async () => {
    const f: Fixture = rbacWorld();
    binding(f, "RoleBinding", "broken", "Role", "gone", [{ kind: "User", name: "jane" }], "dev");
    await expectRun(f, "kubectl auth can-i delete pods -n dev --as=jane", { stdout: 'no - RBAC: role.rbac.authorization.k8s.io "gone" not found\n', exitCode: 1 });
    await expectRun(f, "kubectl auth can-i --list -n dev --as=jane", { stderr: 'Warning: the list may be incomplete: role.rbac.authorization.k8s.io "gone" not found\n' });
  });
});

describe("kubectl version", () => {
  const cases: [string, string, Expected][] = [
    ["client and server", "kubectl version", { stdout: "Client Version: v1.32.4\nKustomize Version: v5.5.0\nServer Version: v1.32.4\n", exitCode: 0 }],
    ["--client", "kubectl version --client", { stdout: "Client Version: v1.32.4\nKustomize Version: v5.5.0\n" }],
    [
      "--client -o json",
      "kubectl version --client -o json",
      {
        stdout:
          '{\n  "clientVersion": {\n    "major": "1",\n    "minor": "32",\n    "gitVersion": "v1.32.4",\n    "gitCommit": "59526cd4867447956156ae3a602fcbac10a2c335",\n    "gitTreeState": "clean",\n    "buildDate": "2025-04-22T16:03:58Z",\n    "goVersion": "go1.23.6",\n    "compiler": "gc",\n    "platform": "linux/amd64"\n  },\n  "kustomizeVersion": "v5.5.0"\n}\n',
      },
    ],
    [
      "-o yaml",
      "kubectl version -o yaml",
      { stdout: /^clientVersion:\n {2}buildDate: "2025-04-22T16:03:58Z"\n {2}compiler: gc\n[\s\S]*kustomizeVersion: v5\.5\.0\nserverVersion:\n[\s\S]* {2}gitVersion: v1\.32\.4\n/ },
    ],
    ["bad output", "kubectl version -o wide", { stderr: "error: --output must be 'yaml' or 'json'\n", exitCode: 1 }],
    ["extra arguments", "kubectl version now", { stderr: "error: extra arguments: [now]\n", exitCode: 1 }],
  ];
  it.each(cases)("%s", async (_name, line, expected) => {
    await expectRun(opsFixture(), line, expected);
  });

  it("prints the client's part before failing to reach the server", async () => {
    await expectRun(opsFixture({ offline: true }), "kubectl version", {
      stdout: "Client Version: v1.32.4\nKustomize Version: v5.5.0\n",
      stderr: "The connection to the server localhost:8080 was refused - did you specify the right host or port?\n",
      exitCode: 1,
    });
  });
});

describe("kubectl cluster-info", () => {
  const control = "https://172.30.1.2:6443";
  const hint = "\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n";
  function withDns() {
    const f = opsFixture();
    f.store.create({
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "kube-dns", namespace: "kube-system", labels: { "k8s-app": "kube-dns", "kubernetes.io/cluster-service": "true", "kubernetes.io/name": "CoreDNS" } },
      spec: { selector: { "k8s-app": "kube-dns" }, ports: [{ name: "dns", port: 53, protocol: "UDP" }, { name: "dns-tcp", port: 53, protocol: "TCP" }] },
    });
    return f;
  }

  it("shows the control plane alone before CoreDNS is installed", async () => {
    await expectRun(opsFixture(), "kubectl cluster-info", { stdout: `Kubernetes control plane is running at ${control}\n${hint}`, exitCode: 0 });
  });

  it("shows CoreDNS's proxy URL once its Service exists; -n looks elsewhere", async () => {
    const f = withDns();
    await expectRun(f, "kubectl cluster-info", {
      stdout: `Kubernetes control plane is running at ${control}\nCoreDNS is running at ${control}/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy\n${hint}`,
    });
    await expectRun(f, "kubectl cluster-info -n default", { stdout: `Kubernetes control plane is running at ${control}\n${hint}` });
  });

  it("prints the hint, then the discovery failures, when the server is unreachable", async () => {
    const failure = /^(E0112 \d\d:\d\d:\d\d\.\d{6} +\d+ memcache\.go:265\] "Unhandled Error" err="couldn't get current server API group list: Get \\"http:\/\/localhost:8080\/api\?timeout=32s\\": dial tcp 127\.0\.0\.1:8080: connect: connection refused"\n){5}The connection to the server localhost:8080 was refused - did you specify the right host or port\?\n$/;
    await expectRun(opsFixture({ offline: true }), "kubectl cluster-info", { stdout: hint, stderr: failure, exitCode: 1 });
  });
});
