/**
 * The routing decision nginx makes with ingress-nginx's configuration: the server by the Host
 * header (exact name, then a one-label `*.` wildcard as ingress-nginx writes it —
 * `~^(?<subdomain>[\w-]+)\.example\.com$` — else the catch-all `_`), then the location in that
 * server only, as nginx chooses one: an exact `=` match wins; otherwise the longest plain
 * prefix, unless a regex location (`~*`, tried in config order) matches first.
 *
 * @example
 * route(model, "foo.bar.com", "/foo/x"); // { server, location: { path: "/foo/", upstream: "default-service1-4200", … } }
 */
import { CATCH_ALL, type IngressModel, type Location, type Server } from "./types";

export interface Route {
  server: Server;
  location: Location;
  /** The regex match of a regex location (its capture groups feed `rewrite-target`). */
  match?: RegExpExecArray;
}

/** The servers of a model indexed for lookups (built once per model). */
export class ServerIndex {
  private readonly exact = new Map<string, Server>();
  private readonly wildcard = new Map<string, Server>();
  readonly catchAll: Server;

  constructor(model: IngressModel) {
    for (const s of model.servers) {
      if (s.host.startsWith("*.")) this.wildcard.set(s.host.slice(2), s);
      else this.exact.set(s.host, s);
    }
    this.catchAll = this.exact.get(CATCH_ALL)!;
  }

  /** The server for a Host header (port stripped, case-folded). */
  server(hostHeader: string | undefined): Server {
    const host = (hostHeader ?? "").replace(/:\d+$/, "").replace(/\.$/, "").toLowerCase();
    const exact = host && host !== CATCH_ALL ? this.exact.get(host) : undefined;
    if (exact) return exact;
    const dot = host.indexOf(".");
    if (dot > 0 && /^[\w-]+$/.test(host.slice(0, dot))) {
      const wild = this.wildcard.get(host.slice(dot + 1));
      if (wild) return wild;
    }
    return this.catchAll;
  }

}

/**
 * Compiled location regexes by (frozen, shared) location: a module-level cache, since a RegExp
 * is not plain data a cluster fork could copy.
 */
const COMPILED = new WeakMap<Location, RegExp>();

function regexOf(location: Location): RegExp {
  let re = COMPILED.get(location);
  if (!re) COMPILED.set(location, (re = locationRegex(location.path)));
  return re;
}

/** nginx's `~*` location regex for a path: anchored at the start, case-insensitive. */
export function locationRegex(path: string): RegExp {
  try {
    return new RegExp(`^${path}`, "i");
  } catch {
    // nginx would refuse the configuration; a path that is no regex matches only itself.
    return new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`, "i");
  }
}

/** nginx's location choice in one server for a normalised URI path. */
export function chooseLocation(server: Server, path: string): Route {
  let longest: Location | undefined;
  for (const l of server.locations) {
    if (l.kind === "exact") {
      if (l.path === path) return { server, location: l };
    } else if (l.kind === "prefix" && path.startsWith(l.path) && (!longest || l.path.length > longest.path.length)) {
      longest = l;
    }
  }
  for (const l of server.locations) {
    if (l.kind !== "regex") continue;
    const match = regexOf(l).exec(path);
    if (match) return { server, location: l, match };
  }
  return { server, location: longest ?? server.locations[server.locations.length - 1] };
}

/** The server and location a request for `host` and `path` reaches. */
export function route(index: ServerIndex, host: string | undefined, path: string): Route {
  const server = index.server(host);
  return chooseLocation(server, normalizePath(path));
}

/**
 * nginx's URI normalisation before matching: percent-decoding, merged slashes, `.` and `..`
 * segments resolved (a `..` above the root is a 400 in nginx; here it stays at the root).
 */
export function normalizePath(raw: string): string {
  let path: string;
  try {
    path = decodeURIComponent(raw);
  } catch {
    path = raw;
  }
  const out: string[] = [];
  const parts = path.split("/");
  for (let i = 1; i < parts.length; i++) {
    const p = parts[i];
    if (p === "" && i < parts.length - 1) continue;
    if (p === ".") continue;
    if (p === "..") out.pop();
    else out.push(p);
  }
  return `/${out.join("/")}`;
}
