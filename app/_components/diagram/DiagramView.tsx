"use client";

import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from "react";
import type { ClusterView, NodeView, PodView } from "@/lib/engine";
import {
  fit, HUES, layoutDiagram, MONO_CHAR, SANS_CHAR, SERVICE_H, SERVICE_W, SYSTEM_NAMESPACE, type NodeBox, type Row, type ServiceBox, type TracePath,
} from "./layout";
import { describeTrace, podTone, summarize, TONE_LABEL, type Tone } from "./summary";
import styles from "./Diagram.module.css";

export interface DiagramViewProps {
  view: ClusterView | null;
  /** Fill the parent's height and scroll inside (the panel), or take the drawing's height (a lesson's inline diagram). */
  fill?: boolean;
}

const TONES: Tone[] = ["ok", "warn", "progress", "error", "done", "terminating"];

/**
 * The live cluster diagram: nodes with their pods, Services above with edges to their endpoints
 * (dashed when not ready), and the latest connection's path hop by hop. An SVG laid out at the
 * width it is given (layout.ts), with a text summary and, for screen readers, tables of
 * everything it shows.
 */
export default function DiagramView({ view, fill = false }: DiagramViewProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  const [showSystem, setShowSystem] = useState(false);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const [hot, setHot] = useState<string | null>(null);
  const id = useId();

  useLayoutEffect(() => {
    const box = scrollRef.current!;
    const measure = () => setWidth(box.clientWidth);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(box);
    return () => observer.disconnect();
  }, []);

  const layout = useMemo(() => (view && width > 0 ? layoutDiagram(view, { width, showSystem, expanded }) : null), [view, width, showSystem, expanded]);
  // A trace already there when the diagram first saw the cluster is drawn at once; later ones
  // are animated, once each (the layer is keyed by the trace's number).
  const [seenTrace, setSeenTrace] = useState<number | null | undefined>(view ? (view.trace?.seq ?? null) : undefined);
  if (seenTrace === undefined && view) setSeenTrace(view.trace?.seq ?? null);

  // A trace out of sight (when the diagram opens, or a new one): scroll the drawing, not the
  // page, to it, once per trace.
  const shownTrace = layout?.trace ?? null;
  const scrolledTo = useRef<number | null>(null);
  useEffect(() => {
    const box = scrollRef.current;
    if (!box || !shownTrace || shownTrace.points.length === 0 || scrolledTo.current === shownTrace.seq) return;
    scrolledTo.current = shownTrace.seq;
    const ys = shownTrace.points.map((p) => p.y);
    const top = Math.min(...ys) - 60;
    const bottom = Math.max(...ys) + 40;
    if (top >= box.scrollTop && bottom <= box.scrollTop + box.clientHeight) return;
    const reduce = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    box.scrollTo({ top: Math.max(0, (top + bottom) / 2 - box.clientHeight / 2), behavior: reduce ? "auto" : "smooth" });
  }, [shownTrace]);

  const systemCount = view ? view.pods.filter((p) => p.namespace === SYSTEM_NAMESPACE).length : 0;
  const collapsible = layout ? layout.rows.filter((r) => r.kind === "group" && r.collapsible) : [];
  const allExpanded = collapsible.length > 0 && collapsible.every((r) => r.kind === "group" && !r.collapsed);
  const toggleGroup = (key: string) =>
    setExpanded((current) => {
      const next = new Set(current);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  const trace = view ? describeTrace(view) : null;

  return (
    <div className={styles.diagram} data-fill={fill || undefined} data-diagram="">
      <div className={styles.toolbar}>
        <p className={styles.summary} aria-live="polite">
          {view ? summarize(view) : "Waiting for the cluster…"}
        </p>
        <div className={styles.tools}>
          {collapsible.length > 0 ? (
            <button
              type="button"
              className={styles.tool}
              aria-pressed={allExpanded}
              onClick={() => setExpanded(allExpanded ? new Set() : new Set(collapsible.map((r) => (r.kind === "group" ? r.key : ""))))}
            >
              Every pod
            </button>
          ) : null}
          <button type="button" className={styles.tool} aria-pressed={showSystem} onClick={() => setShowSystem((s) => !s)} disabled={!view}>
            kube-system{systemCount > 0 ? <span className={styles.count}>{systemCount}</span> : null}
          </button>
        </div>
      </div>

      <div ref={scrollRef} className={styles.scroll}>
        {layout && view ? (
          <svg
            className={styles.svg}
            width={layout.width}
            height={layout.height}
            viewBox={`0 0 ${layout.width} ${layout.height}`}
            role="img"
            aria-labelledby={`${id}-title`}
            aria-describedby={`${id}-tables`}
          >
            <title id={`${id}-title`}>{`Cluster diagram: ${summarize(view)}.${trace ? ` Last connection: ${trace}.` : ""}`}</title>
            <defs>
              {Array.from({ length: HUES }, (_, hue) => (
                <marker key={hue} id={`${id}-arrow-${hue}`} viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse" className={styles[`hue${hue}`]}>
                  <path d="M 0 0 L 8 4 L 0 8 z" className={styles.arrowEdge} />
                </marker>
              ))}
              <marker id={`${id}-arrow-trace`} viewBox="0 0 8 8" refX="6" refY="4" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
                <path d="M 0 0 L 8 4 L 0 8 z" className={styles.arrowTrace} />
              </marker>
            </defs>
            {layout.nodes.map((box) => (
              <NodeFrame key={box.name || "unscheduled"} box={box} headerH={layout.headerH} />
            ))}
            <g className={styles.edges} data-hot={hot ?? undefined}>
              {layout.edges.map((edge) => (
                <path
                  key={`${edge.service} ${edge.address}`}
                  d={edge.d}
                  className={`${styles.edge} ${styles[`hue${edge.hue}`]}`}
                  data-ready={edge.ready || undefined}
                  data-hot={hot === edge.service || undefined}
                  data-cold={(hot !== null && hot !== edge.service) || undefined}
                  markerEnd={`url(#${id}-arrow-${edge.hue})`}
                />
              ))}
            </g>
            {layout.rows.map((row, i) => (
              <RowView key={i} row={row} onToggle={toggleGroup} />
            ))}
            {layout.services.map((box) => (
              <ServiceCard key={box.key} box={box} onHot={setHot} hot={hot === box.key} />
            ))}
            {layout.trace && view.trace ? (
              <TraceLayer key={layout.trace.seq} trace={layout.trace} outcome={view.trace.outcome} animate={layout.trace.seq !== seenTrace} arrow={`url(#${id}-arrow-trace)`} />
            ) : null}
          </svg>
        ) : (
          <div className={styles.empty}>{view ? null : <span>The diagram appears when the cluster is running.</span>}</div>
        )}
      </div>

      {view?.trace ? <TraceCaption view={view} /> : null}
      <Legend open={!fill} />
      {view ? <Tables id={`${id}-tables`} view={view} /> : null}
    </div>
  );
}

/** `key=value:Effect` as kubectl describe prints a taint; `short` drops the key's prefix. */
function taintText(t: NodeView["taints"][number], short = false): string {
  return `${short ? t.key.replace(/^.*\//, "") : t.key}${t.value ? `=${t.value}` : ""}:${t.effect}`;
}

/** A node's box: name and status (a shape and the word), address and roles, pod CIDR, taints. */
function NodeFrame({ box, headerH }: { box: NodeBox; headerH: number }) {
  const node = box.node;
  const textW = box.w - 24;
  if (!node) {
    return (
      <g>
        <rect x={box.x} y={box.y} width={box.w} height={box.h} rx={10} className={styles.lane} />
        <text x={box.x + 12} y={box.y + 21} className={styles.nodeName}>
          Not scheduled
        </text>
        <text x={box.x + 12} y={box.y + 38} className={styles.nodeInfo}>
          {fit("no node has taken these pods", textW, MONO_CHAR)}
        </text>
      </g>
    );
  }
  const status = node.status.replace(/,/g, ", ");
  const pillW = status.length * 6.2 + 24;
  return (
    <g data-node={node.name}>
      <title>{`${node.name}: ${node.status}${node.roles.length ? `, ${node.roles.join(",")}` : ""}, ${node.internalIP ?? "no address"}, pod CIDR ${node.podCIDR ?? "none"}, ${box.podCount} pods${node.taints.length ? `, taints ${node.taints.map((t) => taintText(t)).join(" ")}` : ""}`}</title>
      <rect x={box.x} y={box.y} width={box.w} height={box.h} rx={10} className={styles.node} data-ready={node.ready || undefined} />
      <path d={`M ${box.x} ${box.y + headerH - 6} H ${box.x + box.w}`} className={styles.nodeRule} />
      <text x={box.x + 12} y={box.y + 21} className={styles.nodeName}>
        {fit(node.name, box.w - pillW - 30, 7.6)}
      </text>
      <g transform={`translate(${box.x + box.w - pillW - 8} ${box.y + 9})`} className={styles.pill} data-ready={node.ready || undefined}>
        <rect width={pillW} height={18} rx={9} />
        {node.ready ? <circle cx={10} cy={9} r={3.5} className={styles.pillMark} /> : <path d="M 7 6 L 13 12 M 13 6 L 7 12" className={styles.pillCross} />}
        <text x={18} y={13}>
          {status}
        </text>
      </g>
      <text x={box.x + 12} y={box.y + 38} className={styles.nodeInfo}>
        {fit([node.internalIP ?? "no address", ...node.roles].join(" · "), textW, MONO_CHAR)}
      </text>
      <text x={box.x + 12} y={box.y + 52} className={styles.nodeInfo}>
        {fit(`podCIDR ${node.podCIDR ?? "<none>"}`, textW, MONO_CHAR)}
      </text>
      {node.taints.length > 0 ? (
        <text x={box.x + 12} y={box.y + 66} className={styles.taint}>
          {fit(`taint ${node.taints.map((t) => taintText(t, true)).join(", ")}`, textW, 6.1)}
        </text>
      ) : null}
    </g>
  );
}

function RowView({ row, onToggle }: { row: Row; onToggle: (key: string) => void }) {
  const x = row.x;
  const mid = row.y + row.h / 2;
  const right = row.x + row.w - 10;
  switch (row.kind) {
    case "pod": {
      const pod = row.pod;
      const tone = row.tone;
      const off = row.indent ? 10 : 0;
      const side = pod.status === "Running" ? (pod.ip ? `${pod.hostNetwork ? "host " : ""}${pod.ip}` : "") : pod.status;
      const sideW = side.length * (pod.status === "Running" ? MONO_CHAR : SANS_CHAR * 0.95);
      return (
        <g className={styles.row} data-pod={`${pod.namespace}/${pod.name}`} data-tone={tone}>
          <title>{podTitle(pod)}</title>
          <rect x={x + 4} y={row.y + 1} width={row.w - 8} height={row.h - 2} rx={5} className={styles.rowHit} />
          <PodMark tone={tone} x={x + 16 + off} y={mid} />
          <text x={x + 27 + off} y={mid + 4} className={row.indent ? styles.podSuffix : styles.podName}>
            {fit(row.label, row.w - 40 - off - sideW, row.indent ? MONO_CHAR : SANS_CHAR)}
          </text>
          <text x={right} y={mid + 4} textAnchor="end" className={pod.status === "Running" ? styles.podIP : styles.podStatus} data-tone={tone}>
            {side}
          </text>
        </g>
      );
    }
    case "group": {
      const counts = toneCounts(row.pods);
      return (
        <g
          className={styles.group}
          data-collapsible={row.collapsible || undefined}
          onClick={row.collapsible ? () => onToggle(row.key) : undefined}
        >
          <title>{`${row.owner.kind} ${row.owner.name}: ${row.pods.length} pods${row.collapsible ? (row.collapsed ? " (click to show each)" : " (click to fold)") : ""}`}</title>
          <rect x={x + 4} y={row.y + 1} width={row.w - 8} height={row.h - 2} rx={5} className={styles.rowHit} />
          {row.collapsible ? <path d={row.collapsed ? `M ${x + 12} ${mid - 4} l 5 4 l -5 4` : `M ${x + 11} ${mid - 2} l 4 5 l 4 -5`} className={styles.caret} /> : null}
          <text x={x + (row.collapsible ? 24 : 12)} y={mid + 4} className={styles.groupName}>
            {fit(`${row.owner.name} ×${row.pods.length}`, row.w - 40 - (row.collapsed ? counts.length * 30 : 0), 6.4)}
          </text>
          {row.collapsed ? <ToneCounts counts={counts} right={right} y={mid} /> : null}
        </g>
      );
    }
    case "system":
      return (
        <g className={styles.group}>
          <title>{`${row.pods.length} kube-system pods: ${row.pods.map((p) => p.name).join(", ")}`}</title>
          <text x={x + 12} y={mid + 4} className={styles.system}>
            {`${SYSTEM_NAMESPACE} · ${row.pods.length} ${row.pods.length === 1 ? "pod" : "pods"}`}
          </text>
          <ToneCounts counts={toneCounts(row.pods)} right={right} y={mid} />
        </g>
      );
    case "empty":
      return (
        <text x={x + 12} y={mid + 4} className={styles.system}>
          no pods
        </text>
      );
  }
}

function podTitle(pod: PodView): string {
  const owner = pod.owner ? `, owned by ${pod.owner.kind} ${pod.owner.name}` : "";
  return `${pod.namespace}/${pod.name}: ${pod.status} ${pod.ready}${pod.restarts ? `, ${pod.restarts} restarts` : ""}, ${pod.ip ?? "no IP"}${pod.hostNetwork ? " (host network)" : ""}${pod.node ? ` on ${pod.node}` : ", not scheduled"}${owner}`;
}

function toneCounts(pods: PodView[]): [Tone, number][] {
  const counts = new Map<Tone, number>();
  for (const pod of pods) counts.set(podTone(pod), (counts.get(podTone(pod)) ?? 0) + 1);
  return TONES.filter((t) => counts.has(t)).map((t) => [t, counts.get(t)!]);
}

/** Per-tone counts, right-aligned at `right`: "● 10  ○ 2". */
function ToneCounts({ counts, right, y }: { counts: [Tone, number][]; right: number; y: number }) {
  const widths = counts.map(([, n]) => String(n).length * 6.6 + 16);
  const start = right - widths.reduce((a, b) => a + b, 0);
  return (
    <g>
      {counts.map(([tone, n], i) => {
        const x = start + widths.slice(0, i).reduce((a, b) => a + b, 0);
        return (
          <g key={tone}>
            <PodMark tone={tone} x={x + 5} y={y} />
            <text x={x + 13} y={y + 4} className={styles.countText}>
              {n}
            </text>
          </g>
        );
      })}
    </g>
  );
}

/** A pod's status as a shape as well as a colour: dot, half dot, ring, square, tick, dashed ring. */
export function PodMark({ tone, x, y }: { tone: Tone; x: number; y: number }) {
  const cls = `${styles.mark} ${styles[`mark_${tone}`]}`;
  switch (tone) {
    case "ok":
      return <circle cx={x} cy={y} r={4.5} className={cls} />;
    case "warn":
      return (
        <g className={cls}>
          <circle cx={x} cy={y} r={4.25} className={styles.markRing} />
          <path d={`M ${x} ${y - 4.25} A 4.25 4.25 0 0 0 ${x} ${y + 4.25} Z`} />
        </g>
      );
    case "progress":
      return <circle cx={x} cy={y} r={4} className={`${cls} ${styles.markRing}`} />;
    case "error":
      return <rect x={x - 4} y={y - 4} width={8} height={8} rx={1} className={cls} />;
    case "done":
      return <path d={`M ${x - 4} ${y} l 3 3 l 5 -6`} className={`${cls} ${styles.markTick}`} />;
    case "terminating":
      return <circle cx={x} cy={y} r={4} className={`${cls} ${styles.markRing} ${styles.markDashed}`} />;
  }
}

function ServiceCard({ box, hot, onHot }: { box: ServiceBox; hot: boolean; onHot: (key: string | null) => void }) {
  const s = box.service;
  const total = s.endpoints.length;
  const endpoints = total === 0 ? "no endpoints" : box.ready === total ? `${total} ${total === 1 ? "endpoint" : "endpoints"} ready` : `${box.ready} of ${total} endpoints ready`;
  const typeW = s.type.length * 6 + 12;
  return (
    <g
      className={`${styles.service} ${styles[`hue${box.hue}`]}`}
      data-hot={hot || undefined}
      data-service={box.key}
      onMouseEnter={() => onHot(box.key)}
      onMouseLeave={() => onHot(null)}
    >
      <title>{`Service ${box.key}: ${s.type} ${s.clusterIP}, ports ${s.ports}${s.externalIP && s.externalIP !== "<none>" ? `, external ${s.externalIP}` : ""}, ${endpoints}`}</title>
      <rect x={box.x} y={box.y} width={SERVICE_W} height={SERVICE_H} rx={9} />
      <text x={box.x + 10} y={box.y + 18} className={styles.serviceName}>
        {fit(s.namespace === "default" ? s.name : `${s.namespace}/${s.name}`, SERVICE_W - typeW - 26, 7)}
      </text>
      <g transform={`translate(${box.x + SERVICE_W - typeW - 8} ${box.y + 7})`} className={styles.serviceType}>
        <rect width={typeW} height={15} rx={4} />
        <text x={typeW / 2} y={11} textAnchor="middle">
          {s.type}
        </text>
      </g>
      <text x={box.x + 10} y={box.y + 34} className={styles.serviceAddr}>
        {fit(`${s.clusterIP} · ${s.ports}`, SERVICE_W - 20, MONO_CHAR)}
      </text>
      <text x={box.x + 10} y={box.y + 49} className={styles.serviceEndpoints} data-none={total === 0 || undefined}>
        {endpoints}
      </text>
    </g>
  );
}

function TraceLayer({ trace, outcome, animate, arrow }: { trace: TracePath; outcome: string; animate: boolean; arrow: string }) {
  const last = trace.points.at(-1);
  const failed = outcome !== "connected";
  return (
    <g className={styles.trace} data-animate={animate || undefined} data-outcome={outcome}>
      {trace.d ? (
        <>
          <path d={trace.d} className={styles.traceHalo} />
          <path d={trace.d} className={styles.traceLine} pathLength={1} markerEnd={arrow} />
        </>
      ) : null}
      {trace.points.map((p, i) => (
        <g key={p.n} className={styles.hop} style={{ animationDelay: animate ? `${(i / Math.max(1, trace.points.length - 1)) * 0.8}s` : undefined }}>
          <circle cx={p.x} cy={p.y} r={8.5} />
          <text x={p.x} y={p.y + 3.5} textAnchor="middle">
            {p.n}
          </text>
        </g>
      ))}
      {failed && last ? (
        <g className={styles.hopFailed} style={{ animationDelay: animate ? "0.9s" : undefined }}>
          <circle cx={last.x + 13} cy={last.y - 10} r={6.5} />
          <path d={`M ${last.x + 10.5} ${last.y - 12.5} l 5 5 m 0 -5 l -5 5`} />
        </g>
      ) : null}
    </g>
  );
}

function TraceCaption({ view }: { view: ClusterView }) {
  const trace = view.trace!;
  return (
    <div className={styles.caption} data-outcome={trace.outcome}>
      <p className={styles.captionTitle}>
        <span className={styles.captionLabel}>Last connection</span> {describeTrace(view)}
      </p>
      <ol className={styles.hops}>
        {trace.hops.map((hop, i) => (
          <li key={i}>
            <span className={styles.hopNumber} aria-hidden="true">
              {i + 1}
            </span>
            <span>
              {hop.pod ? `${hop.pod.namespace}/${hop.pod.name}` : `${hop.node} (host)`} <span className={styles.hopWhere}>{`${hop.address} on ${hop.node}`}</span> — {hop.detail}
            </span>
          </li>
        ))}
      </ol>
    </div>
  );
}

/** What the shapes and lines mean; folded under "Key" in the panel, where room is short. */
function Legend({ open }: { open: boolean }) {
  return (
    <details className={styles.key} open={open}>
      <summary>Key</summary>
      <LegendItems />
    </details>
  );
}

function LegendItems() {
  return (
    <ul className={styles.legend}>
      {TONES.map((tone) => (
        <li key={tone}>
          <svg width="12" height="12" viewBox="0 0 12 12" aria-hidden="true" focusable="false">
            <PodMark tone={tone} x={6} y={6} />
          </svg>
          {TONE_LABEL[tone]}
        </li>
      ))}
      <li>
        <svg width="22" height="12" viewBox="0 0 22 12" aria-hidden="true" focusable="false">
          <path d="M 1 6 H 21" className={styles.edge} data-ready="" />
        </svg>
        ready endpoint
      </li>
      <li>
        <svg width="22" height="12" viewBox="0 0 22 12" aria-hidden="true" focusable="false">
          <path d="M 1 6 H 21" className={styles.edge} />
        </svg>
        not ready
      </li>
    </ul>
  );
}

/** Everything the picture shows, as tables for screen readers. */
function Tables({ id, view }: { id: string; view: ClusterView }) {
  return (
    <div id={id} className="visually-hidden">
      <ViewTable
        caption="Nodes"
        columns={["Name", "Status", "Roles", "Internal IP", "Pod CIDR", "Taints"]}
        rowHeader={0}
        rows={view.nodes.map((n) => ({
          key: n.name,
          cells: [n.name, n.status, n.roles.join(",") || "<none>", n.internalIP ?? "", n.podCIDR ?? "", n.taints.map((t) => taintText(t)).join(", ") || "none"],
        }))}
      />
      <ViewTable
        caption="Pods"
        columns={["Namespace", "Name", "Ready", "Status", "IP", "Node"]}
        rowHeader={1}
        rows={view.pods.map((p) => ({
          key: `${p.namespace}/${p.name}`,
          cells: [p.namespace, p.name, p.ready, p.status, p.ip ?? "<none>", p.node ?? "<none>"],
        }))}
      />
      <ViewTable
        caption="Services"
        columns={["Namespace", "Name", "Type", "Cluster IP", "Ports", "Endpoints"]}
        rowHeader={1}
        rows={view.services.map((s) => ({
          key: `${s.namespace}/${s.name}`,
          cells: [
            s.namespace,
            s.name,
            s.type,
            s.clusterIP,
            s.ports,
            s.endpoints.length === 0 ? "none" : s.endpoints.map((e) => `${e.address}${e.pod ? ` (${e.pod.name})` : ""}${e.ready ? "" : " not ready"}`).join(", "),
          ],
        }))}
      />
    </div>
  );
}

/** One table of `Tables`: a caption, column headers, and rows whose `rowHeader` cell (the name) heads the row. */
function ViewTable({ caption, columns, rowHeader, rows }: { caption: string; columns: string[]; rowHeader: number; rows: { key: string; cells: string[] }[] }) {
  return (
    <table>
      <caption>{caption}</caption>
      <thead>
        <tr>
          {columns.map((column) => (
            <th key={column} scope="col">
              {column}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map(({ key, cells }) => (
          <tr key={key}>
            {cells.map((cell, i) =>
              i === rowHeader ? (
                <th key={i} scope="row">
                  {cell}
                </th>
              ) : (
                <td key={i}>{cell}</td>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
