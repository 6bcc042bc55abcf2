import { describe, expect, it } from "vitest";
import { clusterView, createCluster, type ClusterView, type NodeView, type PodView } from "@/lib/engine";
import { CROWDED, fit, layoutDiagram, type Row } from "@/app/_components/diagram/layout";
import { describeTrace, summarize } from "@/app/_components/diagram/summary";

const NONE = new Set<string>();

function node(name: string, i: number): NodeView {
  return { name, roles: i === 0 ? ["control-plane"] : [], internalIP: `172.30.1.${i + 2}`, status: "Ready", ready: true, podCIDR: `10.244.${i}.0/24`, unschedulable: false, taints: [] };
}

function pod(name: string, at: string | null, extra: Partial<PodView> = {}): PodView {
  return {
    namespace: "default", name, node: at, ip: at ? `10.244.0.${name.length}` : null, phase: "Running", ready: "1/1", status: "Running",
    restarts: 0, isReady: true, hostNetwork: false, owner: null, app: null, ...extra,
  };
}

/** `perNode` pods of Deployment web on each of three nodes, plus kube-system's DaemonSet pods. */
function cluster(perNode: number[]): ClusterView {
  const nodes = ["controlplane", "node01", "node02"].map(node);
  const pods: PodView[] = [];
  nodes.forEach((n, i) => {
    for (let k = 0; k < perNode[i]; k++) pods.push(pod(`web-7d4b9-${n.name}-${k}`, n.name, { owner: { kind: "ReplicaSet", name: "web-7d4b9" }, app: "web" }));
    pods.push(pod(`kube-proxy-${i}`, n.name, { namespace: "kube-system", hostNetwork: true, owner: { kind: "DaemonSet", name: "kube-proxy" } }));
  });
  return { version: "1", nodes, pods, services: [], trace: null };
}

const rowsOf = (rows: Row[], nodeName: string) => rows.filter((r) => r.node === nodeName);

describe("layoutDiagram", () => {
  it("gives each of 3 × 30 pods its own row under its owner, inside its node's box", () => {
    const layout = layoutDiagram(cluster([30, 30, 30]), { width: 900, showSystem: false, expanded: NONE });
    expect(layout.nodes.map((n) => n.name)).toEqual(["controlplane", "node01", "node02"]);
    // Side by side: one line of three boxes, not overlapping.
    expect(new Set(layout.nodes.map((n) => n.y)).size).toBe(1);
    for (let i = 1; i < 3; i++) expect(layout.nodes[i].x).toBeGreaterThanOrEqual(layout.nodes[i - 1].x + layout.nodes[i - 1].w);
    for (const box of layout.nodes) {
      const rows = rowsOf(layout.rows, box.name);
      expect(rows.filter((r) => r.kind === "pod")).toHaveLength(30);
      expect(rows[0]).toMatchObject({ kind: "group", owner: { name: "web-7d4b9" }, collapsed: false, collapsible: false });
      expect(rows.at(-1)).toMatchObject({ kind: "system" });
      for (const row of rows) {
        expect(row.x).toBe(box.x);
        expect(row.y).toBeGreaterThan(box.y);
        expect(row.y + row.h).toBeLessThanOrEqual(box.y + box.h);
      }
    }
    // Under the owner's name, a pod reads as its own part of the name.
    expect(layout.rows.find((r) => r.kind === "pod")).toMatchObject({ label: "controlplane-0", indent: true });
    expect(layout.height).toBeGreaterThan(30 * 22);
  });

  it("wraps the boxes onto more lines when the width is short, and keeps them inside it", () => {
    const layout = layoutDiagram(cluster([2, 2, 2]), { width: 400, showSystem: false, expanded: NONE });
    expect(new Set(layout.nodes.map((n) => n.y)).size).toBe(3);
    for (const box of layout.nodes) expect(box.x + box.w).toBeLessThanOrEqual(400);
    const narrowest = layoutDiagram(cluster([1, 1, 1]), { width: 200, showSystem: false, expanded: NONE });
    for (const box of narrowest.nodes) expect(box.x + box.w).toBeLessThanOrEqual(narrowest.width);
  });

  it("folds an owner's pods into one row on a crowded node, and unfolds the ones asked for", () => {
    const view = cluster([CROWDED + 10, 3, 0]);
    const folded = layoutDiagram(view, { width: 900, showSystem: false, expanded: NONE });
    const crowded = rowsOf(folded.rows, "controlplane");
    expect(crowded.map((r) => r.kind)).toEqual(["group", "system"]);
    const group = crowded[0] as Extract<Row, { kind: "group" }>;
    expect(group).toMatchObject({ collapsed: true, collapsible: true });
    expect(group.pods).toHaveLength(CROWDED + 10);
    // The other nodes are not crowded: their pods stay one per row.
    expect(rowsOf(folded.rows, "node01").filter((r) => r.kind === "pod")).toHaveLength(3);
    expect(rowsOf(folded.rows, "node02").map((r) => r.kind)).toEqual(["system"]);
    const unfolded = layoutDiagram(view, { width: 900, showSystem: false, expanded: new Set([group.key]) });
    expect(rowsOf(unfolded.rows, "controlplane").filter((r) => r.kind === "pod")).toHaveLength(CROWDED + 10);
  });

  it("keeps kube-system to one row per node until asked, then shows its pods and Services", () => {
    const view = { ...cluster([1, 1, 1]), services: [{ namespace: "kube-system", name: "kube-dns", type: "ClusterIP", clusterIP: "10.96.0.10", externalIP: "<none>", ports: "53/UDP", endpoints: [] }] };
    const hidden = layoutDiagram(view, { width: 900, showSystem: false, expanded: NONE });
    expect(hidden.hiddenSystemPods).toBe(3);
    expect(hidden.services).toEqual([]);
    expect(hidden.rows.filter((r) => r.kind === "system")).toHaveLength(3);
    const shown = layoutDiagram(view, { width: 900, showSystem: true, expanded: NONE });
    expect(shown.rows.filter((r) => r.kind === "system")).toHaveLength(0);
    expect(shown.rows.filter((r) => r.kind === "pod" && r.pod.namespace === "kube-system")).toHaveLength(3);
    expect(shown.services.map((s) => s.key)).toEqual(["kube-system/kube-dns"]);
  });

  it("puts pods no node has taken in a lane of their own", () => {
    const view = { ...cluster([1, 1, 1]), pods: [...cluster([1, 1, 1]).pods, pod("waiting", null, { phase: "Pending", status: "Pending", ready: "0/1", isReady: false })] };
    const layout = layoutDiagram(view, { width: 1200, showSystem: false, expanded: NONE });
    expect(layout.nodes.map((n) => n.name)).toEqual(["controlplane", "node01", "node02", ""]);
    expect(rowsOf(layout.rows, "")).toMatchObject([{ kind: "pod", pod: { name: "waiting" }, tone: "progress" }]);
  });
});

describe("layoutDiagram traces", () => {
  const hop = (name: string, n: string) => ({ kind: "pod" as const, node: n, address: "10.244.0.9", pod: { namespace: "default", name }, detail: "" });
  const withTrace = (hops: ReturnType<typeof hop>[]): ClusterView => ({
    ...cluster([3, 3, 3]),
    trace: { seq: 4, protocol: "TCP", target: { host: "10.244.0.9", port: 80 }, outcome: "connected", hops },
  });

  it("bows into the gap beside a column when both hops are on one node, and loops for a pod talking to itself", () => {
    const [a, b] = ["web-7d4b9-node01-0", "web-7d4b9-node01-2"];
    const same = layoutDiagram(withTrace([hop(a, "node01"), hop(b, "node01")]), { width: 900, showSystem: false, expanded: NONE });
    const rowA = same.rows.find((r) => r.kind === "pod" && r.pod.name === a)!;
    const rowB = same.rows.find((r) => r.kind === "pod" && r.pod.name === b)!;
    expect(same.trace!.points).toEqual([
      { n: 1, x: rowA.x + rowA.w, y: rowA.y + 11 },
      { n: 2, x: rowB.x + rowB.w, y: rowB.y + 11 },
    ]);
    expect(same.trace!.d).toBe(`M ${rowA.x + rowA.w} ${rowA.y + 11} C ${rowA.x + rowA.w + 30} ${rowA.y + 11} ${rowB.x + rowB.w + 30} ${rowB.y + 11} ${rowB.x + rowB.w} ${rowB.y + 11}`);
    const loop = layoutDiagram(withTrace([hop(a, "node01"), hop(a, "node01")]), { width: 900, showSystem: false, expanded: NONE });
    expect(loop.trace!.points[0]).toEqual({ ...loop.trace!.points[1], n: 1 });
    expect(loop.trace!.d).toContain(" C ");
  });

  it("draws a trace of one hop as its sender alone, and a hop into a folded owner on the owner's row", () => {
    const crowded = { ...cluster([CROWDED + 1, 1, 1]), trace: withTrace([hop("web-7d4b9-controlplane-3", "controlplane")]).trace };
    const layout = layoutDiagram(crowded, { width: 900, showSystem: false, expanded: NONE });
    const group = layout.rows.find((r) => r.kind === "group" && r.node === "controlplane")!;
    expect(layout.trace).toEqual({ seq: 4, points: [{ n: 1, x: group.x + group.w, y: group.y + 11 }], d: "" });
  });
});

describe("layoutDiagram on an engine's cluster", () => {
  async function engineView() {
    const c = createCluster({ scenario: "three-node-calico", seed: 1 });
    const sh = c.shell();
    await sh.run("kubectl create deployment web --image=nginx --replicas=4");
    await sh.run("kubectl expose deployment web --port=80");
    await sh.run("kubectl run broken --image=busybox --labels=app=web -- false");
    await sh.run("sleep 40");
    const web = clusterView(c).pods.filter((p) => p.name.startsWith("web-"));
    await sh.run(`kubectl run probe --image=curlimages/curl --restart=Never -- curl -s ${web[0].ip}`);
    await sh.run("sleep 15");
    return clusterView(c);
  }

  it("draws an edge from each Service to each endpoint's row, dashed when not ready", async () => {
    const view = await engineView();
    const layout = layoutDiagram(view, { width: 960, showSystem: false, expanded: NONE });
    const web = view.services.find((s) => s.name === "web")!;
    const edges = layout.edges.filter((e) => e.service === "default/web");
    expect(edges.map((e) => e.address).sort()).toEqual(web.endpoints.map((e) => e.address).sort());
    for (const edge of edges) {
      const endpoint = web.endpoints.find((e) => e.address === edge.address)!;
      expect(edge.ready).toBe(endpoint.ready);
      // The edge ends at the left of the endpoint pod's row, at its middle.
      const row = layout.rows.find((r) => r.kind === "pod" && r.pod.name === endpoint.pod!.name)!;
      const [, y, x] = /V ([\d.]+) H ([\d.]+)$/.exec(edge.d)!.map(Number);
      expect(y).toBe(row.y + row.h / 2);
      expect(x).toBeGreaterThanOrEqual(row.x);
      expect(x).toBeLessThan(row.x + 16);
    }
    expect(edges.filter((e) => !e.ready).length).toBe(1);
    // The apiserver's Service ends at the control-plane node, whose address it is.
    const api = layout.edges.find((e) => e.service === "default/kubernetes")!;
    const controlplane = layout.nodes.find((n) => n.name === "controlplane")!;
    expect(Number(/V ([\d.]+) H [\d.]+$/.exec(api.d)![1])).toBe(controlplane.y + 21);
  });

  it("places the trace's hops on the sending and answering pods' rows, and the nodes between on their boxes", async () => {
    const view = await engineView();
    const layout = layoutDiagram(view, { width: 960, showSystem: false, expanded: NONE });
    const rowOf = (name: string) => layout.rows.find((r) => r.kind === "pod" && r.pod.name === name)!;
    const hops = view.trace!.hops;
    const [from, to] = [hops[0], hops[hops.length - 1]];
    expect(from.pod?.name).toBe("probe");
    expect(to.pod).toBeDefined();
    const points = layout.trace!.points;
    expect(points.map((p) => p.n)).toEqual(hops.map((_, i) => i + 1));
    const a = rowOf(from.pod!.name);
    const b = rowOf(to.pod!.name);
    // The ends sit on a side of their pods' rows; each node crossed in between sits on its node's box.
    expect(points[0].y).toBe(a.y + a.h / 2);
    expect([a.x, a.x + a.w]).toContain(points[0].x);
    expect(points[points.length - 1].y).toBe(b.y + b.h / 2);
    expect([b.x, b.x + b.w]).toContain(points[points.length - 1].x);
    hops.forEach((hop, i) => {
      if (hop.pod) return;
      const box = layout.nodes.find((n) => n.name === hop.node)!;
      expect(points[i].y).toBe(box.y + 21);
    });
    expect(layout.trace!.d).toMatch(new RegExp(`^M ${points[0].x} ${points[0].y} C .* ${points[points.length - 1].x} ${points[points.length - 1].y}$`));
    expect(describeTrace(view)).toBe(`default/probe → ${to.address}:80/TCP: connected`);
    expect(summarize(view)).toMatch(/^3 nodes \(3 Ready\), \d+ pods \(\d+ running and ready\), 3 Services$/);
  });
});

describe("fit", () => {
  it("truncates with an ellipsis to the room there is", () => {
    expect(fit("web-7d4b9", 100, 10)).toBe("web-7d4b9");
    expect(fit("web-7d4b9-x2x7q", 100, 10)).toBe("web-7d4b9…");
  });
});
