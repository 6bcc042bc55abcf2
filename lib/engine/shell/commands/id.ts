import { done, localeQuote } from "../command-kit";
import type { Command } from "../types";

/** `id`: the user's and group's ids and names. */
export const id: Command = {
  name: "id",
  summary: "print real and effective user and group IDs",
  usage: "id [OPTION]... [USER]...",
  description: "Print user and group information for each specified USER,\nor (when USER omitted) for the current process.",
  spec: {
    flags: [
      { name: "group", short: "g", long: "group", help: "print only the effective group ID" },
      { name: "groups", short: "G", long: "groups", help: "print all group IDs" },
      { name: "name", short: "n", long: "name", help: "print a name instead of a number, for -ugG" },
      { name: "user", short: "u", long: "user", help: "print only the effective user ID" },
    ],
  },
  run(args, ctx) {
    const { user, uid, gid } = ctx.host;
    for (const operand of args.operands) {
      if (operand !== user && operand !== String(uid)) return done("", `id: ${localeQuote(operand)}: no such user\n`, 1);
    }
    const group = gid === 0 ? "root" : user;
    const name = args.has("name");
    if (args.has("user")) return done(`${name ? user : uid}\n`);
    if (args.has("group") || args.has("groups")) return done(`${name ? group : gid}\n`);
    if (name) return done("", "id: cannot print only names or real IDs in default format\n", 1);
    return done(`uid=${uid}(${user}) gid=${gid}(${group}) groups=${gid}(${group})\n`);
  },
};
