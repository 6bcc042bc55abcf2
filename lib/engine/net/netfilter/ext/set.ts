/**
 * `-m set --match-set NAME src|dst[,…]` (libxt_set.c): whether the packet's addresses and
 * ports, read in the given directions, are members of an ipset. The set must exist when the
 * rule is added (the rule holds a reference to it); that is checked where the namespace is known.
 *
 * @example
 * -A KUBE-SERVICES -m set --match-set KUBE-CLUSTER-IP dst,dst -j ACCEPT
 */
import type { SetMatch } from "../types";
import { XtError, type MatchExtension } from "../xtables";

interface State {
  name?: string;
  dirs: ("src" | "dst")[];
  negate: boolean;
}

/** IPSET_DIM_MAX. */
const DIM_MAX = 6;

export const setMatch: MatchExtension<State, SetMatch> = {
  name: "set",
  kinds: ["set"],
  x6: false,
  options: [
    { name: "match-set", hasArg: true },
    { name: "set", hasArg: true },
  ],
  help: `set match options:
 [!] --match-set name flags
\t\t 'name' is the set name from to match,
\t\t 'flags' are the comma separated list of
\t\t 'src' and 'dst' specifications.
`,
  init: () => ({ dirs: [], negate: false }),
  parse(s, call) {
    if (s.name !== undefined) throw new XtError("--match-set can be specified only once");
    if (call.invert) s.negate = true;
    const flags = call.next();
    if (flags === undefined || flags.startsWith("-") || flags.startsWith("!")) throw new XtError("--match-set requires two args.");
    if (call.arg.length > 31) throw new XtError(`setname \`${call.arg}' too long, max 31 characters.`);
    const items = flags.split(",");
    if (items.length > DIM_MAX) throw new XtError(`Can't be more src/dst options than ${DIM_MAX}.`);
    for (const item of items) {
      if (item.startsWith("src")) s.dirs.push("src");
      else if (item.startsWith("dst")) s.dirs.push("dst");
      else throw new XtError("You must spefify (the comma separated list of) 'src' or 'dst'.");
    }
    s.name = call.arg;
  },
  finish(s) {
    if (s.name === undefined) throw new XtError("You must specify `--match-set' with proper arguments");
    return Object.freeze({ kind: "set", name: s.name, dirs: Object.freeze([...s.dirs]), negate: s.negate });
  },
  saveName: () => "set",
  save: (m) => `${m.negate ? " !" : ""} --match-set ${m.name} ${m.dirs.join(",")}`,
  print: (m) => `${m.negate ? " !" : ""} match-set ${m.name} ${m.dirs.join(",")}`,
};
