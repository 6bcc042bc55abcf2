/**
 * The module Web Worker that hosts the cluster engine, so a long command never stalls the page.
 * Created by EngineClient with `new Worker(new URL("./worker.ts", import.meta.url), { type: "module" })`.
 */
import { clusterView, createCluster, isIncomplete, type ClusterHandle } from "@/lib/engine";
import { createHandler, type Request, type Response, type TransportRequest } from "./protocol";

// The project compiles against the DOM library; this is the part of the worker scope used here.
const scope = self as unknown as {
  postMessage(message: Response): void;
  onmessage: ((event: MessageEvent<Request | TransportRequest>) => void) | null;
};

/** Where answers go: the client's BroadcastChannel once it sent `connect` (see client.ts). */
let channel: BroadcastChannel | null = null;

const handle = createHandler<ClusterHandle>(
  { createCluster, isIncomplete, clusterView },
  (response: Response) => (channel ? channel.postMessage(response) : scope.postMessage(response)),
  () => performance.now(),
);

scope.onmessage = (event) => {
  const request = event.data;
  if (request.type === "connect") {
    channel = typeof BroadcastChannel === "undefined" ? null : new BroadcastChannel(request.channel);
    return;
  }
  void handle(request);
};
