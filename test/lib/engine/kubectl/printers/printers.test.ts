/**
 * The printers' own cases: `-o` parsing and its errors, the List wrapper, `-o name`, custom
 * columns, go-yaml's quoting and key order, Go's float formatting and tabwriter blocks.
 */
import { describe, expect, it } from "vitest";
import {
  type OutputFormat, formatFloatG, goJSON, goTabwrite, goYAML, parseOutputFormat, printObjects,
} from "@/lib/engine/kubectl/printers";

const must = (value: string, options = {}): OutputFormat => {
  const f = parseOutputFormat(value, options);
  if ("error" in f) throw new Error(f.error);
  return f;
};
const pod = (name: string, ip?: string, ports: number[] = []) => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace: "default", labels: { app: name } },
  spec: { containers: [{ name: "c", image: "nginx", ports: ports.map((p) => ({ containerPort: p })) }] },
  status: ip ? { podIP: ip } : {},
});

describe("parseOutputFormat", () => {
  const GET = "custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml";
  it.each([
    ["foo", `error: unable to match a printer suitable for the output format "foo", allowed formats are: ${GET}\n`],
    ["JSONPATH={.kind}", `error: unable to match a printer suitable for the output format "JSONPATH={.kind}", allowed formats are: ${GET}\n`],
    ["jsonpath", "error: template format specified but no template given\n"],
    ["jsonpath={.a", "error: error parsing jsonpath {.a, unclosed action\n"],
    ["jsonpath-file=/nope", "error: error reading --template /nope, open /nope: no such file or directory\n"],
    ["go-template={{.kind}}", "error: go-template output is not supported in this terminal\n"],
    ["custom-columns=", "error: custom-columns format specified but no custom columns given\n"],
    ["custom-columns=NAME", "error: unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>\n"],
    [
      "custom-columns=A:{.x",
      "error: unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'\n",
    ],
    ["custom-columns-file=/cols", "error: error reading template /cols, open /cols: no such file or directory\n"],
  ])("%s", (value, error) => expect(parseOutputFormat(value)).toEqual({ error }));

  it("is case-insensitive for yaml, json and name only", () => {
    expect(parseOutputFormat("YAML")).toEqual({ type: "yaml" });
    expect(parseOutputFormat("Name")).toEqual({ type: "name" });
    expect(parseOutputFormat("")).toEqual({ type: "human" });
    expect(parseOutputFormat("wide")).toEqual({ type: "wide" });
  });

  it("offers no tables or custom columns outside get", () => {
    const err = parseOutputFormat("wide", { command: "generic" });
    expect(err).toEqual({
      error:
        'error: unable to match a printer suitable for the output format "wide", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml\n',
    });
  });

  it("reads template files through the caller", () => {
    const files: Record<string, string> = { "/t": "{.metadata.name}", "/c": "NAME   IP\n.metadata.name   {.status.podIP}\n" };
    const f = must("jsonpath-file=/t", { readFile: (p: string) => files[p] });
    expect(printObjects([pod("web")], f, { list: false })).toEqual({ ok: true, text: "web" });
    const c = must("custom-columns-file=/c", { readFile: (p: string) => files[p] });
    expect(printObjects([pod("web", "10.244.1.5")], c, { list: false })).toEqual({ ok: true, text: "NAME   IP\nweb    10.244.1.5\n" });
  });
});

describe("printObjects", () => {
  it("wraps list requests in a kind: List", () => {
    const r = printObjects([], must("yaml"), { list: true });
    expect(r).toEqual({ ok: true, text: 'apiVersion: v1\nitems: []\nkind: List\nmetadata:\n  resourceVersion: ""\n' });
    const j = printObjects([{ apiVersion: "v1", kind: "Namespace", metadata: { name: "a" } }], must("json"), { list: true });
    expect(j.ok && j.text).toBe(
      '{\n    "apiVersion": "v1",\n    "items": [\n        {\n            "apiVersion": "v1",\n            "kind": "Namespace",\n' +
        '            "metadata": {\n                "name": "a"\n            }\n        }\n    ],\n    "kind": "List",\n' +
        '    "metadata": {\n        "resourceVersion": ""\n    }\n}\n',
    );
  });

  it("separates single objects with --- in YAML", () => {
    const r = printObjects([{ kind: "A" }, { kind: "B" }], must("yaml"), { list: false });
    expect(r).toEqual({ ok: true, text: "kind: A\n---\nkind: B\n" });
  });

  it("names objects kind.group/name", () => {
    const objs = [pod("web"), { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web" } }, { apiVersion: "v1", kind: "Pod", metadata: {} }];
    expect(printObjects(objs, must("name"), { list: true })).toEqual({ ok: true, text: "pod/web\ndeployment.apps/web\npod/<unknown>\n" });
  });

  it("walks maps in sorted key order for `*` and `..` (Go leaves it random)", () => {
    const obj = { kind: "X", metadata: { name: "x", labels: { b: "2", a: "1" } }, spec: { containers: [{ image: "x" }, { image: "y", sidecar: { image: "z" } }] } };
    expect(printObjects([obj], must("jsonpath={.metadata.labels.*}"), { list: false })).toEqual({ ok: true, text: "1 2" });
    expect(printObjects([obj], must("jsonpath={..image}"), { list: false })).toEqual({ ok: true, text: "x y z" });
  });

  it("runs JSONPath over the List for list requests", () => {
    const r = printObjects([pod("a"), pod("b")], must("jsonpath={.items[*].metadata.name}"), { list: true });
    expect(r).toEqual({ ok: true, text: "a b" });
  });

  it("prints custom columns with <none>, comma-joined values and kubectl's tabwriter", () => {
    const f = must("custom-columns=NAME:.metadata.name,IP:.status.podIP,PORTS:.spec.containers[*].ports[*].containerPort,L:metadata.labels");
    const r = printObjects([pod("web", "10.244.1.5", [80, 443]), pod("db")], f, { list: true });
    expect(r).toEqual({
      ok: true,
      text: "NAME   IP           PORTS    L\nweb    10.244.1.5   80,443   map[app:web]\ndb     <none>       <none>   map[app:db]\n",
    });
    expect(printObjects([pod("db")], f, { list: false, noHeaders: true })).toEqual({ ok: true, text: "db    <none>   <none>   map[app:db]\n" });
  });

  it("reports JSONPath failures inside custom columns plainly", () => {
    const r = printObjects([pod("web")], must("custom-columns=X:.spec.containers[3]"), { list: false });
    expect(r).toEqual({ ok: false, message: "error: array index out of bounds: index 3, length 1\n" });
  });
});

describe("go-yaml details", () => {
  it.each([
    ["numbers as strings", { a: "80", b: "1.5", c: "0x10", d: "1e3" }, 'a: "80"\nb: "1.5"\nc: "0x10"\nd: "1e3"\n'],
    ["booleans and nulls as strings", { a: "true", b: "yes", c: "off", d: "~", e: "", f: "null" }, 'a: "true"\nb: "yes"\nc: "off"\nd: "~"\ne: ""\nf: "null"\n'],
    ["indicators", { a: "*", b: "-", c: "- x", d: "a: b", e: "#c", f: "x#y", g: "key:value" }, "a: '*'\nb: '-'\nc: '- x'\nd: 'a: b'\ne: '#c'\nf: x#y\ng: key:value\n"],
    ["multi-line", { a: "x\ny\n", b: "x\ny", c: "x\n\n" }, "a: |\n  x\n  y\nb: |-\n  x\n  y\nc: |+\n  x\n\n"],
    ["nested sequences", { a: [[1, 2], [], [{}], [{ b: null }]] }, "a:\n- - 1\n  - 2\n- []\n- - {}\n- - b: null\n"],
    ["long keys become complex keys", { ["k".repeat(129)]: 1 }, `? ${"k".repeat(129)}\n: 1\n`],
    ["floats", { a: 1.5, b: 1e-7, c: 1234567.5, d: 1e21 }, "a: 1.5\nb: 1e-07\nc: 1.2345675e+06\nd: 1e+21\n"],
  ])("%s", (_name, value, expected) => expect(goYAML(value)).toBe(expected));

  it("orders keys with digit runs compared as numbers", () => {
    expect(Object.keys(parseKeys(goYAML({ a10: 1, a9: 1, "a~": 1, aB: 1, ab: 1, a: 1 })))).toEqual(["a", "a~", "a9", "a10", "aB", "ab"]);
  });
});

/** The top-level keys of a flat YAML mapping, in printed order. */
function parseKeys(text: string): Record<string, true> {
  return Object.fromEntries(text.trim().split("\n").map((l) => [l.split(":")[0], true]));
}

describe("Go formatting", () => {
  it.each([
    [1, "1"], [1.5, "1.5"], [0.0001, "0.0001"], [0.00001, "1e-05"], [123456.5, "123456.5"], [1000000, "1e+06"], [-2.5e-7, "-2.5e-07"],
  ])("FormatFloat(%s, 'g')", (n, s) => expect(formatFloatG(n)).toBe(s));

  it("escapes JSON as encoding/json does", () => {
    expect(goJSON({ s: "<a&b>\u2028\b\f\u0001é" }, { indent: "" })).toBe('{"s":"\\u003ca\\u0026b\\u003e\\u2028\\b\\f\\u0001é"}');
  });

  it("aligns tabwriter columns per block of lines (a line without a tab ends a block)", () => {
    const text = "Name:\tweb\nIPs:\n  IP:\t10.0.0.1\nControlled By:\tReplicaSet/web\nNamespace:\tdefault\n";
    expect(goTabwrite(text, { minWidth: 0, padding: 2 })).toBe(
      "Name:  web\nIPs:\n  IP:           10.0.0.1\nControlled By:  ReplicaSet/web\nNamespace:      default\n",
    );
  });
});
