/**
 * ingress-nginx's running state in the cluster: it reads the API objects through the store (as
 * the controller's informers do), rebuilds its configuration whenever anything in the store
 * changed (keyed by the store's resourceVersion, as a sync after a watch event), and keeps what
 * nginx keeps between requests: the round-robin position of each upstream (the Lua balancer's
 * `round_robin`) and a request counter for `$req_id`. One per cluster, on
 * `cluster.network.ingress`; the controller pods' nginx reads it (state is data: plain fields).
 *
 * @example
 * const nginx = new IngressNginx(cluster.store);
 * nginx.model().servers.length; // 1 (the catch-all) until an Ingress of class nginx exists
 */
import type { StoreReader } from "../../api";
import type { ServerCertificate } from "../app";
import { clientView, fakeCertificate } from "./certificate";
import { buildModel } from "./model";
import { renderNginxConf } from "./nginx-conf";
import { ServerIndex } from "./route";
import { CATCH_ALL, type IngressModel } from "./types";

/** The store as the controller reads it: the objects and the latest resourceVersion. */
export interface IngressStore extends StoreReader {
  readonly resourceVersion: string;
}

export class IngressNginx {
  private built?: { version: string; model: IngressModel; index: ServerIndex };
  /** Next endpoint per upstream (round robin). */
  private readonly cursor = new Map<string, number>();
  private requests = 0;

  constructor(private readonly store: IngressStore) {}

  /** The configuration as of the store's latest change. */
  model(): IngressModel {
    return this.current().model;
  }

  /** The servers indexed for routing. */
  index(): ServerIndex {
    return this.current().index;
  }

  /** /etc/nginx/nginx.conf as the controller last wrote it. */
  nginxConf(): string {
    return renderNginxConf(this.model());
  }

  /** The certificate for a TLS ClientHello's server name (SNI): its host's, else the fake one. */
  certificateFor(serverName: string | undefined): ServerCertificate {
    const server = serverName ? this.index().server(serverName) : undefined;
    return clientView(server && server.host !== CATCH_ALL && server.tls ? server.tls : fakeCertificate());
  }

  /** The endpoints of an upstream starting at its round-robin position (nginx's next tries follow in order); advances it. */
  pick(upstream: string, endpoints: readonly string[]): string[] {
    if (endpoints.length === 0) return [];
    const at = (this.cursor.get(upstream) ?? 0) % endpoints.length;
    this.cursor.set(upstream, at + 1);
    return [...endpoints.slice(at), ...endpoints.slice(0, at)];
  }

  /** A number per request, for `$req_id`. */
  nextRequest(): number {
    return ++this.requests;
  }

  private current(): { model: IngressModel; index: ServerIndex } {
    const version = this.store.resourceVersion;
    if (this.built?.version !== version) {
      const model = buildModel(this.store);
      this.built = { version, model, index: new ServerIndex(model) };
    }
    return this.built;
  }
}
