/**
 * The `nfs-server` add-on: the NFS server machine beside the cluster, its name in every node's
 * /etc/hosts (as a lab's DNS would give it), and the nfs-subdir-external-provisioner serving
 * its `kubernetes` export for the `nfs-client` StorageClass (addons/nfs-server.ts).
 *
 * @example
 * if (scenario.addons.includes("nfs-server")) installNfsServer(cluster, new Rng(seed + 0x6e6673));
 */
import type { Cluster } from "../cluster/cluster";
import { NODE_SEGMENT } from "../cluster/cluster";
import type { Rng } from "../util/rng";
import { NfsSubdirProvisioner } from "./provisioner";
import { addNfsServer, EXPORT_ROOT, NFS_SERVER, type NfsServer } from "./server";

export function installNfsServer(cluster: Cluster, rng: Rng): NfsServer {
  const nodes = [...cluster.nodes.values()];
  const server = addNfsServer(cluster.network, {
    segment: NODE_SEGMENT, nodeCidr: cluster.scenario.network.nodeCidr, taken: nodes.map((n) => n.ip), clock: cluster.clock, rng, nodes,
  });
  for (const node of nodes) node.fs.appendFile("/etc/hosts", `${server.ip} ${NFS_SERVER}\n`);
  cluster.register(new NfsSubdirProvisioner(cluster.network, server.ip, `${EXPORT_ROOT}/kubernetes`));
  return server;
}
