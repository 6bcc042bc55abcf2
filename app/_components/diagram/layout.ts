/**
 * Where everything in the cluster diagram goes, as plain numbers: node boxes in a grid that
 * wraps to the width, their pods as rows (grouped under their owner, collapsed to one row per
 * owner on a crowded node), Service cards above with edges routed down the gutters between
 * nodes to each endpoint, and the latest trace's hops. Pure and DOM-free: the SVG component
 * draws it, and tests check it in Node.
 *
 * @example
 * const layout = layoutDiagram(view, { width: 720, showSystem: false, expanded: new Set() });
 * layout.nodes[0].x; layout.rows.length; layout.edges[0].d; // "M 360 76 V 98 H 22 V 190 H 30"
 */
import type { ClusterView, NodeView, PodView, ServiceView } from "@/lib/engine";
import { podTone, type Tone } from "./summary";

export interface LayoutOptions {
  /** Pixels available; the diagram is laid out at this width in real pixels (text never scales). */
  width: number;
  /** kube-system's pods and Services, or one summary row per node. */
  showSystem: boolean;
  /** Owner groups shown pod by pod even on a crowded node (keys of group rows). */
  expanded: ReadonlySet<string>;
}

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface NodeBox extends Box {
  /** Null for the lane of pods no node has taken yet. */
  node: NodeView | null;
  name: string;
  /** Pods bound here (all of them, kube-system too). */
  podCount: number;
}

/** What one row of a node's box shows: a pod, an owner's group header, kube-system folded, or nothing. */
export type RowContent =
  | { kind: "pod"; pod: PodView; label: string; indent: boolean; tone: Tone }
  | { kind: "group"; key: string; owner: { kind: string; name: string }; pods: PodView[]; collapsed: boolean; collapsible: boolean }
  | { kind: "system"; pods: PodView[] }
  | { kind: "empty" };

/** A row placed in its node's box (`node` is "" in the unscheduled lane). */
export type Row = Box & { node: string } & RowContent;

export interface ServiceBox extends Box {
  service: ServiceView;
  key: string;
  ready: number;
  /** Which of the HUES its card and edges are drawn in, so crossing edges can be told apart. */
  hue: number;
}

export interface Edge {
  /** The Service's `namespace/name`. */
  service: string;
  /** The endpoint's address (an edge per address). */
  address: string;
  d: string;
  ready: boolean;
  hue: number;
}

export interface TracePoint {
  n: number;
  x: number;
  y: number;
}

export interface TracePath {
  seq: number;
  points: TracePoint[];
  /** The hops joined, in order (empty for a trace of one hop). */
  d: string;
}

export interface Layout {
  width: number;
  height: number;
  nodes: NodeBox[];
  rows: Row[];
  services: ServiceBox[];
  edges: Edge[];
  trace: TracePath | null;
  /** The height of the nodes' headers (taller when a node has taints to show). */
  headerH: number;
  /** kube-system pods left out (shown as one row per node). */
  hiddenSystemPods: number;
}

export const SYSTEM_NAMESPACE = "kube-system";
/** More visible pods than this on one node, and its owners' pods fold into one row each. */
export const CROWDED = 30;

const PAD = 16;
/** Room left of the first column for the Service edges' lanes. */
const GRID_PAD = 36;
const GAP_X = 36;
const GAP_Y = 28;
const MIN_COL = 216;
const MAX_COL = 340;
/** Name and status, address and roles, pod CIDR; a fourth line for taints when any node has them. */
const HEADER_H = 64;
const TAINT_LINE = 14;
/** Service colours: edges of different Services cross in the gutters. */
export const HUES = 6;
export const ROW_H = 22;
const BOX_PAD = 8;
export const SERVICE_W = 192;
export const SERVICE_H = 58;
const SERVICE_GAP = 14;
const LANE = 7;
const LANES = 5;
/** Average advance of a character in the labels (12px sans) and the addresses (11px mono). */
export const SANS_CHAR = 6.5;
export const MONO_CHAR = 6.7;

/** Truncates `text` to about `px` pixels of characters `charPx` wide, with an ellipsis. */
export function fit(text: string, px: number, charPx: number): string {
  const room = Math.floor(px / charPx);
  if (text.length <= room) return text;
  return room <= 1 ? "…" : `${text.slice(0, room - 1)}…`;
}

const podKey = (p: { namespace: string; name: string }) => `${p.namespace}/${p.name}`;
/** Generated names (`web-7d4b9-x2x7q`) read best as their suffix under the owner's name. */
const SUFFIXED_OWNERS = new Set(["ReplicaSet", "ReplicationController", "DaemonSet", "Job"]);

function namespaceOrder(ns: string): string {
  // The learner's namespaces first (default leading), the system's last.
  return ns === "default" ? "0" : ns === SYSTEM_NAMESPACE ? "2" + ns : "1" + ns;
}

function sortPods(pods: PodView[]): PodView[] {
  const key = (p: PodView) => `${namespaceOrder(p.namespace)}\u0000${p.owner ? `${p.owner.kind}/${p.owner.name}` : "~"}\u0000${p.name}`;
  return [...pods].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** The rows of one node's box (or the unscheduled lane). */
function rowsFor(node: string, pods: PodView[], system: PodView[], options: LayoutOptions): RowContent[] {
  const rows: RowContent[] = [];
  const crowded = pods.length > CROWDED;
  const sorted = sortPods(pods);
  for (let i = 0; i < sorted.length; ) {
    const pod = sorted[i];
    let j = i + 1;
    const owner = pod.owner;
    if (owner) while (j < sorted.length && sorted[j].namespace === pod.namespace && sorted[j].owner?.kind === owner.kind && sorted[j].owner?.name === owner.name) j++;
    const members = sorted.slice(i, j);
    i = j;
    if (!owner || members.length < 2) {
      rows.push({ kind: "pod", pod, label: pod.name, indent: false, tone: podTone(pod) });
      continue;
    }
    const key = `${node}\u0000${pod.namespace}/${owner.kind}/${owner.name}`;
    const collapsed = crowded && !options.expanded.has(key);
    rows.push({ kind: "group", key, owner, pods: members, collapsed, collapsible: crowded });
    if (collapsed) continue;
    for (const member of members) {
      const suffix = SUFFIXED_OWNERS.has(owner.kind) && member.name.startsWith(`${owner.name}-`) ? member.name.slice(owner.name.length + 1) : member.name;
      rows.push({ kind: "pod", pod: member, label: suffix, indent: true, tone: podTone(member) });
    }
  }
  if (system.length > 0) rows.push({ kind: "system", pods: system });
  if (rows.length === 0) rows.push({ kind: "empty" });
  return rows;
}

export function layoutDiagram(view: ClusterView, options: LayoutOptions): Layout {
  const width = Math.max(280, Math.floor(options.width));
  const shown = (ns: string) => options.showSystem || ns !== SYSTEM_NAMESPACE;
  const pods = view.pods.filter((p) => shown(p.namespace));
  const hidden = view.pods.filter((p) => !shown(p.namespace));

  // ---- Node grid ----
  const lanes: { name: string; node: NodeView | null }[] = view.nodes.map((n) => ({ name: n.name, node: n }));
  if (pods.some((p) => !p.node)) lanes.push({ name: "", node: null });
  const inner = width - 2 * PAD;
  const gridInner = width - 2 * GRID_PAD;
  const cols = Math.max(1, Math.min(lanes.length, Math.floor((gridInner + GAP_X) / (MIN_COL + GAP_X))));
  const colW = Math.max(Math.min(MAX_COL, (gridInner - (cols - 1) * GAP_X) / cols), Math.min(MIN_COL, gridInner));
  const gridW = cols * colW + (cols - 1) * GAP_X;
  const left = Math.max(GRID_PAD, (width - gridW) / 2);

  // ---- Services (top), wrapped to the width, centred ----
  const services = view.services.filter((s) => shown(s.namespace));
  const perRow = Math.max(1, Math.floor((inner + SERVICE_GAP) / (SERVICE_W + SERVICE_GAP)));
  const serviceBoxes: ServiceBox[] = services.map((service, i) => {
    const row = Math.floor(i / perRow);
    const inRow = Math.min(perRow, services.length - row * perRow);
    const rowW = inRow * SERVICE_W + (inRow - 1) * SERVICE_GAP;
    const x = (width - rowW) / 2 + (i % perRow) * (SERVICE_W + SERVICE_GAP);
    return {
      x, y: PAD + row * (SERVICE_H + SERVICE_GAP), w: SERVICE_W, h: SERVICE_H,
      service, key: podKey(service), ready: service.endpoints.filter((e) => e.ready).length, hue: i % HUES,
    };
  });
  const serviceRows = Math.ceil(services.length / perRow);
  const servicesBottom = services.length > 0 ? PAD + serviceRows * SERVICE_H + (serviceRows - 1) * SERVICE_GAP : 0;
  const channelTop = servicesBottom + (services.length > 0 ? 14 : 0);
  const nodesTop = services.length > 0 ? channelTop + 10 + Math.min(services.length, LANES) * LANE + 18 : PAD;

  // ---- Node boxes and their rows ----
  const headerH = HEADER_H + (view.nodes.some((n) => n.taints.length > 0) ? TAINT_LINE : 0);
  const nodes: NodeBox[] = [];
  const rows: Row[] = [];
  let y = nodesTop;
  for (let start = 0; start < lanes.length; start += cols) {
    const line = lanes.slice(start, start + cols);
    let lineH = 0;
    line.forEach((lane, c) => {
      const x = left + c * (colW + GAP_X);
      const here = pods.filter((p) => (lane.node ? p.node === lane.name : !p.node));
      const system = lane.node ? hidden.filter((p) => p.node === lane.name) : [];
      const specs = rowsFor(lane.name, here, system, options);
      specs.forEach((spec, i) => rows.push({ ...spec, node: lane.name, x, y: y + headerH + i * ROW_H, w: colW, h: ROW_H }));
      const h = headerH + specs.length * ROW_H + BOX_PAD;
      nodes.push({ node: lane.node, name: lane.name, x, y, w: colW, h, podCount: view.pods.filter((p) => (lane.node ? p.node === lane.name : !p.node)).length });
      lineH = Math.max(lineH, h);
    });
    // Boxes of one line share a height, so the grid reads as a grid.
    for (const box of nodes.slice(start)) box.h = lineH;
    y += lineH + GAP_Y;
  }
  const height = Math.ceil(y - GAP_Y + PAD);

  // ---- Where a pod, a node or an address is drawn (edges and the trace end there) ----
  const anchor = new Map<string, { left: number; right: number; y: number; col: number }>();
  const colOf = (x: number) => Math.round((x - left) / (colW + GAP_X));
  for (const row of rows) {
    const at = { left: row.x, right: row.x + row.w, y: row.y + row.h / 2, col: colOf(row.x) };
    if (row.kind === "pod") anchor.set(`pod:${podKey(row.pod)}`, at);
    else if (row.kind === "group" && row.collapsed) for (const p of row.pods) anchor.set(`pod:${podKey(p)}`, at);
    else if (row.kind === "system") for (const p of row.pods) anchor.set(`pod:${podKey(p)}`, at);
  }
  for (const box of nodes) {
    if (!box.node) continue;
    const at = { left: box.x, right: box.x + box.w, y: box.y + 21, col: colOf(box.x) };
    anchor.set(`node:${box.name}`, at);
    if (box.node.internalIP) anchor.set(`ip:${box.node.internalIP}`, at);
  }

  // ---- Service edges: down from the card, along its lane, down the gutter left of the column ----
  const edges: Edge[] = [];
  serviceBoxes.forEach((box, k) => {
    const lane = k % LANES;
    const laneY = channelTop + 10 + lane * LANE;
    const cx = box.x + box.w / 2;
    for (const endpoint of box.service.endpoints) {
      const at = (endpoint.pod && anchor.get(`pod:${podKey(endpoint.pod)}`)) ?? anchor.get(`ip:${endpoint.address}`);
      if (!at) continue;
      const gutterX = left + at.col * (colW + GAP_X) - 8 - lane * 4;
      const d = `M ${r(cx)} ${r(box.y + box.h)} V ${r(laneY)} H ${r(gutterX)} V ${r(at.y)} H ${r(at.left + 7)}`;
      edges.push({ service: box.key, address: endpoint.address, d, ready: endpoint.ready, hue: box.hue });
    }
  });

  // ---- The latest trace, hop by hop, through what the engine resolved ----
  let trace: TracePath | null = null;
  if (view.trace && view.trace.hops.length > 0) {
    const spots = view.trace.hops.flatMap((hop, i) => {
      const at = (hop.pod && anchor.get(`pod:${podKey(hop.pod)}`)) ?? anchor.get(`node:${hop.node}`);
      return at ? [{ n: i + 1, ...at }] : [];
    });
    // A hop sits on the edge of its row that faces the hop it talks to (the right one when they
    // share a column), so the line runs between the boxes rather than over their rows.
    const points: TracePoint[] = spots.map((spot, i) => {
      const other = spots[i + 1] ?? spots[i - 1];
      return { n: spot.n, x: other && other.col < spot.col ? spot.left : spot.right, y: spot.y };
    });
    trace = { seq: view.trace.seq, points, d: tracePath(points) };
  }

  return { width, height, nodes, rows, services: serviceBoxes, edges, trace, headerH, hiddenSystemPods: hidden.length };
}

const r = (n: number) => Math.round(n * 10) / 10;

/**
 * Curves between consecutive hops: out of the boxes' sides and across (an S between columns),
 * a bow into the gap beside one column, a loop for a hop back to the same place (localhost).
 */
function tracePath(points: TracePoint[]): string {
  if (points.length < 2) return "";
  const BOW = 30;
  let d = `M ${r(points[0].x)} ${r(points[0].y)}`;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1];
    const b = points[i];
    if (Math.abs(a.x - b.x) < 1 && Math.abs(a.y - b.y) < 1) {
      d += ` C ${r(a.x + BOW)} ${r(a.y - 22)} ${r(a.x + BOW)} ${r(a.y + 22)} ${r(b.x)} ${r(b.y)}`;
    } else if (Math.abs(a.x - b.x) < 1) {
      d += ` C ${r(a.x + BOW)} ${r(a.y)} ${r(b.x + BOW)} ${r(b.y)} ${r(b.x)} ${r(b.y)}`;
    } else {
      const half = (b.x - a.x) / 2;
      d += ` C ${r(a.x + half)} ${r(a.y)} ${r(b.x - half)} ${r(b.y)} ${r(b.x)} ${r(b.y)}`;
    }
  }
  return d;
}
