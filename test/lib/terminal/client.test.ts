import { describe, expect, it } from "vitest";
import type { ClusterView } from "@/lib/engine";
import { EngineClient, type WorkerLike } from "@/lib/terminal/client";
import type { Request, Response, TransportRequest } from "@/lib/terminal/protocol";

/** A worker the test answers by hand. */
function fakeWorker() {
  const sent: (Request | TransportRequest)[] = [];
  const worker: WorkerLike = { onmessage: null, onerror: null, postMessage: (m) => void sent.push(m), terminate() {} };
  const answer = (response: Response) => worker.onmessage?.({ data: response } as MessageEvent<Response>);
  return { worker, sent, answer };
}

const view = (version: string): ClusterView => ({ version, nodes: [], pods: [], services: [], trace: null });

describe("EngineClient views", () => {
  it("hands each view to its listeners, the latest one at once to a late listener, until they stop", async () => {
    const { worker, answer } = fakeWorker();
    const client = new EngineClient(() => worker);
    expect(client.view).toBeNull();
    const early: string[] = [];
    const stop = client.onView((v) => early.push(v.version));
    answer({ type: "view", view: view("b") });
    expect(early).toEqual(["b"]);
    expect(client.view?.version).toBe("b");
    const late: string[] = [];
    client.onView((v) => late.push(v.version));
    expect(late).toEqual(["b"]);
    stop();
    answer({ type: "view", view: view("c") });
    expect(early).toEqual(["b"]);
    expect(late).toEqual(["b", "c"]);
  });

  it("does not take a view for the answer to a pending request", async () => {
    const { worker, sent, answer } = fakeWorker();
    const client = new EngineClient(() => worker);
    const ran = client.run("kubectl get pods", 10);
    const { id } = sent.find((m) => m.type === "run") as { id: number };
    answer({ type: "view", view: view("x") });
    answer({ type: "result", id, output: "No resources found in default namespace.\n", exitCode: 0, prompt: "$ " });
    await expect(ran).resolves.toMatchObject({ output: "No resources found in default namespace.\n" });
    expect(client.view?.version).toBe("x");
  });
});
