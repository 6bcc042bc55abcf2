// The routing decision against the Kubernetes Ingress documentation's matching examples
// (concepts/services-networking/ingress, "Examples" and "Hostname wildcards"), the precedence
// rules (longest match, Exact before Prefix), ImplementationSpecific as an nginx prefix, hosts
// grouped into servers, merged Ingresses, default backends and class filtering.
import { describe, expect, it } from "vitest";
import { normalizePath } from "@/lib/engine/net/ingress";
import { backendFor, ingress, modelOf, type Path } from "./fixtures";

const P = (path: string, service = "svc"): Path => ({ path, pathType: "Prefix", service });
const E = (path: string, service = "svc"): Path => ({ path, pathType: "Exact", service });
const I = (path: string, service = "svc"): Path => ({ path, pathType: "ImplementationSpecific", service });

describe("path matching: the Kubernetes documentation's table", () => {
  // [paths of the Ingress, request path, the backend that answers ("default": no match)]
  const table: [string, Path[], string, string][] = [
    ["Prefix / matches every path", [P("/")], "/anything/at/all", "svc"],
    ["Exact /foo matches /foo", [E("/foo")], "/foo", "svc"],
    ["Exact /foo does not match /bar", [E("/foo")], "/bar", "default"],
    ["Exact /foo does not match /foo/", [E("/foo")], "/foo/", "default"],
    ["Exact /foo/ does not match /foo", [E("/foo/")], "/foo", "default"],
    ["Prefix /foo matches /foo", [P("/foo")], "/foo", "svc"],
    ["Prefix /foo matches /foo/", [P("/foo")], "/foo/", "svc"],
    ["Prefix /foo/ matches /foo (trailing slash ignored)", [P("/foo/")], "/foo", "svc"],
    ["Prefix /foo/ matches /foo/", [P("/foo/")], "/foo/", "svc"],
    ["Prefix /aaa/bb does not match /aaa/bbb", [P("/aaa/bb")], "/aaa/bbb", "default"],
    ["Prefix /aaa/bbb matches /aaa/bbb", [P("/aaa/bbb")], "/aaa/bbb", "svc"],
    ["Prefix /aaa/bbb/ matches /aaa/bbb", [P("/aaa/bbb/")], "/aaa/bbb", "svc"],
    ["Prefix /aaa/bbb matches /aaa/bbb/", [P("/aaa/bbb")], "/aaa/bbb/", "svc"],
    ["Prefix /aaa/bbb matches the subpath /aaa/bbb/ccc", [P("/aaa/bbb")], "/aaa/bbb/ccc", "svc"],
    ["Prefix /aaa/bbb does not match the string prefix /aaa/bbbxyz", [P("/aaa/bbb")], "/aaa/bbbxyz", "default"],
    ["Prefix / and /aaa: /aaa/ccc takes /aaa", [P("/", "root"), P("/aaa", "aaa")], "/aaa/ccc", "aaa"],
    ["Prefix /, /aaa, /aaa/bbb: /aaa/bbb takes /aaa/bbb", [P("/", "root"), P("/aaa", "aaa"), P("/aaa/bbb", "bbb")], "/aaa/bbb", "bbb"],
    ["Prefix /, /aaa, /aaa/bbb: /ccc takes /", [P("/", "root"), P("/aaa", "aaa"), P("/aaa/bbb", "bbb")], "/ccc", "root"],
    ["Prefix /aaa: /ccc goes to the default backend", [P("/aaa")], "/ccc", "default"],
    ["Prefix /foo and Exact /foo: /foo prefers Exact", [P("/foo", "prefix"), E("/foo", "exact")], "/foo", "exact"],
    ["Prefix /foo and Exact /foo: /foo/x takes the Prefix", [P("/foo", "prefix"), E("/foo", "exact")], "/foo/x", "prefix"],
    ["Exact listed after Prefix still wins at equal length", [E("/foo", "exact"), P("/foo", "prefix")], "/foo", "exact"],
    ["the longest Prefix wins whatever the order", [P("/a/b/c", "deep"), P("/a", "shallow")], "/a/b/c/d", "deep"],
    ["ImplementationSpecific is an nginx prefix: /foo matches /foobar", [I("/foo")], "/foobar", "svc"],
    ["ImplementationSpecific /foo matches /foo/bar", [I("/foo")], "/foo/bar", "svc"],
    ["ImplementationSpecific /foo does not match /fo", [I("/foo")], "/fo", "default"],
    ["paths are case-sensitive", [P("/Foo")], "/foo", "default"],
    ["merged slashes and dot segments are normalised first", [P("/aaa/bbb")], "//aaa/./bbb/", "svc"],
    ["percent-encoded paths are decoded first", [E("/a b")], "/a%20b", "svc"],
  ];
  for (const [name, paths, request, expected] of table) {
    it(name, () => {
      const model = modelOf(ingress("ing", [{ host: "foo.bar.com", paths }]));
      expect(backendFor(model, "foo.bar.com", request)).toBe(expected);
    });
  }
});

describe("hosts", () => {
  const model = modelOf(
    ingress("hosts", [
      { host: "foo.bar.com", paths: [P("/", "foo")] },
      { host: "*.foo.com", paths: [P("/", "wild")] },
      { paths: [P("/", "any")] },
    ]),
  );
  const table: [string, string][] = [
    ["foo.bar.com", "foo"],
    ["FOO.bar.com:80", "foo"],
    ["bar.foo.com", "wild"],
    ["baz.bar.foo.com", "any"],
    ["foo.com", "any"],
    ["10.0.0.1", "any"],
    ["", "any"],
  ];
  for (const [host, expected] of table) {
    it(`Host ${JSON.stringify(host)} reaches ${expected}`, () => expect(backendFor(model, host, "/")).toBe(expected));
  }

  it("a request whose Host matches a server uses only that server's locations", () => {
    const m = modelOf(ingress("a", [{ host: "a.example.com", paths: [P("/app", "a")] }, { paths: [P("/other", "catch")] }]));
    expect(backendFor(m, "a.example.com", "/other")).toBe("default");
    expect(backendFor(m, "b.example.com", "/other")).toBe("catch");
  });

  it("servers are the catch-all first, then hosts in order", () => {
    expect(model.servers.map((s) => s.host)).toEqual(["_", "*.foo.com", "foo.bar.com"]);
  });
});

describe("several Ingresses", () => {
  it("Ingresses for one host are merged into its server", () => {
    const m = modelOf(ingress("coffee", [{ host: "cafe.example.com", paths: [P("/coffee", "coffee")] }]), ingress("tea", [{ host: "cafe.example.com", paths: [P("/tea", "tea")] }]));
    expect(m.servers.filter((s) => s.host === "cafe.example.com")).toHaveLength(1);
    expect(backendFor(m, "cafe.example.com", "/coffee/latte")).toBe("coffee");
    expect(backendFor(m, "cafe.example.com", "/tea")).toBe("tea");
  });

  it("the same path in two Ingresses keeps the older one's backend", () => {
    const m = modelOf(ingress("first", [{ host: "h.example.com", paths: [P("/", "first")] }]), ingress("second", [{ host: "h.example.com", paths: [P("/", "second")] }]));
    expect(backendFor(m, "h.example.com", "/")).toBe("first");
    expect(m.skipped[0].ingress).toBe("default/second");
  });
});

describe("default backends", () => {
  it("an Ingress with only spec.defaultBackend takes over the catch-all", () => {
    const m = modelOf(ingress("fallback", [], { defaultBackend: "fallback" }));
    expect(backendFor(m, "anything.example", "/x")).toBe("fallback");
  });

  it("with rules, spec.defaultBackend answers its hosts' unmatched paths", () => {
    const m = modelOf(ingress("app", [{ host: "app.example.com", paths: [P("/api", "api")] }], { defaultBackend: "web" }));
    expect(backendFor(m, "app.example.com", "/api/v1")).toBe("api");
    expect(backendFor(m, "app.example.com", "/index.html")).toBe("web");
    expect(backendFor(m, "other.example.com", "/")).toBe("default");
  });
});

describe("classes", () => {
  it("an Ingress without a class, or of another class, is not served", () => {
    const m = modelOf(ingress("none", [{ host: "a.example.com", paths: [P("/", "a")] }], { className: null }), ingress("other", [{ host: "b.example.com", paths: [P("/", "b")] }], { className: "traefik" }));
    expect(m.ingresses).toEqual([]);
    expect(backendFor(m, "a.example.com", "/")).toBe("default");
    expect(backendFor(m, "b.example.com", "/")).toBe("default");
  });

  it("the old kubernetes.io/ingress.class annotation still selects nginx", () => {
    const m = modelOf(ingress("legacy", [{ host: "a.example.com", paths: [P("/", "a")] }], { className: null, annotations: { "kubernetes.io/ingress.class": "nginx" } }));
    expect(backendFor(m, "a.example.com", "/")).toBe("a");
  });
});

describe("regex paths and rewrite-target", () => {
  const m = modelOf(
    ingress("rewrite", [{ host: "r.example.com", paths: [I("/something(/|$)(.*)", "svc")] }], { annotations: { "nginx.ingress.kubernetes.io/rewrite-target": "/$2" } }),
    ingress("plain", [{ host: "r.example.com", paths: [P("/static", "static")] }]),
  );
  it("every path of the host becomes a case-insensitive regex location", () => {
    const server = m.servers.find((s) => s.host === "r.example.com")!;
    expect(server.regex).toBe(true);
    expect(server.locations.map((l) => `${l.kind} ${l.path}`)).toEqual(["regex /static/", "exact /static", "regex /something(/|$)(.*)", "prefix /"]);
    expect(backendFor(m, "r.example.com", "/SOMETHING/new")).toBe("svc");
    expect(backendFor(m, "r.example.com", "/static/app.js")).toBe("static");
  });
});

describe("normalizePath", () => {
  it("resolves what nginx resolves", () => {
    expect(normalizePath("/a//b/./c/../d")).toBe("/a/b/d");
    expect(normalizePath("/a/")).toBe("/a/");
    expect(normalizePath("/")).toBe("/");
  });
});
