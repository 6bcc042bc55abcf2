/**
 * `/etc/exports` as nfs-utils 2.6 reads it (exports(5)): one export per line, a path and the
 * clients allowed to mount it, each with its options in parentheses; `*`, a CIDR, an address
 * or a host name (wildcards allowed) name the client. Options default as nfs-utils' do (ro,
 * sync, wdelay, hide, no_subtree_check, secure, root_squash), and `exportfs -v` prints every
 * effective option in nfs-utils' order. A line nfs-utils would refuse is an error with its
 * text, so `exportfs -ra` reports it.
 *
 * @example
 * const { exports } = parseExports("/srv/nfs/share 172.30.1.0/24(rw,sync,no_subtree_check)\n");
 * clientAllowed(exports[0], { ip: parseIP("172.30.1.3")!, names: ["node01"] }); // { rw: true, … }
 */
import { parseCIDR, parseIP } from "../util/ipv4";

export interface ExportOptions {
  rw: boolean;
  sync: boolean;
  wdelay: boolean;
  hide: boolean;
  subtreeCheck: boolean;
  secure: boolean;
  rootSquash: boolean;
  allSquash: boolean;
  fsid?: string;
}

export interface ExportClient {
  /** As written: `*`, `172.30.1.0/24`, `node01`, `node*`. */
  spec: string;
  options: ExportOptions;
}

export interface ExportEntry {
  path: string;
  clients: ExportClient[];
}

const DEFAULTS: ExportOptions = Object.freeze({ rw: false, sync: true, wdelay: true, hide: true, subtreeCheck: false, secure: true, rootSquash: true, allSquash: false });

/** Applies one option word to `o`; false when nfs-utils does not know it. */
function applyOption(o: ExportOptions, word: string): boolean {
  const [name, value] = word.split("=", 2);
  const flags: Record<string, [keyof ExportOptions, boolean]> = {
    rw: ["rw", true], ro: ["rw", false], sync: ["sync", true], async: ["sync", false], wdelay: ["wdelay", true], no_wdelay: ["wdelay", false],
    hide: ["hide", true], nohide: ["hide", false], subtree_check: ["subtreeCheck", true], no_subtree_check: ["subtreeCheck", false],
    secure: ["secure", true], insecure: ["secure", false], root_squash: ["rootSquash", true], no_root_squash: ["rootSquash", false],
    all_squash: ["allSquash", true], no_all_squash: ["allSquash", false],
  };
  if (value === undefined && name in flags) {
    const [key, on] = flags[name];
    (o as unknown as Record<string, boolean>)[key] = on;
    return true;
  }
  if (name === "fsid" && value !== undefined) {
    o.fsid = value;
    return true;
  }
  return name === "sec" && value !== undefined;
}

/** Parses an exports file; errors carry nfs-utils' words and the line number. */
export function parseExports(text: string, file = "/etc/exports"): { exports: ExportEntry[]; errors: string[] } {
  const exports: ExportEntry[] = [];
  const errors: string[] = [];
  const lines = text.replace(/\\\n/g, " ").split("\n");
  lines.forEach((raw, index) => {
    const line = raw.replace(/#.*/, "").trim();
    if (!line) return;
    const words = line.split(/\s+/);
    const path = words[0].replace(/^"(.*)"$/, "$1");
    if (!path.startsWith("/")) {
      errors.push(`exportfs: ${file}:${index + 1}: bad path "${path}"`);
      return;
    }
    const entry: ExportEntry = { path, clients: [] };
    for (const word of words.slice(1)) {
      const m = /^([^(]*)(?:\((.*)\))?$/.exec(word);
      if (!m) {
        errors.push(`exportfs: ${file}:${index + 1}: syntax error: bad option list`);
        return;
      }
      const options = { ...DEFAULTS };
      for (const opt of (m[2] ?? "").split(",").filter(Boolean)) {
        if (!applyOption(options, opt)) {
          errors.push(`exportfs: ${file}:${index + 1}: unknown keyword "${opt}"`);
          return;
        }
      }
      entry.clients.push({ spec: m[1] || "*", options });
    }
    // A path with no client is exported to the world, with a warning from exportfs.
    if (entry.clients.length === 0) entry.clients.push({ spec: "*", options: { ...DEFAULTS } });
    exports.push(entry);
  });
  return { exports, errors };
}

function globMatch(pattern: string, name: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`);
  return re.test(name);
}

/** Whether a client spec names the client (its address and the names its address resolves to on the server). */
export function clientMatches(spec: string, client: { ip: number; names: readonly string[] }): boolean {
  if (spec === "*") return true;
  if (spec.includes("/")) {
    const cidr = parseCIDR(spec);
    if (!cidr) return false;
    const mask = cidr.prefix === 0 ? 0 : (0xffffffff << (32 - cidr.prefix)) >>> 0;
    return ((client.ip & mask) >>> 0) === ((cidr.base & mask) >>> 0);
  }
  const literal = parseIP(spec);
  if (literal !== undefined) return literal === client.ip;
  return client.names.some((n) => (spec.includes("*") || spec.includes("?") ? globMatch(spec, n) : n === spec));
}

/** The options the first client spec that names the client grants, as mountd picks them. */
export function clientAllowed(entry: ExportEntry, client: { ip: number; names: readonly string[] }): ExportOptions | undefined {
  return entry.clients.find((c) => clientMatches(c.spec, client))?.options;
}

/** Every effective option, in the order `exportfs -v` prints them (nfs-utils' dump and secinfo_show). */
export function optionText(o: ExportOptions): string {
  const words = [o.sync ? "sync" : "async", o.wdelay ? "wdelay" : "no_wdelay", o.hide ? "hide" : "nohide"];
  if (!o.subtreeCheck) words.push("no_subtree_check");
  if (o.fsid !== undefined) words.push(`fsid=${o.fsid}`);
  words.push("sec=sys", o.rw ? "rw" : "ro", o.secure ? "secure" : "insecure", o.rootSquash ? "root_squash" : "no_root_squash", o.allSquash ? "all_squash" : "no_all_squash");
  return words.join(",");
}

/** `exportfs -v`: the path padded to 14 columns, or alone on its line when longer. */
export function formatExportTable(exports: readonly ExportEntry[], verbose: boolean): string {
  let out = "";
  for (const e of exports) {
    for (const c of e.clients) {
      const client = c.spec === "*" ? "<world>" : c.spec;
      const head = e.path.length > 14 ? `${e.path}\n\t\t${client}` : `${e.path.padEnd(14)}\t${client}`;
      out += verbose ? `${head}(${optionText(c.options)})\n` : `${head}\n`;
    }
  }
  return out;
}
