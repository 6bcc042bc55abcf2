/**
 * calico/cni's `install` (the install-cni init container of calico-node): it copies the plugin
 * binaries it carries into the node's `/opt/cni/bin` (mounted at `/host/opt/cni/bin`), writes
 * `calico-kubeconfig` from the pod's service account for the plugin to reach the API, and
 * renders `CNI_NETWORK_CONFIG` (the `__KUBERNETES_NODE_NAME__`, `__CNI_MTU__` and
 * `__KUBECONFIG_FILEPATH__` placeholders) into `/etc/cni/net.d/$CNI_CONF_NAME`, which is
 * what makes the node's runtime network ready.
 *
 * @example
 * calicoInstall(containerFs, env, now); // { lines: ["… Running as a Kubernetes pod", …], exitCode: 0 }
 */
import type { FileSystem } from "../../../shell";
import { encodeBase64 } from "../../../util/base64";
import { utcParts } from "../../../node/format";
import { force, lazy, type Lazy } from "../../../util/lazy";

/** What calico/cni v3.29 has in its /opt/cni/bin, and so what lands on the node. */
const BUNDLED = ["bandwidth", "calico", "calico-ipam", "flannel", "host-local", "install", "loopback", "portmap", "tuning"] as const;
const HOST_BIN = "/host/opt/cni/bin";
const HOST_NET = "/host/etc/cni/net.d";
const SA = "/var/run/secrets/kubernetes.io/serviceaccount";

function stamp(ms: number): string {
  const t = utcParts(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${t.year}-${p(t.month + 1)}-${p(t.day)} ${p(t.hour)}:${p(t.minute)}:${p(t.second)}.${p(t.millis, 3)}`;
}

export function calicoInstall(fs: FileSystem, env: Readonly<Record<string, string>>, now: number): { lines: string[]; exitCode: number } {
  const lines: string[] = [];
  const log = (text: string, level = "INFO") => lines.push(`${stamp(now)} [${level}][1] cni-installer/<nil> <nil>: ${text}`);
  log("Running as a Kubernetes pod");
  if (!fs.isDirectory(HOST_BIN) || !fs.isDirectory(HOST_NET)) {
    log(`Failed to install CNI: ${HOST_BIN} or ${HOST_NET} is not mounted`, "ERROR");
    return { lines, exitCode: 1 };
  }
  for (const name of BUNDLED) {
    fs.writeFile(`${HOST_BIN}/${name}`, "", { mode: 0o755 });
    log(`Installed ${HOST_BIN}/${name}`);
  }
  log(`Wrote Calico CNI binaries to ${HOST_BIN}`);
  log("CNI plugin version: v3.29.1");
  log("/host/secondary-bin-dir is not writeable, skipping");
  log("Neither --kubeconfig nor --master was specified.  Using the inClusterConfig.  This might not work.", "WARNING");
  const ca = fs.isFile(`${SA}/ca.crt`) ? fs.readFile(`${SA}/ca.crt`) : "";
  // The token as the projected volume holds it: a recipe until someone reads it, so the
  // kubeconfig is made (and the token signed) when the kubeconfig is first read.
  const token = fs.isFile(`${SA}/token`) ? fs.readFileRecipe(`${SA}/token`) : "";
  const server = `https://${env.KUBERNETES_SERVICE_HOST ?? "10.96.0.1"}:${env.KUBERNETES_SERVICE_PORT ?? "443"}`;
  fs.writeLazyFile(`${HOST_NET}/calico-kubeconfig`, lazy(kubeconfigText, server, encodeBase64(ca), token), { mode: 0o600 });
  log(`Created ${HOST_NET}/calico-kubeconfig`);
  const template = env.CNI_NETWORK_CONFIG;
  if (!template) {
    log("Failed to install CNI: CNI_NETWORK_CONFIG is not set", "ERROR");
    return { lines, exitCode: 1 };
  }
  const mtu = /^\d+$/.test(env.CNI_MTU ?? "") ? env.CNI_MTU : "1500";
  const conf = template
    .replaceAll("__KUBERNETES_NODE_NAME__", env.KUBERNETES_NODE_NAME ?? "")
    .replaceAll("__CNI_MTU__", mtu)
    .replaceAll("__KUBECONFIG_FILEPATH__", "/etc/cni/net.d/calico-kubeconfig");
  const name = env.CNI_CONF_NAME ?? "10-calico.conflist";
  fs.writeFile(`${HOST_NET}/${name}`, conf.endsWith("\n") ? conf : `${conf}\n`, { mode: 0o644 });
  log(`Calico CNI config installed in ${HOST_NET}/${name}`);
  log("Done configuring CNI.  Sleep= false");
  return { lines, exitCode: 0 };
}

/** install-cni's kubeconfig for the plugin: the in-cluster server, CA and service account token. */
function kubeconfigText(server: string, caData: string, token: string | Lazy<string>): string {
  return `# Kubeconfig file for Calico CNI plugin. Installed by calico/node.
apiVersion: v1
kind: Config
clusters:
- name: local
  cluster:
    server: ${server}
    certificate-authority-data: "${caData}"
users:
- name: calico
  user:
    token: ${(typeof token === "string" ? token : force(token)).trim()}
contexts:
- name: calico-context
  context:
    cluster: local
    user: calico
current-context: calico-context
`;
}
