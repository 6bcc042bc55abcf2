/**
 * The CNI files a node has before any add-on runs: the reference plugins the `kubernetes-cni`
 * package (containernetworking/plugins v1.6.0) puts in `/opt/cni/bin` on every kubeadm node,
 * and, for the labs that use the plain bridge plugin, the conflist their setup writes with
 * the node's pod CIDR (flannel and Calico install their own from their DaemonSets).
 *
 * @example
 * installReferencePlugins(node.fs);                        // /opt/cni/bin/bridge, host-local, loopback, …
 * node.fs.writeFile(BRIDGE_CONFLIST, bridgeConflist("10.244.1.0/24"));
 */
import type { FileSystem } from "../../shell";
import { BIN_DIR, CONF_DIR } from "./config";

/** What `ls /opt/cni/bin` shows after `apt install kubernetes-cni` (1.6.0). */
const REFERENCE_PLUGINS: readonly string[] = Object.freeze([
  "bandwidth", "bridge", "dhcp", "dummy", "firewall", "host-device", "host-local", "ipvlan", "loopback",
  "macvlan", "portmap", "ptp", "sbr", "static", "tap", "tuning", "vlan", "vrf",
]);

/** Writes the reference plugin binaries (and the package's LICENSE and README.md). */
export function installReferencePlugins(fs: FileSystem): void {
  fs.mkdirp(BIN_DIR);
  for (const name of REFERENCE_PLUGINS) fs.writeFile(`${BIN_DIR}/${name}`, "", { mode: 0o755 });
  fs.writeFile(`${BIN_DIR}/LICENSE`, "                                 Apache License\n                           Version 2.0, January 2004\n                        http://www.apache.org/licenses/\n", { mode: 0o644 });
  fs.writeFile(`${BIN_DIR}/README.md`, "Some CNI network plugins, maintained by the containernetworking team. For more information, see the [CNI website](https://www.cni.dev).\n", { mode: 0o644 });
  fs.mkdirp(CONF_DIR);
}

export const BRIDGE_CONFLIST = `${CONF_DIR}/10-bridge.conflist`;

/**
 * The bridge network of the no-overlay labs: cni0 as the gateway of the node's pod CIDR. It does
 * not masquerade (`ipMasq` would hide pods from pods on other nodes); the lab's setup
 * masquerades what leaves the pod network instead.
 */
export function bridgeConflist(podCIDR: string): string {
  return `{
  "cniVersion": "1.0.0",
  "name": "bridge",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "cni0",
      "isGateway": true,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "ranges": [
          [{ "subnet": "${podCIDR}" }]
        ],
        "routes": [{ "dst": "0.0.0.0/0" }]
      }
    },
    {
      "type": "portmap",
      "capabilities": { "portMappings": true }
    }
  ]
}
`;
}

/** calicoctl's configuration on the Calico labs' nodes: the Kubernetes datastore through the admin kubeconfig. */
export const CALICOCTL_CONFIG = `apiVersion: projectcalico.org/v3
kind: CalicoAPIConfig
metadata:
spec:
  datastoreType: "kubernetes"
  kubeconfig: "/etc/kubernetes/admin.conf"
`;
