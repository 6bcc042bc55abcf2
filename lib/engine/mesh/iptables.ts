/**
 * What istio-init does: `pilot-agent istio-iptables …` turns its flags into one nat-table
 * iptables-restore input and applies it in the pod's network namespace. Inbound TCP (except
 * the excluded ports) is redirected to Envoy's 15006, outbound to 15001; the proxy's own
 * traffic (uid/gid 1337) and its inbound passthrough source 127.0.0.6 are exempt, which is
 * what keeps the proxy's connections from looping back into it. The rule text is upstream's
 * (tools/istio-iptables/pkg/capture, REDIRECT mode, IPv4).
 *
 * @example
 * captureRules(parseCaptureFlags(["-p", "15001", "-z", "15006", "-u", "1337", "-m", "REDIRECT", "-i", "*", "-x", "", "-b", "*", "-d", "15090,15021,15020"]));
 * // "*nat\n-N ISTIO_INBOUND\n…-A ISTIO_OUTPUT -j ISTIO_REDIRECT\nCOMMIT\n"
 */
import { PORTS, PROXY_UID } from "./constants";

export interface CaptureConfig {
  proxyPort: number;
  inboundPort: number;
  uid: string;
  gid: string;
  mode: string;
  /** `-i`: outbound CIDRs to capture, `*` for all. */
  includeOutbound: string;
  /** `-x`: outbound CIDRs to leave alone. */
  excludeOutbound: string;
  /** `-b`: inbound ports to capture, `*` for all. */
  includeInbound: string;
  /** `-d`: inbound ports to leave alone. */
  excludeInbound: string;
}

const FLAGS: Record<string, keyof CaptureConfig> = {
  "-p": "proxyPort", "--envoy-port": "proxyPort",
  "-z": "inboundPort", "--inbound-capture-port": "inboundPort",
  "-u": "uid", "--proxy-uid": "uid",
  "-g": "gid", "--proxy-gid": "gid",
  "-m": "mode", "--istio-inbound-interception-mode": "mode",
  "-i": "includeOutbound", "--istio-service-cidr": "includeOutbound",
  "-x": "excludeOutbound", "--istio-service-exclude-cidr": "excludeOutbound",
  "-b": "includeInbound", "--istio-inbound-ports": "includeInbound",
  "-d": "excludeInbound", "--istio-local-exclude-ports": "excludeInbound",
};

/** istio-iptables' flags (the injection template's set); unknown ones are an error as cobra words it. */
export function parseCaptureFlags(args: readonly string[]): CaptureConfig | { error: string } {
  const c: CaptureConfig = {
    proxyPort: PORTS.outbound, inboundPort: PORTS.inbound, uid: String(PROXY_UID), gid: "", mode: "REDIRECT",
    includeOutbound: "", excludeOutbound: "", includeInbound: "", excludeInbound: "",
  };
  for (let i = 0; i < args.length; i++) {
    const [flag, attached] = args[i].includes("=") ? [args[i].slice(0, args[i].indexOf("=")), args[i].slice(args[i].indexOf("=") + 1)] : [args[i], undefined];
    if (flag.startsWith("--log_output_level")) continue;
    const key = FLAGS[flag];
    if (!key) return { error: `Error: unknown flag: ${flag}` };
    const value = attached ?? args[++i];
    if (value === undefined) return { error: `Error: flag needs an argument: ${flag}` };
    if (key === "proxyPort" || key === "inboundPort") {
      if (!/^\d+$/.test(value)) return { error: `Error: invalid argument "${value}" for "${flag}" flag: strconv.ParseUint: parsing "${value}": invalid syntax` };
      c[key] = Number(value);
    } else {
      c[key] = value;
    }
  }
  if (c.mode !== "REDIRECT") return { error: `Error: interception mode ${c.mode} is not supported here (only REDIRECT)` };
  c.gid ||= c.uid;
  return c;
}

const list = (text: string) => text.split(",").map((s) => s.trim()).filter((s) => s !== "");

/** The iptables-restore input istio-iptables builds for `c`. */
export function captureRules(c: CaptureConfig): string {
  const out = ["*nat", "-N ISTIO_INBOUND", "-N ISTIO_REDIRECT", "-N ISTIO_IN_REDIRECT", "-N ISTIO_OUTPUT"];
  out.push(`-A ISTIO_INBOUND -p tcp --dport ${PORTS.hbone} -j RETURN`);
  out.push(`-A ISTIO_REDIRECT -p tcp -j REDIRECT --to-ports ${c.proxyPort}`);
  out.push(`-A ISTIO_IN_REDIRECT -p tcp -j REDIRECT --to-ports ${c.inboundPort}`);
  if (c.includeInbound !== "") {
    out.push("-A PREROUTING -p tcp -j ISTIO_INBOUND");
    if (c.includeInbound === "*") {
      for (const port of list(c.excludeInbound)) out.push(`-A ISTIO_INBOUND -p tcp --dport ${port} -j RETURN`);
      out.push("-A ISTIO_INBOUND -p tcp -j ISTIO_IN_REDIRECT");
    } else {
      for (const port of list(c.includeInbound)) out.push(`-A ISTIO_INBOUND -p tcp --dport ${port} -j ISTIO_IN_REDIRECT`);
    }
  }
  out.push("-A OUTPUT -j ISTIO_OUTPUT");
  out.push(`-A ISTIO_OUTPUT -o lo -s 127.0.0.6/32 -j RETURN`);
  for (const [flag, ids] of [["uid", c.uid], ["gid", c.gid]] as const) {
    for (const id of list(ids)) {
      out.push(`-A ISTIO_OUTPUT -o lo ! -d 127.0.0.1/32 -p tcp ! --dport ${PORTS.hbone} -m owner --${flag}-owner ${id} -j ISTIO_IN_REDIRECT`);
      out.push(`-A ISTIO_OUTPUT -o lo -m owner ! --${flag}-owner ${id} -j RETURN`);
      out.push(`-A ISTIO_OUTPUT -m owner --${flag}-owner ${id} -j RETURN`);
    }
  }
  out.push("-A ISTIO_OUTPUT -d 127.0.0.1/32 -j RETURN");
  for (const cidr of list(c.excludeOutbound)) out.push(`-A ISTIO_OUTPUT -d ${cidr} -j RETURN`);
  if (c.includeOutbound === "*") out.push("-A ISTIO_OUTPUT -j ISTIO_REDIRECT");
  else for (const cidr of list(c.includeOutbound)) out.push(`-A ISTIO_OUTPUT -d ${cidr} -j ISTIO_REDIRECT`);
  out.push("COMMIT");
  return `${out.join("\n")}\n`;
}
