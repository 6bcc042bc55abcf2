/**
 * The sidecar: `pilot-agent proxy sidecar` and the Envoy it runs, as a program of the
 * `istio-proxy` container (uid 1337). At start the agent gets its workload certificate from
 * istiod (signed by the root mounted at /var/run/secrets/istio); the signature itself is made
 * when the certificate is first needed, with the start's inputs, so it is the same certificate
 * (`identity`). Then Envoy answers on the ports istio-init's rules redirect to:
 *
 * - 15001 (outbound): the application's own connections, redirected by nat OUTPUT. Envoy reads
 *   the original destination from conntrack (SO_ORIGINAL_DST), picks an endpoint of the
 *   Service it names, and opens its own connection there as uid 1337 (which the rules let
 *   out) — over mutual TLS when the endpoint has a sidecar (auto mTLS), plain text otherwise.
 * - 15006 (inbound): connections to the pod, redirected by nat PREROUTING. Envoy checks the
 *   PeerAuthentication mode (STRICT refuses plain text with a reset), verifies the peer's
 *   certificate against istiod's root, applies AuthorizationPolicy (`RBAC: access denied`),
 *   and forwards to the application from 127.0.0.6, adding `x-forwarded-client-cert`.
 * - 15021 (`/healthz/ready`), 15090 and 15020 (metrics), 15000 (admin, on localhost).
 *
 * Connections between two sidecars therefore carry TLS records on the wire, never the HTTP.
 *
 * @example
 * const proxy = new SidecarProxy(ctx);  // ctx.fs holds the root certificate
 * proxy.identity?.certificate.uris;     // ["spiffe://cluster.local/ns/default/sa/sleep"]
 */
import type { Pod, Service, Endpoints } from "../api";
import { verifyCertificate, type Certificate } from "../pki";
import { byteLength, formatRequest, formatResponse, header, httpDate, parseRequest, parseResponse, talk, type AppReply, type AppRequest, type Headers, type HttpRequest, type ServerCertificate, type Talk } from "../net/app";
import { ctFind } from "../net/conntrack/table";
import { formatIP, parseIP } from "../util/ipv4";
import { force, lazy, type Lazy } from "../util/lazy";
import { stableHex } from "../node/format";
import { out, proc, tcp, type BindFailure, type Listen, type LogLine, type ProcSpec, type ProgramContext, type ProgramRun, type ServeContext, type Served, type SignalReply, type Step } from "../node/programs/kit";
import { INBOUND_PASSTHROUGH_SOURCE, LABELS, PORTS, PROXY_UID, ROOT_CERT_PATH } from "./constants";
import { certificateHash, principalOf, rootFromPem, spiffeId, workloadIdentity, workloadValidity } from "./identity";
import { authorize, peerAuthenticationMode } from "./policy";
import type { KeyPair } from "../pki";

type World = NonNullable<ServeContext["world"]>;

/** Istio's log line prefix: `2026-01-12T09:00:03.123456Z\tinfo\t`. */
function istioLog(ms: number, level: string, text: string): LogLine {
  const iso = new Date(ms).toISOString().replace("Z", "");
  return out(`${iso}000Z\t${level}\t${text}`);
}

/** Go's time.Duration text for a certificate's remaining life (`23h59m59.999s`). */
function goDuration(ms: number): string {
  const h = Math.floor(ms / 3600_000);
  const m = Math.floor((ms % 3600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  return `${h}h${m}m${s}s`;
}

/** Envoy's local reply: a short text body with its own headers. */
function localReply(status: number, body: string, now: number, server: string): AppReply {
  const headers: Headers = [["content-length", String(byteLength(body))], ["content-type", "text/plain"], ["date", httpDate(now)], ["server", server]];
  return { kind: "data", data: formatResponse({ status, headers, body }), close: false };
}

const UPSTREAM_RESET = "upstream connect error or disconnect/reset before headers. ";

/** What Envoy says when its upstream connection failed, as the HTTP 503 body or a TCP reset. */
function upstreamFailure(t: Talk): string {
  const o = t.exchange.outcome;
  if (t.tlsFailure === "not-tls") return `${UPSTREAM_RESET}retried and the latest reset reason: remote connection failure, transport failure reason: TLS_error:|268435703:SSL routines:OPENSSL_internal:WRONG_VERSION_NUMBER:TLS_error_end`;
  if (o.kind === "refused") return `${UPSTREAM_RESET}retried and the latest reset reason: remote connection failure, transport failure reason: delayed connect error: Connection refused`;
  if (o.kind === "timeout" || o.kind === "unreachable" || o.kind === "error") return `${UPSTREAM_RESET}retried and the latest reset reason: connection timeout`;
  return `${UPSTREAM_RESET}reset reason: connection termination`;
}

/** Header names as Envoy's HTTP/1 codec writes them (lower case), minus `drop`. */
function lowered(headers: Headers, drop: readonly string[] = []): Headers {
  return headers.filter(([n]) => !drop.includes(n.toLowerCase())).map(([n, v]) => [n.toLowerCase(), v]);
}

/** The application's response as Envoy passes it on: lower-case names, its own `server`, the upstream time. */
function relayResponse(data: string, server: string, upstreamMs: number): string {
  const res = parseResponse(data);
  if (!res) return data;
  const headers = lowered(res.headers, ["server", "x-envoy-upstream-service-time"]);
  headers.push(["x-envoy-upstream-service-time", String(Math.max(0, Math.round(upstreamMs)))], ["server", server]);
  return formatResponse({ version: res.version, status: res.status, reason: res.reason, headers, body: res.body });
}

interface Upstream {
  ip: number;
  port: number;
  /** The Service it was chosen for (`outbound|80||web.default.svc.cluster.local`). */
  cluster: string;
  pod?: Pod;
}

export class SidecarProxy implements ProgramRun {
  readonly processes: readonly ProcSpec[];
  readonly listens: readonly Listen[];
  /** istiod's root as the agent read it at start; without it the agent gets no certificate. */
  readonly root?: Certificate;
  readonly namespace: string;
  readonly podName: string;
  readonly serviceAccount: string;
  readonly startedAt: number;
  /** The certificate istiod signs for this start, made when something first needs it (see `identity`). */
  private readonly signed?: Lazy<{ certificate: Certificate; key: KeyPair }>;
  private readonly startup: LogLine[];
  private started = false;
  /** Requests sent so far: round-robin over a Service's endpoints, and the request ids. */
  private requests = 0;

  constructor(ctx: ProgramContext) {
    this.namespace = ctx.namespace;
    this.podName = ctx.podName;
    this.startedAt = ctx.now;
    this.serviceAccount = ctx.env.SERVICE_ACCOUNT || "default";
    const domain = `${ctx.namespace}.svc.cluster.local`;
    this.processes = [
      proc(`/usr/local/bin/pilot-agent proxy sidecar --domain ${domain} --proxyLogLevel=warning --proxyComponentLogLevel=misc:error --log_output_level=default:info`, PROXY_UID, 1_320_000, 46_000, "Ssl"),
      proc(`/usr/local/bin/envoy -c etc/istio/proxy/envoy-rev.json --drain-time-s 45 --drain-strategy immediate --local-address-ip-version v4 --file-flush-interval-msec 1000 --disable-hot-restart --allow-unknown-static-fields -l warning --component-log-level misc:error --concurrency 2`, PROXY_UID, 2_240_000, 58_000, "Sl"),
    ];
    this.listens = [
      tcp(PORTS.outbound), tcp(PORTS.inbound), tcp(PORTS.health), tcp(PORTS.stats), tcp(PORTS.admin, "127.0.0.1"),
      tcp(PORTS.agentMetrics, "::"), tcp(15004, "127.0.0.1"),
    ];
    const pem = ctx.fs.isFile(ROOT_CERT_PATH) ? ctx.fs.readFile(ROOT_CERT_PATH) : "";
    this.root = rootFromPem(pem);
    if (this.root) this.signed = lazy(workloadIdentity, this.root, Object.freeze({ namespace: this.namespace, serviceAccount: this.serviceAccount, pod: this.podName, issuedAt: this.startedAt }));
    const log = [
      istioLog(ctx.now, "info", `Proxy role\tips=[${ctx.podIP}] type=sidecar id=${ctx.podName}.${ctx.namespace} domain=${domain}`),
      istioLog(ctx.now, "info", "Apply proxy config from env {}"),
    ];
    if (this.root) {
      const ttl = workloadValidity(ctx.now).notAfter - ctx.now;
      log.push(istioLog(ctx.now + 40, "info", `cache\tgenerated new workload certificate\tresourceName=default latency=40.2ms ttl=${goDuration(ttl)}`));
      log.push(istioLog(ctx.now + 41, "info", "cache\tRoot cert has changed, start rotating root cert"));
      log.push(istioLog(ctx.now + 900, "info", "Readiness succeeded in 912.481ms"));
      log.push(istioLog(ctx.now + 900, "info", "Envoy proxy is ready"));
    } else {
      log.push(istioLog(ctx.now + 40, "warn", `failed to read root certificate ${ROOT_CERT_PATH}: open ${ROOT_CERT_PATH}: no such file or directory`));
    }
    this.startup = log;
  }

  /**
   * The workload certificate and key istiod signed when the agent started; absent without
   * istiod's root. Signing is deferred to the first reader (an mTLS handshake), which changes
   * nothing it shows: the certificate is a pure function of the root, the pod, its service
   * account and the start time, all fixed at start (a recipe, so forks share what one signed).
   */
  get identity(): { certificate: Certificate; key: KeyPair } | undefined {
    return this.signed && force(this.signed);
  }

  /** The SPIFFE id the certificate names (known without signing it). */
  get workloadId(): string {
    return spiffeId(this.namespace, this.serviceAccount);
  }

  step(): Step {
    if (this.started) return { output: [] };
    this.started = true;
    return { output: this.startup };
  }

  signal(_signal: string, now: number): SignalReply {
    return { afterMs: 5000, exitCode: 0, output: [istioLog(now, "info", "Agent draining Proxy for termination"), istioLog(now + 5000, "info", "Graceful termination period complete, terminating remaining proxies.")] };
  }

  bindFailed(listen: Listen, now: number): BindFailure {
    return { output: [istioLog(now, "error", `listener bind: address already in use (port ${listen.port})`)], exitCode: 255 };
  }

  /** Envoy's inbound listener speaks mTLS with the workload certificate (and plain text alongside, when PERMISSIVE). */
  certificate(port: number): ServerCertificate | undefined {
    if (port !== PORTS.inbound || !this.root) return undefined;
    return { subject: "", issuer: "O=cluster.local", names: [this.workloadId], untrusted: "unknown-issuer" };
  }

  serve(request: AppRequest, ctx: ServeContext): Served {
    const world = ctx.world;
    const port = request.local.port;
    if (port === PORTS.health || port === PORTS.agentMetrics || port === PORTS.stats) return { reply: this.serveAgent(request, ctx.now), log: [] };
    if (!world || (port !== PORTS.outbound && port !== PORTS.inbound)) return { reply: { kind: "close" }, log: [] };
    const original = originalDestination(world, request, ctx.now);
    // A connection made to the port itself, not redirected to it: Envoy's listener has no filter chain for it.
    if (!original || (original.ip === request.local.ip && original.port === port)) return { reply: { kind: "close" }, log: [] };
    return port === PORTS.outbound ? this.outbound(world, request, original, ctx.now) : this.inbound(world, request, original, ctx.now);
  }

  /** pilot-agent's health (15021) and metrics ports. */
  private serveAgent(request: AppRequest, now: number): AppReply {
    const req = parseRequest(request.data);
    if (!req) return { kind: "close" };
    const ok = request.local.port === PORTS.health ? req.target === "/healthz/ready" : req.target.startsWith("/stats/prometheus");
    const headers: Headers = [["Date", httpDate(now)], ["Content-Length", "0"]];
    return { kind: "data", data: formatResponse({ status: ok ? 200 : 404, headers, body: "" }), close: false };
  }

  private requestId(now: number): string {
    const hex = stableHex(`${this.namespace}/${this.podName}/${now}/${this.requests}`, 32);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }

  /** The application called out: route to an endpoint, with mTLS where the other side has a sidecar. */
  private outbound(world: World, request: AppRequest, original: { ip: number; port: number }, now: number): Served {
    this.requests++;
    const http = parseRequest(request.data);
    const upstream = this.pickUpstream(world, original);
    if (upstream === "no-endpoints") {
      return http ? { reply: localReply(503, "no healthy upstream", now, "envoy"), log: [] } : { reply: { kind: "reset" }, log: [] };
    }
    const mtls = Boolean(this.root && upstream.pod?.metadata.labels?.[LABELS.tlsMode] === "istio" && peerAuthenticationMode(world.store, upstream.pod, upstream.port) !== "DISABLE");
    let data = request.data;
    if (http) {
      const headers = lowered(http.headers);
      if (!header(headers, "x-forwarded-proto")) headers.push(["x-forwarded-proto", "http"]);
      headers.push(["x-request-id", this.requestId(now)], ["x-envoy-attempt-count", "1"]);
      data = formatRequest({ method: http.method, target: http.target, version: http.version, headers, body: http.body });
    }
    const t = talk(world.network, {
      from: world.stack, dst: upstream.ip, port: upstream.port, now, request: data, uid: PROXY_UID,
      tls: mtls ? { verify: false, serverName: upstream.cluster.replace(/^outbound\|(\d+)\|\|/, "outbound_.$1_._."), clientCertificate: this.identity!.certificate } : undefined,
    });
    const reply = t.reply;
    if (t.exchange.outcome.kind !== "connected" || t.tlsFailure || !reply || reply.kind === "reset" || reply.kind === "close") {
      return http ? { reply: localReply(503, upstreamFailure(t), now, "envoy"), log: [] } : { reply: { kind: "reset" }, log: [] };
    }
    if (reply.kind !== "data" || !http) return { reply, log: [] };
    return { reply: { ...reply, data: relayResponse(reply.data, "envoy", t.exchange.elapsedMs) }, log: [] };
  }

  /** Where Envoy sends a connection: an endpoint of the Service whose address was dialled, or the address itself (passthrough). */
  private pickUpstream(world: World, original: { ip: number; port: number }): Upstream | "no-endpoints" {
    const ip = formatIP(original.ip);
    const pods = world.store.list("Pod") as Pod[];
    const service = (world.store.list("Service") as Service[]).find((s) => s.spec?.clusterIP === ip && (s.spec.ports ?? []).some((p) => p.port === original.port));
    if (!service) return { ip: original.ip, port: original.port, cluster: "PassthroughCluster", pod: pods.find((p) => p.status?.podIP === ip) };
    const svcPort = service.spec!.ports!.find((p) => p.port === original.port)!;
    const endpoints = world.store.find("Endpoints", service.metadata.namespace, service.metadata.name ?? "") as Endpoints | undefined;
    const targets: { ip: string; port: number }[] = [];
    for (const subset of endpoints?.subsets ?? []) {
      const port = (subset.ports ?? []).find((p) => (p.name ?? "") === (svcPort.name ?? "")) ?? (subset.ports ?? [])[0];
      if (!port) continue;
      for (const a of subset.addresses ?? []) targets.push({ ip: a.ip, port: port.port });
    }
    if (targets.length === 0) return "no-endpoints";
    const chosen = targets[(this.requests - 1) % targets.length];
    return {
      ip: parseIP(chosen.ip)!, port: chosen.port, pod: pods.find((p) => p.status?.podIP === chosen.ip),
      cluster: `outbound|${original.port}||${service.metadata.name}.${service.metadata.namespace}.svc.cluster.local`,
    };
  }

  /** A connection to the pod: peer authentication, authorization, then the application. */
  private inbound(world: World, request: AppRequest, original: { ip: number; port: number }, now: number): Served {
    const pod = world.store.find("Pod", this.namespace, this.podName) as Pod | undefined;
    if (!pod) return { reply: { kind: "reset" }, log: [] };
    const mode = peerAuthenticationMode(world.store, pod, original.port);
    let peer: Certificate | undefined;
    if (request.tls) {
      // DISABLE: no TLS on the listener. Otherwise the handshake wants a client certificate signed by istiod's root.
      if (mode === "DISABLE" || !request.peerCertificate || !this.root) return { reply: { kind: "reset" }, log: [] };
      if (!verifyCertificate(request.peerCertificate, [this.root], now).ok) return { reply: { kind: "reset" }, log: [] };
      peer = request.peerCertificate;
    } else if (mode === "STRICT") {
      return { reply: { kind: "reset" }, log: [] };
    }
    const http = parseRequest(request.data);
    const principal = peer?.uris[0] ? principalOf(peer.uris[0]) : undefined;
    const decision = authorize(world.store, pod, { principal, method: http?.method, path: http?.target, port: original.port });
    if (!decision.allowed) {
      return http ? { reply: localReply(403, "RBAC: access denied", now, "istio-envoy"), log: [] } : { reply: { kind: "close" }, log: [] };
    }
    const data = http ? this.inboundRequest(http, peer, now) : request.data;
    const t = talk(world.network, { from: world.stack, src: parseIP(INBOUND_PASSTHROUGH_SOURCE)!, dst: original.ip, port: original.port, now, request: data, uid: PROXY_UID });
    const reply = t.reply;
    if (t.exchange.outcome.kind !== "connected" || !reply || reply.kind === "reset" || reply.kind === "close") {
      return http ? { reply: localReply(503, upstreamFailure(t), now, "istio-envoy"), log: [] } : { reply: { kind: "reset" }, log: [] };
    }
    if (reply.kind !== "data" || !http) return { reply, log: [] };
    return { reply: { ...reply, data: relayResponse(reply.data, "istio-envoy", t.exchange.elapsedMs) }, log: [] };
  }

  /** The request as the application gets it: Envoy's headers, and the caller's identity when it came over mTLS. */
  private inboundRequest(http: HttpRequest, peer: Certificate | undefined, now: number): string {
    const headers = lowered(http.headers, ["x-forwarded-client-cert"]);
    if (!header(headers, "x-forwarded-proto")) headers.push(["x-forwarded-proto", "http"]);
    if (!header(headers, "x-request-id")) headers.push(["x-request-id", this.requestId(now)]);
    if (!header(headers, "x-envoy-attempt-count")) headers.push(["x-envoy-attempt-count", "1"]);
    if (peer && this.root) {
      headers.push(["x-forwarded-client-cert", `By=${this.workloadId};Hash=${certificateHash(peer)};Subject="";URI=${peer.uris[0]}`]);
    }
    return formatRequest({ method: http.method, target: http.target, version: http.version, headers, body: http.body });
  }
}

/** SO_ORIGINAL_DST: the destination the connection had before nat REDIRECT, from the namespace's conntrack. */
function originalDestination(world: World, request: AppRequest, now: number): { ip: number; port: number } | undefined {
  const found = ctFind(world.stack.conntrack, { protocol: "tcp", src: request.local.ip, dst: request.peer.ip, sport: request.local.port, dport: request.peer.port, bytes: 0 }, now);
  if (!found) return undefined;
  return { ip: found.entry.original.dst, port: found.entry.original.dport };
}
