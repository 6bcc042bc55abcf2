import { beforeAll, describe, expect, test } from "vitest";
import type { Deployment, Pod, Service } from "@/lib/engine/api";
import { type Case, expectRun, kubectlCluster } from "./helpers";

/**
 * expose, run, scale, set image, label, annotate, patch, replace and describe on a live store.
 * Expected `--dry-run=client` output of expose and run was produced by the real kubectl v1.32.4
 * against a read-only apiserver serving the same objects (neither works without a server).
 */
describe("kubectl verbs that change workloads", () => {
  const { sh, store, fs } = kubectlCluster();
  beforeAll(() => {
    const template = (app: string, ports: { containerPort: number; protocol: string }[]) => ({
      metadata: { labels: { app } },
      spec: { containers: [{ name: app, image: "nginx", ports }] },
    });
    store.create({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web", namespace: "default", labels: { app: "web", tier: "fe" } },
      spec: { replicas: 2, selector: { matchLabels: { app: "web" } }, template: template("web", [{ containerPort: 80, protocol: "TCP" }, { containerPort: 443, protocol: "TCP" }]) },
    });
    store.create({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "dns", namespace: "default", labels: { app: "dns" } },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: "dns" } },
        template: template("dns", [{ containerPort: 53, protocol: "UDP" }, { containerPort: 53, protocol: "TCP" }, { containerPort: 9153, protocol: "TCP" }]),
      },
    });
    store.create({ apiVersion: "v1", kind: "Pod", metadata: { name: "bare", namespace: "default" }, spec: { containers: [{ name: "bare", image: "nginx" }] } });
    store.create({ apiVersion: "apps/v1", kind: "DaemonSet", metadata: { name: "agent", namespace: "default" }, spec: { selector: { matchLabels: { app: "agent" } }, template: template("agent", []) } });
  });

  const cases: Case[] = [
    [
      "expose: ports and labels from a deployment",
      "kubectl expose deploy web --dry-run=client -o yaml",
      { stdout: "apiVersion: v1\nkind: Service\nmetadata:\n  creationTimestamp: null\n  labels:\n    app: web\n    tier: fe\n  name: web\nspec:\n  ports:\n  - name: port-1\n    port: 80\n    protocol: TCP\n    targetPort: 80\n  - name: port-2\n    port: 443\n    protocol: TCP\n    targetPort: 443\n  selector:\n    app: web\nstatus:\n  loadBalancer: {}\n" },
    ],
    [
      "expose: one port per protocol",
      "kubectl expose deploy dns --dry-run=client -o yaml",
      { stdout: "apiVersion: v1\nkind: Service\nmetadata:\n  creationTimestamp: null\n  labels:\n    app: dns\n  name: dns\nspec:\n  ports:\n  - name: port-1-udp\n    port: 53\n    protocol: UDP\n    targetPort: 53\n  - name: port-1-tcp\n    port: 53\n    protocol: TCP\n    targetPort: 53\n  - name: port-2\n    port: 9153\n    protocol: TCP\n    targetPort: 9153\n  selector:\n    app: dns\nstatus:\n  loadBalancer: {}\n" },
    ],
    [
      "expose: --port, --target-port, --name, --type",
      "kubectl expose deploy web --port=8080 --target-port=http --name=web2 --type=NodePort --dry-run=client -o json",
      { stdout: '{\n    "kind": "Service",\n    "apiVersion": "v1",\n    "metadata": {\n        "name": "web2",\n        "creationTimestamp": null,\n        "labels": {\n            "app": "web",\n            "tier": "fe"\n        }\n    },\n    "spec": {\n        "ports": [\n            {\n                "protocol": "TCP",\n                "port": 8080,\n                "targetPort": "http"\n            }\n        ],\n        "selector": {\n            "app": "web"\n        },\n        "type": "NodePort"\n    },\n    "status": {\n        "loadBalancer": {}\n    }\n}\n' },
    ],
    [
      "expose: headless, UDP, affinity, external IP",
      "kubectl expose deploy web --port=80 --protocol=UDP --cluster-ip=None --session-affinity=ClientIP --external-ip=1.2.3.4 --dry-run=client -o yaml",
      { stdout: "apiVersion: v1\nkind: Service\nmetadata:\n  creationTimestamp: null\n  labels:\n    app: web\n    tier: fe\n  name: web\nspec:\n  clusterIP: None\n  externalIPs:\n  - 1.2.3.4\n  ports:\n  - port: 80\n    protocol: UDP\n    targetPort: 80\n  selector:\n    app: web\n  sessionAffinity: ClientIP\nstatus:\n  loadBalancer: {}\n" },
    ],
    ["expose: a DaemonSet", "kubectl expose ds agent --port=80 --dry-run=client", { stderr: "error: cannot expose a DaemonSet.apps\n", exitCode: 1 }],
    ["expose: a pod without labels", "kubectl expose pod bare --port=80", { stderr: "error: couldn't retrieve selectors via --selector flag or introspection: the pod has no labels and cannot be exposed\nSee 'kubectl expose -h' for help and examples\n", exitCode: 1 }],
    ["expose: bad affinity", "kubectl expose deploy web --port=80 --session-affinity=foo --dry-run=client", { stderr: "error: unknown session affinity: foo\n", exitCode: 1 }],
    ["expose: bad port", "kubectl expose deploy web --port=abc --dry-run=client", { stderr: 'error: strconv.Atoi: parsing "abc": invalid syntax\n', exitCode: 1 }],
    ["expose: bad selector", "kubectl expose deploy web --port=80 --selector=bad --dry-run=client", { stderr: "error: unexpected label spec: bad\n", exitCode: 1 }],
    ["expose: missing", "kubectl expose deploy missing --port=80", { stderr: 'Error from server (NotFound): deployments.apps "missing" not found\n', exitCode: 1 }],
    ["expose: for real", "kubectl expose deploy/web --port=80", { stdout: "service/web exposed\n" }],
    [
      "run: the pod generator",
      "kubectl run web --image=nginx --dry-run=client -o yaml",
      { stdout: "apiVersion: v1\nkind: Pod\nmetadata:\n  creationTimestamp: null\n  labels:\n    run: web\n  name: web\nspec:\n  containers:\n  - image: nginx\n    name: web\n    resources: {}\n  dnsPolicy: ClusterFirst\n  restartPolicy: Always\nstatus: {}\n" },
    ],
    [
      "run: port, env, labels, restart",
      "kubectl run web --image=nginx:1.27 --port=80 --env=A=1 --env=B=2 --labels=app=web,tier=fe --restart=Never --dry-run=client -o json",
      { stdout: '{\n    "kind": "Pod",\n    "apiVersion": "v1",\n    "metadata": {\n        "name": "web",\n        "creationTimestamp": null,\n        "labels": {\n            "app": "web",\n            "tier": "fe"\n        }\n    },\n    "spec": {\n        "containers": [\n            {\n                "name": "web",\n                "image": "nginx:1.27",\n                "ports": [\n                    {\n                        "containerPort": 80\n                    }\n                ],\n                "env": [\n                    {\n                        "name": "A",\n                        "value": "1"\n                    },\n                    {\n                        "name": "B",\n                        "value": "2"\n                    }\n                ],\n                "resources": {}\n            }\n        ],\n        "restartPolicy": "Never",\n        "dnsPolicy": "ClusterFirst"\n    },\n    "status": {}\n}\n' },
    ],
    [
      "run: --command",
      "kubectl run bb --image=busybox --command --dry-run=client -o yaml -- sleep 3600",
      { stdout: 'apiVersion: v1\nkind: Pod\nmetadata:\n  creationTimestamp: null\n  labels:\n    run: bb\n  name: bb\nspec:\n  containers:\n  - command:\n    - sleep\n    - "3600"\n    image: busybox\n    name: bb\n    resources: {}\n  dnsPolicy: ClusterFirst\n  restartPolicy: Always\nstatus: {}\n' },
    ],
    [
      "run: pull policy, annotations, privileged, -n",
      "kubectl create ns team >/dev/null; kubectl run x --image=nginx --restart=OnFailure --image-pull-policy=Always --annotations=a=b --privileged --dry-run=client -o yaml -n team",
      { stdout: "apiVersion: v1\nkind: Pod\nmetadata:\n  annotations:\n    a: b\n  creationTimestamp: null\n  labels:\n    run: x\n  name: x\n  namespace: team\nspec:\n  containers:\n  - image: nginx\n    imagePullPolicy: Always\n    name: x\n    resources: {}\n    securityContext:\n      privileged: true\n  dnsPolicy: ClusterFirst\n  restartPolicy: OnFailure\nstatus: {}\n" },
    ],
    ["run: --expose", "kubectl run x --image=nginx --expose --port=80 --dry-run=client", { stdout: "service/x created (dry run)\npod/x created (dry run)\n" }],
    ["run: --expose needs --port", "kubectl run x --image=nginx --expose --dry-run=client", { stderr: "error: --port must be set when exposing a service\nSee 'kubectl run -h' for help and examples\n", exitCode: 1 }],
    ["run: bad restart policy", "kubectl run x --image=nginx --restart=Foo", { stderr: "error: invalid restart policy: Foo\nSee 'kubectl run -h' for help and examples\n", exitCode: 1 }],
    ["run: bad image", "kubectl run x --image=Nginx", { stderr: 'error: Invalid image name "Nginx": invalid reference format\n', exitCode: 1 }],
    ["run: bad env", "kubectl run x --image=nginx --env=BAD --dry-run=client", { stderr: "error: invalid env: BAD\n", exitCode: 1 }],
    ["run: -t without -i", "kubectl run x --image=nginx -t", { stderr: "error: -i/--stdin is required for containers with -t/--tty=true\nSee 'kubectl run -h' for help and examples\n", exitCode: 1 }],
    ["run: --rm without attaching", "kubectl run x --image=nginx --rm", { stderr: "error: --rm should only be used for attached containers\nSee 'kubectl run -h' for help and examples\n", exitCode: 1 }],
    ["run: for real", "kubectl run client --image=busybox -- sleep 3600", { stdout: "pod/client created\n" }],
    ["scale", "kubectl scale deploy web --replicas=5", { stdout: "deployment.apps/web scaled\n" }],
    ["scale with a failing precondition", "kubectl scale deploy web --replicas=3 --current-replicas=2", { stderr: "error: Expected replicas to be 2, was 5\n", exitCode: 1 }],
    ["scale something without a scale subresource", "kubectl scale ds agent --replicas=3", { stderr: "Error from server (NotFound): the server could not find the requested resource\n", exitCode: 1 }],
    ["scale something missing", "kubectl scale deploy nope --replicas=3", { stderr: "error: no objects passed to scale\n", exitCode: 1 }],
    ["set image", "kubectl set image deploy/web web=nginx:1.28", { stdout: "deployment.apps/web image updated\n" }],
    ["set image to what it is: silence", "kubectl set image deploy/web web=nginx:1.28", { stdout: "", stderr: "", exitCode: 0 }],
    ["set image on every container", "kubectl set image deploy web '*=nginx:1.29' --dry-run=client", { stdout: "deployment.apps/web image updated (dry run)\n" }],
    ["set image on a missing container", "kubectl set image deploy/web nope=nginx", { stderr: 'error: unable to find container named "nope"\n', exitCode: 1 }],
    ["label", "kubectl label deploy web env=prod", { stdout: "deployment.apps/web labeled\n" }],
    ["label conflict", "kubectl label deploy web env=dev", { stderr: "error: 'env' already has a value (prod), and --overwrite is false\n", exitCode: 1 }],
    ["label removal", "kubectl label deploy web env-", { stdout: "deployment.apps/web unlabeled\n" }],
    ["label removal of a missing key", "kubectl label deploy web env-", { stdout: 'label "env" not found.\ndeployment.apps/web not labeled\n' }],
    ["label by selector", "kubectl label deploy -l app=web checked=yes", { stdout: "deployment.apps/web labeled\n" }],
    ["label --all", "kubectl label deploy --all audited=yes", { stdout: "deployment.apps/dns labeled\ndeployment.apps/web labeled\n" }],
    ["annotate", "kubectl annotate deploy web team=blue", { stdout: "deployment.apps/web annotated\n" }],
    ["annotate conflict", "kubectl annotate deploy web team=red", { stderr: "error: --overwrite is false but found the following declared annotation(s): 'team' already has a value (blue)\n", exitCode: 1 }],
    ["annotate --overwrite", "kubectl annotate deploy web team=red --overwrite", { stdout: "deployment.apps/web annotated\n" }],
    ["patch (strategic)", `kubectl patch deploy web -p '{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:2"}]}}}}'`, { stdout: "deployment.apps/web patched\n" }],
    ["patch with no change", `kubectl patch deploy web -p '{"spec":{"replicas":5}}'`, { stdout: "deployment.apps/web patched (no change)\n" }],
    ["patch (merge, YAML)", "kubectl patch deploy web --type merge -p 'spec: {replicas: 4}'", { stdout: "deployment.apps/web patched\n" }],
    ["patch (json)", `kubectl patch svc web --type json -p '[{"op":"replace","path":"/spec/type","value":"NodePort"}]'`, { stdout: "service/web patched\n" }],
    ["patch a missing object", "kubectl patch deploy nope -p '{}'", { stderr: 'Error from server (NotFound): deployments.apps "nope" not found\n', exitCode: 1 }],
    ["patch into an invalid object", `kubectl patch deploy web -p '{"spec":{"replicas":-1}}'`, { stderr: /^The Deployment "web" is invalid: spec\.replicas: Invalid value: -1: must be greater than or equal to 0\n/, exitCode: 1 }],
  ];
  test.each(cases)("%s", async (_name, input, expected) => {
    await expectRun(sh, input, expected);
  });

  test("the objects ended up as the commands said", () => {
    const web = store.get<Deployment>("Deployment", "default", "web");
    expect(web.spec.replicas).toBe(4);
    expect(web.spec.template.spec.containers[0].image).toBe("nginx:2");
    expect(web.metadata.labels).toEqual({ app: "web", tier: "fe", checked: "yes", audited: "yes" });
    expect(web.metadata.annotations).toEqual({ team: "red" });
    expect(store.get<Service>("Service", "default", "web").spec.type).toBe("NodePort");
    const client = store.get<Pod>("Pod", "default", "client");
    expect([client.metadata.labels, client.spec.containers[0].args]).toEqual([{ run: "client" }, ["sleep", "3600"]]);
  });

  test("replace puts the file's object in place of the live one", async () => {
    await sh.run("kubectl get deploy web -o yaml > web.yaml && sed -i 's/replicas: 4/replicas: 1/' web.yaml");
    await expectRun(sh, "kubectl replace -f web.yaml", { stdout: "deployment.apps/web replaced\n" });
    expect(store.get<Deployment>("Deployment", "default", "web").spec.replicas).toBe(1);
    await expectRun(sh, "kubectl replace -f web.yaml", { stderr: /^Error from server \(Conflict\): error when replacing "web\.yaml": Operation cannot be fulfilled on deployments\.apps "web": the object has been modified/, exitCode: 1 });
    fs.writeFile("/root/gone.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: gone\n");
    await expectRun(sh, "kubectl replace -f gone.yaml", { stderr: 'Error from server (NotFound): error when replacing "gone.yaml": configmaps "gone" not found\n', exitCode: 1 });
  });

  test("describe delegates to the describers, two newlines between objects", async () => {
    const { stdout } = await sh.run("kubectl describe deploy");
    expect(stdout).toMatch(/^Name:\s+dns\n/);
    expect(stdout).toMatch(/\n\n\nName:\s+web\n/);
    await expectRun(sh, "kubectl describe deploy we", { stdout: /^Name:\s+web\n[\s\S]*\n\n$/ });
    await expectRun(sh, "kubectl describe pod nope", { stderr: 'Error from server (NotFound): pods "nope" not found\n', exitCode: 1 });
    await expectRun(sh, "kubectl describe rs", { stderr: "No resources found in default namespace.\n" });
  });
});
