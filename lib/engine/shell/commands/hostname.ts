import { done } from "../command-kit";
import type { Command } from "../types";

/** `hostname`: the host's name; -I its addresses (with GNU's trailing space). */
export const hostname: Command = {
  name: "hostname",
  summary: "show or set the system's host name",
  usage: "hostname [-s] [-f] [-i] [-I]",
  description: "Display the system's hostname, or its addresses.",
  spec: {
    flags: [
      { name: "fqdn", short: "f", long: "fqdn", help: "long host name (FQDN)" },
      { name: "ip", short: "i", long: "ip-address", help: "addresses for the host name" },
      { name: "all-ip", short: "I", long: "all-ip-addresses", help: "all addresses for the host" },
      { name: "short", short: "s", long: "short", help: "short host name" },
    ],
  },
  run(args, ctx) {
    if (args.operands.length > 0) return done("", "hostname: you must be root to change the host name\n", 1);
    const addresses = ctx.host.addresses?.() ?? [];
    if (args.has("all-ip")) return done(addresses.map((a) => a + " ").join("") + "\n");
    if (args.has("ip")) {
      const hosts = ctx.fs.isFile("/etc/hosts") ? ctx.fs.readFile("/etc/hosts") : "";
      const listed = hosts
        .split("\n")
        .map((line) => line.replace(/#.*/, "").trim().split(/\s+/))
        .filter((fields) => fields.slice(1).includes(ctx.host.name))
        .map((fields) => fields[0]);
      const found = listed.length > 0 ? listed : addresses.slice(0, 1);
      if (found.length === 0) return done("", "hostname: Name or service not known\n", 1);
      return done(found.join(" ") + "\n");
    }
    return done((args.has("short") ? ctx.host.name.split(".")[0] : ctx.host.name) + "\n");
  },
};
