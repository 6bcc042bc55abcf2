import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { clusterView, createCluster } from "@/lib/engine";
import DiagramView from "@/app/_components/diagram/DiagramView";

/** The screen-reader tables DiagramView renders beside the drawing, for an engine's cluster. */
async function tables(): Promise<string> {
  const c = createCluster({ scenario: "three-node-calico", seed: 1 });
  const sh = c.shell();
  await sh.run("kubectl create deployment web --image=nginx --replicas=2");
  await sh.run("kubectl expose deployment web --port=80");
  await sh.run("kubectl create service clusterip empty --tcp=81:81");
  await sh.run("kubectl taint node node01 dedicated=web:NoSchedule");
  await sh.run("sleep 40");
  const html = renderToStaticMarkup(createElement(DiagramView, { view: clusterView(c) }));
  return /<div id="[^"]*-tables" class="visually-hidden">.*<\/table><\/div>/s.exec(html)![0];
}

/** Each table's caption, header cells and rows, as text (a row's first `th` marked with `*`). */
function read(html: string): { caption: string; head: string[]; rows: string[][] }[] {
  const text = (s: string) => s.replace(/<[^>]+>/g, "").replace(/&lt;/g, "<").replace(/&gt;/g, ">");
  return [...html.matchAll(/<table>(.*?)<\/table>/gs)].map(([, t]) => ({
    caption: text(/<caption>(.*?)<\/caption>/.exec(t)![1]),
    head: [...t.matchAll(/<th scope="col">(.*?)<\/th>/g)].map((m) => text(m[1])),
    rows: [...t.matchAll(/<tbody>(.*)<\/tbody>/gs)].flatMap(([, b]) =>
      [...b.matchAll(/<tr>(.*?)<\/tr>/gs)].map(([, r]) => [...r.matchAll(/<(th scope="row"|td)>(.*?)<\/(?:th|td)>/gs)].map((m) => (m[1] === "td" ? "" : "*") + text(m[2])))),
  }));
}

describe("<DiagramView/>'s tables for screen readers", () => {
  it("lists nodes, pods and Services, each row headed by its name", async () => {
    const [nodes, pods, services] = read(await tables());
    expect(nodes.caption).toBe("Nodes");
    expect(nodes.head).toEqual(["Name", "Status", "Roles", "Internal IP", "Pod CIDR", "Taints"]);
    expect(nodes.rows.map((r) => r[0])).toEqual(["*controlplane", "*node01", "*node02"]);
    expect(nodes.rows.find((r) => r[0] === "*node01")!.at(-1)).toBe("dedicated=web:NoSchedule");
    expect(nodes.rows.find((r) => r[0] === "*node02")!.at(-1)).toBe("none");

    expect(pods.caption).toBe("Pods");
    expect(pods.head).toEqual(["Namespace", "Name", "Ready", "Status", "IP", "Node"]);
    const web = pods.rows.filter((r) => r[1].startsWith("*web-"));
    expect(web).toHaveLength(2);
    for (const row of web) {
      expect(row.slice(0, 1)).toEqual(["default"]);
      expect(row.slice(2, 4)).toEqual(["1/1", "Running"]);
      expect(row[4]).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    }

    expect(services.caption).toBe("Services");
    expect(services.head).toEqual(["Namespace", "Name", "Type", "Cluster IP", "Ports", "Endpoints"]);
    const webService = services.rows.find((r) => r[1] === "*web")!;
    expect(webService[2]).toBe("ClusterIP");
    expect(webService[5].split(", ")).toHaveLength(2);
    expect(webService[5]).toMatch(/^\d+\.\d+\.\d+\.\d+ \(web-[^)]+\), \d+/);
    expect(services.rows.find((r) => r[1] === "*empty")![5]).toBe("none");
  });
});
