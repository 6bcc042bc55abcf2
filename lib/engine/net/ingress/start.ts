// Wiring at boot: the configuration every ingress-nginx pod's nginx serves from, on the network,
// and the status sync that publishes the controller's address on the Ingresses it serves.
import type { Cluster } from "../../cluster/cluster";
import { IngressNginx } from "./controller";
import { IngressStatusSync } from "./status";

export function startIngressNginx(cluster: Cluster): void {
  cluster.network.ingress = new IngressNginx(cluster.store);
  cluster.register(new IngressStatusSync());
}
