/**
 * registry.k8s.io/ingress-nginx/controller: `/nginx-ingress-controller` and the nginx it runs.
 * The controller's configuration lives on `cluster.network.ingress` (net/ingress: built from the
 * API objects as its informers would); this program is the pod's side of it: the start-up log,
 * the processes and sockets (80, 443, the webhook's 8443, health and metrics on 10254), the
 * generated /etc/nginx/nginx.conf (read fresh from the configuration), the certificate by SNI
 * on 443, and nginx's answers, proxied from the pod's own network namespace.
 *
 * @example
 * ingressNginxProgram(ctx, ["--controller-class=k8s.io/ingress-nginx", …], dial); // listens on 80 and 443
 */
import type { AppRequest, ServerCertificate } from "../../net/app";
import { formatResponse, httpDate, parseRequest, splitTarget } from "../../net/app";
import { proxyRequest, type ProxyPlace } from "../../net/ingress";
import type { FileSystem } from "../../shell";
import { klogHeader } from "../format";
import type { Dialer } from "./agnhost";
import { daemon, err, flagValue, out, proc, tcp, type LogLine, type ProgramContext, type ProgramRun, type ServeContext, type Served } from "./kit";

const NGINX_VERSION = "1.25.5";

/** Where the controller's program finds its network and configuration. */
interface Controller {
  dial: Dialer;
  nodeName: string;
  podIP: string;
}

/** The controller's configuration and its pod's network namespace (the proxy connects from there). */
function place(c: Controller): ProxyPlace | undefined {
  const where = c.dial.namespace({ nodeName: c.nodeName, podIP: c.podIP });
  const nginx = where?.network.ingress;
  return where && nginx ? { nginx, network: where.network, stack: where.stack } : undefined;
}

/** /etc/nginx/nginx.conf: what the controller last rendered (read on every `cat`). */
class NginxConf {
  constructor(private readonly controller: Controller) {}

  read(): string {
    return place(this.controller)?.nginx.nginxConf() ?? "";
  }
}

function serveController(c: Controller, request: AppRequest, ctx: ServeContext): Served {
  if (request.local.port === 10254) return { reply: healthz(request, ctx.now), log: [] };
  const p = place(c);
  if (!p || (request.local.port !== 80 && request.local.port !== 443)) return { reply: { kind: "reset" }, log: [] };
  const proxied = proxyRequest(p, request, ctx.now);
  return { reply: proxied.reply, log: proxied.log.map(out) };
}

/** :10254 — /healthz answers ok (the kubelet's probes and `curl` from a node). */
function healthz(request: AppRequest, now: number): Served["reply"] {
  const req = parseRequest(request.data);
  const ok = req && splitTarget(req.target).path === "/healthz";
  const body = ok ? "ok" : "404 page not found\n";
  const data = formatResponse({ status: ok ? 200 : 404, headers: [["Content-Type", "text/plain; charset=utf-8"], ["Date", httpDate(now)], ["Content-Length", String(body.length)]], body });
  return { kind: "data", data, close: false };
}

function certificate(c: Controller, port: number, serverName: string | undefined): ServerCertificate | undefined {
  if (port !== 443) return undefined;
  return place(c)?.nginx.certificateFor(serverName);
}

/** The start-up banner and klog lines of v1.12.0. */
function startup(ctx: ProgramContext, args: readonly string[]): LogLine[] {
  const log = (text: string, offset = 0) => err(`${klogHeader("I", ctx.now + offset, 7)} ${text}`);
  const configmap = flagValue(args, "configmap") ?? "ingress-nginx/ingress-nginx-controller";
  const election = flagValue(args, "election-id") ?? "ingress-controller-leader";
  const namespace = ctx.namespace;
  return [
    out("-------------------------------------------------------------------------------"),
    out("NGINX Ingress controller"),
    out(`  Release:       v${ctx.image.version}`),
    out("  Repository:    https://github.com/kubernetes/ingress-nginx"),
    out(`  nginx version: nginx/${NGINX_VERSION}`),
    out(""),
    out("-------------------------------------------------------------------------------"),
    out(""),
    err(`${klogHeader("W", ctx.now, 7)} client_config.go:667] Neither --kubeconfig nor --master was specified.  Using the inClusterConfig.  This might not work.`),
    log(`main.go:205] "Creating API client" host="https://10.96.0.1:443"`),
    log(`main.go:248] "Running in Kubernetes cluster" major="1" minor="${ctx.kubernetesVersion.replace(/^v?\d+\./, "").split(".")[0]}" git="${ctx.kubernetesVersion}" state="clean" platform="linux/amd64"`),
    log(`main.go:101] "SSL fake certificate created" file="/etc/ingress-controller/ssl/default-fake-certificate.pem"`, 40),
    log(`nginx.go:271] "Starting NGINX Ingress controller"`, 60),
    log(`event.go:377] Event(v1.ObjectReference{Kind:"ConfigMap", Namespace:"${configmap.split("/")[0]}", Name:"${configmap.split("/")[1] ?? ""}", APIVersion:"v1"}): type: 'Normal' reason: 'CREATE' ConfigMap ${configmap}`, 80),
    log(`nginx.go:317] "Starting NGINX process"`, 1_200),
    log(`leaderelection.go:254] attempting to acquire leader lease ${namespace}/${election}...`, 1_200),
    log(`controller.go:196] "Configuration changes detected, backend reload required"`, 1_210),
    log(`controller.go:216] "Backend successfully reloaded"`, 1_300),
    log(`controller.go:227] "Initial sync, sleeping for 1 second"`, 1_300),
    log(`leaderelection.go:268] successfully acquired lease ${namespace}/${election}`, 1_310),
    log(`status.go:85] "New leader elected" identity="${ctx.podName}"`, 1_310),
  ];
}

/** `/nginx-ingress-controller [flags]`: the controller, its nginx master and workers. */
export function ingressNginxProgram(ctx: ProgramContext, dial: Dialer): ProgramRun {
  const args = ctx.argv.slice(1);
  const controller: Controller = { dial, nodeName: ctx.nodeName, podIP: ctx.podIP };
  writeConf(ctx.fs, controller);
  const workers = Array.from({ length: ctx.cpus }, () => proc("nginx: worker process", 101, 153_000, 42_000, "S"));
  return daemon({
    processes: [
      proc(`/nginx-ingress-controller ${args.join(" ")}`.trim(), 101, 1_290_000, 48_000, "Ssl"),
      proc("nginx: master process /usr/bin/nginx -c /etc/nginx/nginx.conf", 101, 148_000, 38_000, "S"),
      ...workers,
      proc("nginx: cache manager process", 101, 146_000, 9_000, "S"),
    ],
    listens: [tcp(80), tcp(443), tcp(8443, "::"), tcp(10254, "::"), tcp(8181), tcp(10246, "127.0.0.1")],
    startup: startup(ctx, args),
    data: controller,
    serve: serveController,
    certificate,
  });
}

function writeConf(fs: FileSystem, controller: Controller): void {
  fs.mkdirp("/etc/nginx");
  fs.defineVirtualFile("/etc/nginx/nginx.conf", new NginxConf(controller));
}
