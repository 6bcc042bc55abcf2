/**
 * Targets that answer, log or untrack: `-j REJECT` (libipt_REJECT.c), `-j LOG` (libxt_LOG.c)
 * and `-j CT --notrack` / `-j NOTRACK` (libxt_CT.c; NOTRACK is CT's alias in iptables 1.8.7).
 *
 * @example
 * -A KUBE-SERVICES -d 10.96.0.50/32 -p tcp -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable
 */
import { LOG_LEVELS, REJECT_TYPES } from "../names";
import type { RejectWith, Target } from "../types";
import { parseUint, saveString, Seen, type TargetExtension, x6Check, x6Finish, XtError } from "../xtables";

type Reject = Extract<Target, { kind: "REJECT" }>;
type Log = Extract<Target, { kind: "LOG" }>;
type Ct = Extract<Target, { kind: "CT" }>;

export const rejectTarget: TargetExtension<{ seen: Seen; with: RejectWith }, Reject> = {
  name: "REJECT",
  kinds: ["REJECT"],
  x6: true,
  options: [{ name: "reject-with", hasArg: true }],
  help: `REJECT target options:
--reject-with type              drop input packet and send back
                                a reply packet according to type:
Valid reject types:
${REJECT_TYPES.map((t) => `    ${t.name.padEnd(25)}\t${t.desc}\n    ${t.alias.padEnd(25)}\talias\n`).join("")}
(*) See man page or read the INCOMPATIBILITES file for compatibility issues.
`,
  init: () => ({ seen: new Seen(), with: "icmp-port-unreachable" }),
  parse(s, call) {
    x6Check(rejectTarget, s.seen, call);
    const found = REJECT_TYPES.find((t) => t.name === call.arg || t.alias === call.arg);
    if (!found) throw new XtError(`unknown reject type "${call.arg}"`);
    s.with = found.name as RejectWith;
  },
  finish: (s) => Object.freeze({ kind: "REJECT", with: s.with }),
  saveName: () => "REJECT",
  save: (t) => ` --reject-with ${t.with}`,
  print: (t) => ` reject-with ${t.with}`,
};

/** ipt_log flags. */
const LOG_FLAGS: readonly (readonly [string, number, string])[] = [
  ["log-tcp-sequence", 0x01, "tcp-sequence"],
  ["log-tcp-options", 0x02, "tcp-options"],
  ["log-ip-options", 0x04, "ip-options"],
  ["log-uid", 0x08, "uid"],
  ["log-macdecode", 0x20, "macdecode"],
];

interface LogState {
  seen: Seen;
  prefix: string;
  level: number;
  flags: number;
}

export const logTarget: TargetExtension<LogState, Log> = {
  name: "LOG",
  kinds: ["LOG"],
  x6: true,
  options: [
    { name: "log-level", hasArg: true },
    { name: "log-prefix", hasArg: true },
    ...LOG_FLAGS.map(([name]) => ({ name, hasArg: false })),
  ],
  help: `LOG target options:
 --log-level level\t\tLevel of logging (numeric or see syslog.conf)
 --log-prefix prefix\t\tPrefix log messages with this prefix.

 --log-tcp-sequence\t\tLog TCP sequence numbers.

 --log-tcp-options\t\tLog TCP options.

 --log-ip-options\t\tLog IP options.

 --log-uid\t\t\tLog UID owning the local socket.

 --log-macdecode\t\tDecode MAC addresses and protocol.

`,
  init: () => ({ seen: new Seen(), prefix: "", level: 4, flags: 0 }),
  parse(s, call) {
    x6Check(logTarget, s.seen, call);
    if (call.option === "log-level") {
      const n = parseUint(call.arg, 0, 7);
      const named = LOG_LEVELS.find((l) => l.name === call.arg);
      if (n === undefined && !named) throw new XtError(`log level "${call.arg}" unknown\n`);
      s.level = n ?? named!.level;
    } else if (call.option === "log-prefix") {
      if (call.arg.length < 1) throw new XtError("Argument must have a minimum length of 1 characters\n");
      if (call.arg.includes("\n")) throw new XtError("Newlines not allowed in --log-prefix");
      // The prefix field holds 29 characters and the terminator: the rest is cut.
      s.prefix = call.arg.slice(0, 29);
    } else {
      s.flags |= LOG_FLAGS.find(([name]) => name === call.option)![1];
    }
  },
  finish: (s) => Object.freeze({ kind: "LOG", prefix: s.prefix, level: s.level, flags: s.flags }),
  saveName: () => "LOG",
  save(t) {
    let out = t.prefix ? ` --log-prefix${saveString(t.prefix)}` : "";
    if (t.level !== 4) out += ` --log-level ${t.level}`;
    for (const [name, bit] of LOG_FLAGS) if (t.flags & bit) out += ` --${name}`;
    return out;
  },
  print(t, { numeric }) {
    let out = " LOG";
    if (numeric) out += ` flags ${t.flags} level ${t.level}`;
    else {
      const level = LOG_LEVELS.find((l) => l.level === t.level);
      out += level ? ` level ${level.name}` : ` UNKNOWN level ${t.level}`;
      for (const [, bit, label] of LOG_FLAGS) if (t.flags & bit) out += ` ${label}`;
    }
    return t.prefix ? `${out} prefix "${t.prefix}"` : out;
  },
};

export const ctTarget: TargetExtension<{ seen: Seen; notrack: boolean }, Ct> = {
  name: "CT",
  kinds: ["CT"],
  x6: true,
  options: [{ name: "notrack", hasArg: false }],
  help: `CT target options:
 --notrack\t\t\tDon't track connection
`,
  init: () => ({ seen: new Seen(), notrack: false }),
  parse(s, call) {
    x6Check(ctTarget, s.seen, call);
    s.notrack = true;
  },
  finish(s) {
    x6Finish(ctTarget, s.seen);
    return Object.freeze({ kind: "CT", notrack: s.notrack, alias: false });
  },
  saveName: (t) => (t.alias ? "NOTRACK" : "CT"),
  save: (t) => (!t.alias && t.notrack ? " --notrack" : ""),
  print: (t) => ` CT${t.notrack ? " notrack" : ""}`,
};

/** `-j NOTRACK`: CT with notrack, saved under the alias. */
export const notrackTarget: TargetExtension<Record<string, never>, Ct> = {
  name: "NOTRACK",
  kinds: [],
  x6: true,
  options: [],
  help: "",
  init: () => ({}),
  parse() {},
  finish: () => Object.freeze({ kind: "CT", notrack: true, alias: true }),
  saveName: ctTarget.saveName,
  save: ctTarget.save,
  print: ctTarget.print,
};
