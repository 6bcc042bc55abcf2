/**
 * The cluster's own components as programs: the control plane's static pods (etcd,
 * kube-apiserver, kube-controller-manager, kube-scheduler), kube-proxy, CoreDNS, the CNI
 * agents and add-on controllers. Each binds the ports the real one binds, so port
 * conflicts and `ss` see them, and logs a few of the lines the real one logs at start.
 *
 * @example
 * systemProgram("kube-scheduler", ctx); // listens 127.0.0.1:10259, "Serving securely on 127.0.0.1:10259"
 */
import { calicoInstall } from "../../net/cni/calico/install";
import { parseProxyConfig } from "../../net/kube-proxy/config";
import { klogHeader, microTime, stableHex } from "../format";
import { apiserverCertificate, serveApiserver, type ApiserverData } from "./apiserver-https";
import { daemon, diesOfSignal, err, flagValue, oneShot, out, proc, tcp, udp, type Listen, type LogLine, type ProgramContext, type ProgramRun, type Signal, type SignalReply } from "./kit";

const klog = (ctx: ProgramContext, offsetMs: number, where: string, text: string, severity: "I" | "W" | "E" = "I"): LogLine =>
  err(`${klogHeader(severity, ctx.now + offsetMs, 1)} ${where}] ${text}`);

/** The address part of a `https://host:port` URL list flag. */
function urlHosts(value: string | undefined): string[] {
  return (value ?? "").split(",").filter(Boolean).map((u) => u.replace(/^\w+:\/\//, "").replace(/:\d+$/, ""));
}

const etcdSignal = (_d: undefined, _s: Signal, now: number): SignalReply => ({
  afterMs: 200, exitCode: 0, output: [err(JSON.stringify({ level: "info", ts: microTime(now), caller: "osutil/interrupt_unix.go:64", msg: "received signal; shutting down", signal: "terminated" }))],
});

function etcd(ctx: ProgramContext): ProgramRun {
  const ts = (ms: number) => microTime(ctx.now + ms);
  const clientHosts = urlHosts(flagValue(ctx.argv, "listen-client-urls"));
  const peerHosts = urlHosts(flagValue(ctx.argv, "listen-peer-urls"));
  const name = flagValue(ctx.argv, "name") ?? "default";
  const json = (ms: number, caller: string, msg: string, extra: Record<string, unknown> = {}) =>
    err(JSON.stringify({ level: "info", ts: ts(ms), caller, msg, ...extra }));
  return daemon({
    processes: [proc(ctx.argv.join(" "), 0, 11_222_000, 58_000, "Ssl", 1.9)],
    listens: [...clientHosts.map((h) => tcp(2379, h)), ...peerHosts.map((h) => tcp(2380, h)), tcp(2381, "127.0.0.1")],
    startup: [
      json(0, "etcdmain/etcd.go:73", "Running: ", { args: ctx.argv }),
      json(2, "embed/etcd.go:128", "configuring peer listeners", { "listen-peer-urls": (flagValue(ctx.argv, "listen-peer-urls") ?? "").split(",") }),
      json(3, "embed/etcd.go:136", "configuring client listeners", { "listen-client-urls": (flagValue(ctx.argv, "listen-client-urls") ?? "").split(",") }),
      json(5, "embed/etcd.go:310", "starting an etcd server", { "etcd-version": "3.5.16", "git-sha": "f20bbad", "go-version": "go1.22.7", "go-os": "linux", "go-arch": "amd64", "max-cpu-set": ctx.cpus, "max-cpu-available": ctx.cpus, name }),
      json(900, "etcdserver/server.go:2065", "published local member to cluster through raft", { "local-member-attributes": `{Name:${name} ClientURLs:[${flagValue(ctx.argv, "advertise-client-urls") ?? ""}]}` }),
      ...clientHosts.map((h) => json(905, "embed/serve.go:250", "serving client traffic securely", { traffic: "grpc+http", address: `${h}:2379` })),
    ],
    onSignal: etcdSignal,
  });
}

/** `line` was written at start (klog stamps it with the start time, as it always did). */
const apiserverSignal = (data: ApiserverData): SignalReply => ({ afterMs: 1000, exitCode: 0, output: [data.line] });

function apiserver(ctx: ProgramContext): ProgramRun {
  const port = Number(flagValue(ctx.argv, "secure-port") ?? 6443);
  return daemon({
    processes: [proc(ctx.argv.join(" "), 0, 1_582_000, 312_000, "Ssl", 4.1)],
    listens: [tcp(port, "::")],
    startup: [
      klog(ctx, 0, "options.go:238", `external host was not specified, using ${flagValue(ctx.argv, "advertise-address") ?? ctx.nodeIP}`),
      klog(ctx, 2, "server.go:143", `Version: ${ctx.kubernetesVersion}`),
      klog(ctx, 2, "server.go:145", '"Golang settings" GOGC="" GOMAXPROCS="" GOTRACEBACK=""'),
      klog(ctx, 1200, "secure_serving.go:213", `Serving securely on [::]:${port}`),
    ],
    data: {
      line: klog(ctx, 0, "controller.go:128", "Shutting down kubernetes service endpoint reconciler"), fs: ctx.fs, version: ctx.kubernetesVersion,
      certFile: flagValue(ctx.argv, "tls-cert-file") ?? "/etc/kubernetes/pki/apiserver.crt", clientCAFile: flagValue(ctx.argv, "client-ca-file") ?? "/etc/kubernetes/pki/ca.crt",
    },
    onSignal: apiserverSignal,
    serve: serveApiserver,
    certificate: apiserverCertificate,
  });
}

/** kube-controller-manager and kube-scheduler: serve on localhost, then win their leader lease. */
function leaderElected(ctx: ProgramContext, component: "kube-controller-manager" | "kube-scheduler"): ProgramRun {
  const port = component === "kube-scheduler" ? 10259 : 10257;
  const bind = flagValue(ctx.argv, "bind-address") ?? "0.0.0.0";
  const starting = component === "kube-scheduler"
    ? klog(ctx, 300, "server.go:167", `"Starting Kubernetes Scheduler" version="${ctx.kubernetesVersion}"`)
    : klog(ctx, 300, "controllermanager.go:185", `"Starting" version="${ctx.kubernetesVersion}"`);
  return daemon({
    processes: [proc(ctx.argv.join(" "), 0, 1_300_000, component === "kube-scheduler" ? 62_000 : 98_000, "Ssl", 1.1)],
    listens: [tcp(port, bind)],
    startup: [
      klog(ctx, 0, "serving.go:386", "Generated self-signed cert in-memory"),
      starting,
      klog(ctx, 310, "secure_serving.go:213", `Serving securely on ${bind}:${port}`),
      klog(ctx, 320, "leaderelection.go:257", `attempting to acquire leader lease kube-system/${component}...`),
      klog(ctx, 330, "leaderelection.go:271", `successfully acquired lease kube-system/${component}`),
    ],
    onSignal: diesOfSignal,
  });
}

/**
 * kube-proxy reads `--config` when it starts: its mode, and what it then logs, come from that
 * file (the kube-proxy ConfigMap), so editing the ConfigMap and restarting the pod switches it.
 */
function kubeProxy(ctx: ProgramContext): ProgramRun {
  const main = proc(ctx.argv.join(" "), 0, 1_282_000, 55_000, "Ssl", 0.1);
  const path = flagValue(ctx.argv, "config");
  const config = path === undefined ? undefined : ctx.fs.isFile(path) ? parseProxyConfig(ctx.fs.readFile(path)) : { error: `failed complete: failed to read config file "${path}": open ${path}: no such file or directory` };
  if (config && "error" in config) return oneShot([klog(ctx, 0, "run.go:72", `"command failed" err=${JSON.stringify(config.error)}`, "E")], 1, [main], 10);
  const mode = config?.mode ?? "iptables";
  const modeLine = mode === "iptables"
    ? klog(ctx, 72, "proxier.go:243", '"Setting route_localnet=1 to allow node-ports on localhost; to change this either disable iptables.localhostNodePorts (--iptables-localhost-nodeports) or set nodePortAddresses (--nodeport-addresses) to filter loopback addresses" ipFamily="IPv4"')
    : klog(ctx, 72, "proxier.go:352", '"IPVS scheduler not specified, use rr by default" ipFamily="IPv4"');
  return daemon({
    processes: [main],
    listens: [tcp(10249, "127.0.0.1"), tcp(10256, "::")],
    startup: [
      klog(ctx, 0, "server_linux.go:66", `"Using ${mode} proxy"`),
      klog(ctx, 40, "server.go:698", `"Successfully retrieved node IP(s)" IPs=["${ctx.nodeIP}"]`),
      klog(ctx, 45, "conntrack.go:60", '"Setting nf_conntrack_max" nfConntrackMax=131072'),
      klog(ctx, 50, "server.go:234", '"Kube-proxy configuration may be incomplete or incorrect" err="nodePortAddresses is unset; NodePort connections will be accepted on all local IPs. Consider using `--nodeport-addresses primary`"', "E"),
      klog(ctx, 60, "server.go:243", '"kube-proxy running in dual-stack mode" primary ipFamily="IPv4"'),
      klog(ctx, 70, "server_linux.go:170", `"Using ${mode} Proxier"`),
      ...(mode === "iptables" || !config?.ipvsScheduler ? [modeLine] : []),
      klog(ctx, 80, "server.go:497", `"Version info" version="${ctx.kubernetesVersion}"`),
      klog(ctx, 90, "config.go:199", '"Starting service config controller"'),
      klog(ctx, 90, "config.go:105", '"Starting endpoint slice config controller"'),
      klog(ctx, 90, "config.go:329", '"Starting node config controller"'),
      klog(ctx, 190, "shared_informer.go:320", "Caches are synced for node config"),
      klog(ctx, 190, "shared_informer.go:320", "Caches are synced for service config"),
      klog(ctx, 190, "shared_informer.go:320", "Caches are synced for endpoint slice config"),
    ],
    onSignal: diesOfSignal,
  });
}

const corednsSignal = (): SignalReply => ({
  afterMs: 5000, exitCode: 0, output: [out("[INFO] SIGTERM: Shutting down servers then terminating"), out("[INFO] plugin/health: Going into lameduck mode for 5s")],
});

function coredns(ctx: ProgramContext): ProgramRun {
  const conf = flagValue(ctx.argv, "conf") ?? "Corefile";
  const path = conf.startsWith("/") ? conf : `/${conf}`;
  const main = proc(ctx.argv.join(" "), 65532, 1_284_000, 24_000, "Ssl", 0.3);
  if (!ctx.fs.isFile(path)) return oneShot([err(`open ${path}: no such file or directory`)], 1, [main], 10);
  const corefile = ctx.fs.readFile(path);
  const listens: Listen[] = [udp(53, "::"), tcp(53, "::"), tcp(8080, "::"), tcp(8181, "::"), tcp(9153, "::")];
  return daemon({
    processes: [main],
    listens,
    startup: [
      out(".:53"),
      out(`[INFO] plugin/reload: Running configuration SHA512 = ${stableHex(corefile, 128)}`),
      out("CoreDNS-1.11.3"),
      out("linux/amd64, go1.21.11, a6338e9"),
    ],
    onSignal: corednsSignal,
  });
}

/** Long-running agents whose exact start-up text no lesson reads: they hold their ports. */
function agent(ctx: ProgramContext, listens: Listen[], first: string): ProgramRun {
  return daemon({ processes: [proc(ctx.argv.join(" "), 0, 1_400_000, 40_000, "Ssl", 0.3)], listens, startup: [klog(ctx, 0, "main.go:211", first)], onSignal: diesOfSignal });
}

/** calico/cni's `install`: the CNI binaries, kubeconfig and conflist onto the node, then exit. */
function calicoInstallProgram(ctx: ProgramContext): ProgramRun {
  const { lines, exitCode } = calicoInstall(ctx.fs, ctx.env, ctx.now);
  return oneShot(lines.map((l) => err(l)), exitCode, [proc(ctx.argv.join(" "), 0, 730_000, 38_000)], 350);
}

/** The program a system binary runs, or undefined when the binary is not a system component. */
export function systemProgram(binary: string, ctx: ProgramContext): ProgramRun | undefined {
  switch (binary) {
    case "etcd":
      return etcd(ctx);
    case "kube-apiserver":
      return apiserver(ctx);
    case "kube-controller-manager":
    case "kube-scheduler":
      return leaderElected(ctx, binary);
    case "kube-proxy":
      return kubeProxy(ctx);
    case "coredns":
      return coredns(ctx);
    case "pause":
      return daemon({ processes: [proc("/pause", 65535, 1_020, 512, "Ss")], startup: [] });
    case "flanneld":
      return agent(ctx, [], `CLI flags config: {etcdEndpoints:http://127.0.0.1:4001,http://127.0.0.1:2379 kubeSubnetMgr:true iface:[] ipMasq:true}`);
    case "calico-node":
    case "start_runit":
      return agent(ctx, [tcp(179), tcp(9099, "127.0.0.1")], "Starting Calico node");
    case "install":
      // calico/cni's installer (the install-cni init container), not coreutils' install.
      if (!ctx.image.repository.endsWith("calico/cni")) return undefined;
      return calicoInstallProgram(ctx);
    case "kube-controllers":
      return agent(ctx, [], '"Starting Calico kube-controllers"');
    case "nginx-ingress-controller":
      return agent(ctx, [tcp(80), tcp(443), tcp(10254, "::"), tcp(8443, "::")], `"Starting NGINX Ingress controller"`);
    case "metrics-server":
      return agent(ctx, [tcp(Number(flagValue(ctx.argv, "secure-port") ?? 10250), "::")], '"Serving securely"');
    default:
      return undefined;
  }
}
