/**
 * Authentication and authorisation as a learner meets them through kubectl on a booted cluster:
 * the apiserver's Forbidden and Unauthorized texts, `--as` and its own authorisation, the
 * identities of client certificates and service-account tokens, `auth whoami`, `auth can-i --list`.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createCluster } from "@/lib/engine";
import { issueCertificate, keyPairFrom, parseCertificate, parsePrivateKeyPem, privateKeyPem } from "@/lib/engine/pki";

type Shell = ReturnType<ReturnType<typeof createCluster>["shell"]>;

/** A fresh fork of the booted single-node cluster with jane's role in `dev` and a running pod. */
async function world(): Promise<{ sh: Shell; cluster: ReturnType<typeof createCluster> }> {
  const cluster = createCluster({ scenario: "single-node", seed: 3 });
  const sh = cluster.shell();
  for (const line of [
    "kubectl create namespace dev",
    "kubectl create role pod-reader --verb=get,list,watch --resource=pods -n dev",
    "kubectl create rolebinding jane-reads --role=pod-reader --user=jane -n dev",
    "kubectl run web --image=nginx",
    "kubectl wait --for=condition=Ready pod/web --timeout=60s",
  ]) {
    const r = await sh.run(line);
    expect(r.exitCode, `${line}: ${r.stderr}`).toBe(0);
  }
  return { sh, cluster };
}

let base: Awaited<ReturnType<typeof world>>;
beforeAll(async () => {
  base = await world();
});

const forbidden = (text: string) => `Error from server (Forbidden): ${text}\n`;

describe("every request is authorised", () => {
  const cases: [string, string][] = [
    ["kubectl get pods --as=jane", forbidden('pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the namespace "default"')],
    ["kubectl get pods -A --as=jane", forbidden('pods is forbidden: User "jane" cannot list resource "pods" in API group "" at the cluster scope')],
    ["kubectl get nodes --as=jane", forbidden('nodes is forbidden: User "jane" cannot list resource "nodes" in API group "" at the cluster scope')],
    ["kubectl get pod web --as=jane", forbidden('pods "web" is forbidden: User "jane" cannot get resource "pods" in API group "" in the namespace "default"')],
    ["kubectl create deployment api --image=nginx -n dev --as=jane", 'error: failed to create deployment: deployments.apps is forbidden: User "jane" cannot create resource "deployments" in API group "apps" in the namespace "dev"\n'],
    ["kubectl logs web --as=system:serviceaccount:default:default", forbidden('pods "web" is forbidden: User "system:serviceaccount:default:default" cannot get resource "pods" in API group "" in the namespace "default"')],
  ];
  it.each(cases)("%s", async (line, stderr) => {
    expect(await base.sh.run(line)).toMatchObject({ stdout: "", stderr, exitCode: 1 });
  });

  it("serves what a Role grants, and checks subresources on their own", async () => {
    const { sh } = base;
    expect(await sh.run("kubectl get pods -n dev --as=jane")).toMatchObject({ stdout: "", stderr: "No resources found in dev namespace.\n", exitCode: 0 });
    await sh.run("kubectl create role pod-reader --verb=get,list --resource=pods -n default");
    await sh.run("kubectl create rolebinding jane-reads --role=pod-reader --user=jane -n default");
    expect((await sh.run("kubectl get pod web --as=jane")).stdout).toMatch(/^NAME {3}READY/);
    expect(await sh.run("kubectl logs web --as=jane")).toMatchObject({
      stderr: forbidden('pods "web" is forbidden: User "jane" cannot get resource "pods/log" in API group "" in the namespace "default"'),
      exitCode: 1,
    });
    expect(await sh.run("kubectl exec web --as=jane -- ls")).toMatchObject({
      stderr: forbidden('pods "web" is forbidden: User "jane" cannot create resource "pods/exec" in API group "" in the namespace "default"'),
      exitCode: 1,
    });
    await sh.run("kubectl delete rolebinding jane-reads -n default");
    await sh.run("kubectl delete role pod-reader -n default");
  });

  it("describes what a Role grants and leaves out the events it may not list, as kubectl does", async () => {
    const { sh } = await world();
    await sh.run("kubectl create role pod-reader --verb=get,list --resource=pods -n default");
    await sh.run("kubectl create rolebinding jane-reads --role=pod-reader --user=jane -n default");
    const admin = await sh.run("kubectl describe pod web");
    expect(admin.stdout).toMatch(/\nEvents:\n {2}Type/);
    const jane = await sh.run("kubectl describe pod web --as=jane");
    expect(jane).toMatchObject({ stderr: "", exitCode: 0 });
    expect(jane.stdout).toBe(admin.stdout.slice(0, admin.stdout.indexOf("Events:")));
  });

  it("adds the RBAC reason when a binding names a missing role", async () => {
    const { sh } = await world();
    await sh.run("kubectl create rolebinding broken --clusterrole=no-such-role --user=jane");
    expect((await sh.run("kubectl get pods --as=jane")).stderr).toBe(
      forbidden('pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the namespace "default": RBAC: clusterrole.rbac.authorization.k8s.io "no-such-role" not found'),
    );
    expect((await sh.run("kubectl auth can-i list pods --as=jane")).stdout).toBe('no - RBAC: clusterrole.rbac.authorization.k8s.io "no-such-role" not found\n');
  });
});

describe("identities", () => {
  it("reads the admin's client certificate: CN is the user, O the groups", async () => {
    expect(await base.sh.run("kubectl auth whoami")).toMatchObject({
      stdout: "ATTRIBUTE   VALUE\nUsername    kubernetes-admin\nGroups      [kubeadm:cluster-admins system:authenticated]\n",
      exitCode: 0,
    });
    expect((await base.sh.run("kubectl auth whoami -o json")).stdout).toBe(
      '{\n    "kind": "SelfSubjectReview",\n    "apiVersion": "authentication.k8s.io/v1",\n    "metadata": {\n        "creationTimestamp": null\n    },\n    "status": {\n        "userInfo": {\n            "username": "kubernetes-admin",\n            "groups": [\n                "kubeadm:cluster-admins",\n                "system:authenticated"\n            ]\n        }\n    }\n}\n',
    );
  });

  it("accepts a learner's certificate signed by the cluster CA, and refuses other CAs and expired ones", async () => {
    const { sh, cluster } = await world();
    const fs = cluster.internals.nodes.get("controlplane")!.fs;
    const ca = { certificate: parseCertificate(fs.readFile("/etc/kubernetes/pki/ca.crt")), key: parsePrivateKeyPem(fs.readFile("/etc/kubernetes/pki/ca.key"))! };
    const now = cluster.internals.clock.now();
    const issue = (name: string, issuer: typeof ca, notAfter = now + 86_400_000) => {
      const key = keyPairFrom(`test/${name}`);
      const cert = issueCertificate({ subject: { commonName: name, organizations: ["devs"] }, key, serial: 7, notBefore: now - 60_000, notAfter, usages: ["clientAuth"] }, issuer);
      fs.writeFile(`/root/${name}.crt`, cert.pem);
      fs.writeFile(`/root/${name}.key`, privateKeyPem(key));
    };
    const rogueKey = keyPairFrom("test/rogue-ca");
    const rogue = { certificate: issueCertificate({ subject: { commonName: "kubernetes" }, key: rogueKey, serial: 1, notBefore: now - 60_000, notAfter: now + 86_400_000, isCA: true, usages: [] }), key: rogueKey };
    issue("alice", ca);
    issue("mallory", rogue);
    issue("old", ca, now - 1000);
    for (const name of ["alice", "mallory", "old"]) {
      await sh.run(`kubectl config set-credentials ${name} --client-certificate=/root/${name}.crt --client-key=/root/${name}.key`);
    }
    expect((await sh.run("kubectl --user=alice auth whoami")).stdout).toBe("ATTRIBUTE   VALUE\nUsername    alice\nGroups      [devs system:authenticated]\n");
    expect((await sh.run("kubectl --user=alice get pods")).stderr).toBe(forbidden('pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "default"'));
    await sh.run("kubectl create rolebinding devs-view --clusterrole=view --group=devs");
    expect((await sh.run("kubectl --user=alice get pods -o name")).stdout).toBe("pod/web\n");
    for (const name of ["mallory", "old"]) {
      expect(await sh.run(`kubectl --user=${name} get pods`)).toMatchObject({ stderr: "error: You must be logged in to the server (Unauthorized)\n", exitCode: 1 });
    }
  });

  it("authenticates a pod's projected token as its service account, until the pod is gone", async () => {
    const { sh } = await world();
    expect((await sh.run("kubectl exec web -- ls /var/run/secrets/kubernetes.io/serviceaccount")).stdout).toBe("ca.crt\nnamespace\ntoken\n");
    await sh.run("TOKEN=$(kubectl exec web -- cat /var/run/secrets/kubernetes.io/serviceaccount/token)");
    const header = await sh.run("echo $TOKEN | cut -d. -f1 | base64 -d");
    expect(header.stdout).toMatch(/^\{"alg":"ES256","kid":"[A-Za-z0-9_-]{43}"\}/);
    await sh.run("kubectl config set-credentials web-sa --token=$TOKEN && kubectl config set-context web --cluster=kubernetes --user=web-sa");
    const who = await sh.run("kubectl --context=web auth whoami");
    expect(who.stdout).toMatch(/^ATTRIBUTE {43}VALUE\nUsername {44}system:serviceaccount:default:default\nUID {49}[0-9a-f-]{36}\nGroups {46}\[system:serviceaccounts system:serviceaccounts:default system:authenticated\]\n/);
    expect(who.stdout).toContain("Extra: authentication.kubernetes.io/pod-name        [web]\n");
    expect((await sh.run("kubectl --context=web get pods")).stderr).toBe(
      forbidden('pods is forbidden: User "system:serviceaccount:default:default" cannot list resource "pods" in API group "" in the namespace "default"'),
    );
    await sh.run("kubectl create rolebinding default-view --clusterrole=view --serviceaccount=default:default");
    expect((await sh.run("kubectl --context=web get pods -o name")).stdout).toBe("pod/web\n");
    await sh.run("kubectl delete pod web");
    expect(await sh.run("kubectl --context=web get pods")).toMatchObject({ stderr: "error: You must be logged in to the server (Unauthorized)\n", exitCode: 1 });
    await sh.run("kubectl config set-credentials forged --token=$(echo $TOKEN | cut -d. -f1,2).AAAA");
    expect((await sh.run("kubectl --user=forged get pods")).stderr).toBe("error: You must be logged in to the server (Unauthorized)\n");
  });
});

describe("kubectl create token", () => {
  it("issues a signed token the apiserver accepts for the apiserver's audience only", async () => {
    const { sh } = await world();
    await sh.run("kubectl create serviceaccount robot -n dev");
    // A terminal gets a newline after the token; a pipe or $(…) the token alone.
    const printed = (await sh.run("kubectl create token robot -n dev")).stdout;
    expect(printed).toMatch(/^eyJ[\w-]+\.eyJ[\w-]+\.[\w-]{86}\n$/);
    expect((await sh.run("kubectl create token robot -n dev | wc -l")).stdout.trim()).toBe("0");
    const token = printed.trim();
    const claims = JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString());
    expect(claims).toMatchObject({ aud: ["https://kubernetes.default.svc.cluster.local"], sub: "system:serviceaccount:dev:robot", "kubernetes.io": { namespace: "dev", serviceaccount: { name: "robot" } } });
    expect(claims.exp - claims.iat).toBe(3600);
    await sh.run(`kubectl config set-credentials robot --token=${token}`);
    expect((await sh.run("kubectl --user=robot auth whoami")).stdout).toMatch(/^ATTRIBUTE +VALUE\nUsername +system:serviceaccount:dev:robot\n/);
    await sh.run("kubectl config set-credentials elsewhere --token=$(kubectl create token robot -n dev --audience=https://vault.example.com)");
    expect((await sh.run("kubectl --user=elsewhere get pods -n dev")).stderr).toBe("error: You must be logged in to the server (Unauthorized)\n");
  });

  const cases: [string, string][] = [
    ["kubectl create token", "error: SERVICE_ACCOUNT_NAME is required\nSee 'kubectl create token -h' for help and examples\n"],
    ["kubectl create token nobody", 'error: failed to create token: serviceaccounts "nobody" not found\n'],
    ["kubectl create token default --duration=5m", 'error: failed to create token: TokenRequest.authentication.k8s.io "default" is invalid: spec.expirationSeconds: Invalid value: 300: may not specify a duration less than 10 minutes\n'],
    ["kubectl create token default --as=jane", 'error: failed to create token: serviceaccounts "default" is forbidden: User "jane" cannot create resource "serviceaccounts/token" in API group "" in the namespace "default"\n'],
    ["kubectl --user=ghost get pods", 'error: auth info "ghost" does not exist\n'],
  ];
  it.each(cases)("%s", async (line, stderr) => {
    expect(await base.sh.run(line)).toMatchObject({ stdout: "", stderr, exitCode: 1 });
  });
});

describe("impersonation", () => {
  it("needs the impersonate verb on users, groups and service accounts", async () => {
    const { sh } = await world();
    await sh.run("TOKEN=$(kubectl exec web -- cat /var/run/secrets/kubernetes.io/serviceaccount/token)");
    await sh.run("kubectl config set-credentials web-sa --token=$TOKEN");
    const as = (flags: string) => sh.run(`kubectl --user=web-sa get pods ${flags}`);
    expect((await as("--as=jane")).stderr).toBe(forbidden('users "jane" is forbidden: User "system:serviceaccount:default:default" cannot impersonate resource "users" in API group "" at the cluster scope'));
    expect((await as("--as=system:serviceaccount:dev:ci")).stderr).toBe(
      forbidden('serviceaccounts "ci" is forbidden: User "system:serviceaccount:default:default" cannot impersonate resource "serviceaccounts" in API group "" in the namespace "dev"'),
    );
    await sh.run("kubectl create clusterrole impersonate-jane --verb=impersonate --resource=users --resource-name=jane");
    await sh.run("kubectl create clusterrolebinding sa-as-jane --clusterrole=impersonate-jane --serviceaccount=default:default");
    expect((await as("-n dev --as=jane")).stderr).toBe("No resources found in dev namespace.\n");
    expect((await as("-n dev --as=jane --as-group=admins")).stderr).toBe(
      forbidden('groups "admins" is forbidden: User "system:serviceaccount:default:default" cannot impersonate resource "groups" in API group "" at the cluster scope'),
    );
    expect((await sh.run("kubectl auth whoami --as=jane --as-group=devs")).stdout).toBe("ATTRIBUTE   VALUE\nUsername    jane\nGroups      [devs system:authenticated]\n");
  });
});

describe("kubectl auth can-i", () => {
  it("--list prints the user's rules in the namespace as kubectl's table", async () => {
    expect((await base.sh.run("kubectl auth can-i --list -n dev --as=jane")).stdout).toBe(
      [
        "Resources                                       Non-Resource URLs   Resource Names   Verbs",
        "selfsubjectreviews.authentication.k8s.io        []                  []               [create]",
        "selfsubjectaccessreviews.authorization.k8s.io   []                  []               [create]",
        "selfsubjectrulesreviews.authorization.k8s.io    []                  []               [create]",
        "pods                                            []                  []               [get list watch]",
        "                                                [/api/*]            []               [get]",
        "                                                [/api]              []               [get]",
        "                                                [/apis/*]           []               [get]",
        "                                                [/apis]             []               [get]",
        "                                                [/healthz]          []               [get]",
        "                                                [/livez]            []               [get]",
        "                                                [/openapi/*]        []               [get]",
        "                                                [/openapi]          []               [get]",
        "                                                [/readyz]           []               [get]",
        "                                                [/version/]         []               [get]",
        "                                                [/version]          []               [get]",
        "",
      ].join("\n"),
    );
  });

  const cases: [string, string, number][] = [
    ["kubectl auth can-i list pods -n dev --as=jane", "yes\n", 0],
    ["kubectl auth can-i list pods --as=jane", "no\n", 1],
    ["kubectl auth can-i list pods -A --as=jane", "no\n", 1],
    ["kubectl auth can-i get pods --subresource=log -n dev --as=jane", "no\n", 1],
    ["kubectl auth can-i get /healthz --as=jane", "yes\n", 0],
    ["kubectl auth can-i get /metrics --as=jane", "no\n", 1],
    ["kubectl auth can-i '*' '*'", "yes\n", 0],
  ];
  it.each(cases)("%s", async (line, stdout, exitCode) => {
    expect(await base.sh.run(line)).toMatchObject({ stdout, exitCode });
  });
});
