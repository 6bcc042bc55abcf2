// /etc/exports as nfs-utils reads it: defaults, client specs, errors, and `exportfs -v`'s lines.
import { describe, expect, it } from "vitest";
import { clientAllowed, clientMatches, formatExportTable, optionText, parseExports } from "@/lib/engine/storage";
import { parseIP } from "@/lib/engine/util/ipv4";

const client = (ip: string, names: string[] = []) => ({ ip: parseIP(ip)!, names });

describe("parseExports", () => {
  it("reads paths, clients and options, with nfs-utils' defaults for what is not said", () => {
    const { exports, errors } = parseExports("# comment\n/srv/a 10.0.0.0/8(rw,no_root_squash) node01(ro)\n\n/srv/b\n");
    expect(errors).toEqual([]);
    expect(exports.map((e) => [e.path, e.clients.map((c) => c.spec)])).toEqual([["/srv/a", ["10.0.0.0/8", "node01"]], ["/srv/b", ["*"]]]);
    expect(optionText(exports[0].clients[0].options)).toBe("sync,wdelay,hide,no_subtree_check,sec=sys,rw,secure,no_root_squash,no_all_squash");
    // ro, root_squash, sync and no_subtree_check are the defaults.
    expect(optionText(exports[1].clients[0].options)).toBe("sync,wdelay,hide,no_subtree_check,sec=sys,ro,secure,root_squash,no_all_squash");
  });

  it("reports unknown options and relative paths with the file and line", () => {
    expect(parseExports("/srv/a *(rw,bogus)\nrelative *(rw)\n").errors).toEqual([
      'exportfs: /etc/exports:1: unknown keyword "bogus"',
      'exportfs: /etc/exports:2: bad path "relative"',
    ]);
  });
});

describe("client specs", () => {
  it.each([
    ["*", "172.30.1.3", [], true],
    ["172.30.1.0/24", "172.30.1.3", [], true],
    ["172.30.1.0/24", "172.30.2.3", [], false],
    ["172.30.1.3", "172.30.1.3", [], true],
    ["172.30.1.3", "172.30.1.4", [], false],
    ["node01", "172.30.1.3", ["node01"], true],
    ["node01", "172.30.1.4", ["node02"], false],
    ["node*", "172.30.1.4", ["node02"], true],
    ["0.0.0.0/0", "8.8.8.8", [], true],
  ])("%s names %s (%j): %s", (spec, ip, names, expected) => {
    expect(clientMatches(spec, client(ip, names))).toBe(expected);
  });

  it("takes the options of the first spec that names the client", () => {
    const [entry] = parseExports("/srv/a 172.30.1.3(rw) 172.30.1.0/24(ro)\n").exports;
    expect(clientAllowed(entry, client("172.30.1.3"))?.rw).toBe(true);
    expect(clientAllowed(entry, client("172.30.1.4"))?.rw).toBe(false);
    expect(clientAllowed(entry, client("10.0.0.1"))).toBeUndefined();
  });
});

describe("exportfs's table", () => {
  it("pads short paths to 14 columns and puts long ones on their own line", () => {
    const { exports } = parseExports("/srv/nfs/share 172.30.1.0/24(rw,sync,no_subtree_check)\n/srv/nfs/kubernetes *(rw)\n");
    expect(formatExportTable(exports, false)).toBe("/srv/nfs/share\t172.30.1.0/24\n/srv/nfs/kubernetes\n\t\t<world>\n");
    expect(formatExportTable(exports, true).split("\n")[0]).toBe("/srv/nfs/share\t172.30.1.0/24(sync,wdelay,hide,no_subtree_check,sec=sys,rw,secure,root_squash,no_all_squash)");
  });
});
