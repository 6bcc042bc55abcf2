/**
 * `getent hosts|ahosts|ahostsv4 [NAME…]`: glibc's name service switch (`hosts: files dns`),
 * the lookup every glibc program does, so it answers as curl or ping would: /etc/hosts first,
 * then DNS through the search list. Without a name, `getent hosts` lists /etc/hosts.
 * Exit 2 when a name is not found.
 *
 * @example
 * getent hosts web          # 10.96.112.4     web.default.svc.cluster.local
 * getent ahostsv4 web       # 10.96.112.4     STREAM web.default.svc.cluster.local …
 */
import type { Command, CommandResult } from "../../../shell";
import { parseIP } from "../../../util/ipv4";
import { hostsEntries, lookupHost, reverseLookup } from "../../dns/resolver";
import { envOf } from "./common";

const DATABASES = ["ahosts", "ahostsv4", "ahostsv6", "aliases", "ethers", "group", "gshadow", "hosts", "initgroups", "netgroup", "networks", "passwd", "protocols", "rpc", "services", "shadow"];

export const getentCommand: Command = {
  name: "getent",
  summary: "get entries from Name Service Switch libraries",
  usage: "getent [OPTION...] database [key ...]",
  path: "/usr/bin/getent",
  spec: { flags: [], raw: true },
  run(args, ctx): CommandResult {
    const [db, ...keys] = args.argv;
    if (!db) return { stdout: "", stderr: "Usage: getent [OPTION...] database [key ...]\nTry `getent --help' or `getent --usage' for more information.\n", exitCode: 1 };
    if (!DATABASES.includes(db)) return { stdout: "", stderr: `Unknown database: ${db}\nTry \`getent --help' or \`getent --usage' for more information.\n`, exitCode: 1 };
    if (!["hosts", "ahosts", "ahostsv4"].includes(db)) return { stdout: "", stderr: `getent: this lab's getent reads the hosts databases (hosts, ahosts, ahostsv4), not ${db}\n`, exitCode: 1 };
    const env = envOf(ctx);
    if (keys.length === 0) {
      if (db !== "hosts") return { stdout: "", stderr: "Enumeration not supported on ahosts\n", exitCode: 1 };
      return { stdout: hostsEntries(ctx.fs).map((e) => `${e.ip.padEnd(15)} ${e.names.join(" ")}\n`).join(""), stderr: "", exitCode: 0 };
    }
    let out = "";
    let exitCode = 0;
    for (const key of keys) {
      const ip = parseIP(key);
      if (ip !== undefined && db === "hosts") {
        const name = reverseLookup({ ...env, now: ctx.clock.now() }, ip);
        if (name) out += `${key.padEnd(15)} ${name}\n`;
        else exitCode = 2;
        continue;
      }
      const found = ip !== undefined ? { name: key, addresses: [key], aliases: [] } : lookupHost({ ...env, now: ctx.clock.now() }, key);
      if (found.addresses.length === 0) {
        exitCode = 2;
        continue;
      }
      if (db === "hosts") out += `${found.addresses[0].padEnd(15)} ${[found.name, ...found.aliases.filter((a) => a !== found.name)].join(" ")}\n`;
      else {
        found.addresses.forEach((a, i) => {
          out += `${a.padEnd(15)} STREAM ${i === 0 ? found.name : ""}\n${a.padEnd(15)} DGRAM  \n${a.padEnd(15)} RAW    \n`;
        });
      }
    }
    return { stdout: out, stderr: "", exitCode };
  },
};
