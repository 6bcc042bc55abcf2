/**
 * Matches that label or count rather than look at the packet's addresses: `-m comment`
 * (libxt_comment.c), `-m mark` (libxt_mark.c, revision 1), `-m nfacct` (libxt_nfacct.c, the
 * counters kube-proxy 1.29+ attaches for its metrics) and `-m limit` (libxt_limit.c).
 *
 * @example
 * -A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
 */
import type { CommentMatch, LimitMatch, MarkMatch, NfacctMatch } from "../types";
import { hex, type MatchExtension, type OptionDef, parseMarkMask, parseUint, saveString, Seen, x6Check, x6Finish, XtError } from "../xtables";

interface Given {
  seen: Seen;
}

const COMMENT_OPTIONS: readonly OptionDef[] = [{ name: "comment", hasArg: true, mandatory: true }];

export const commentMatch: MatchExtension<Given & { comment: string }, CommentMatch> = {
  name: "comment",
  kinds: ["comment"],
  x6: true,
  options: COMMENT_OPTIONS,
  help: "comment match options:\n--comment COMMENT             Attach a comment to a rule\n",
  init: () => ({ seen: new Seen(), comment: "" }),
  parse(s, call) {
    x6Check(commentMatch, s.seen, call);
    // XT_MAX_COMMENT_LEN is 256 with the terminator: longer comments are cut, silently.
    s.comment = call.arg.slice(0, 255);
  },
  finish(s) {
    x6Finish(commentMatch, s.seen);
    return Object.freeze({ kind: "comment", comment: s.comment });
  },
  saveName: () => "comment",
  save: (m) => ` --comment${saveString(m.comment)}`,
  print: (m) => ` /* ${m.comment} */`,
};

export const markMatch: MatchExtension<Given & { value: number; mask: number; negate: boolean }, MarkMatch> = {
  name: "mark",
  kinds: ["mark"],
  x6: true,
  options: [{ name: "mark", hasArg: true, invert: true, mandatory: true }],
  help: "mark match options:\n[!] --mark value[/mask]    Match nfmark value with optional mask\n",
  init: () => ({ seen: new Seen(), value: 0, mask: 0xffffffff, negate: false }),
  parse(s, call) {
    x6Check(markMatch, s.seen, call);
    const mm = parseMarkMask(call.arg);
    if (!mm) throw new XtError(`mark: Bad value for "mark" option: "${call.arg}"`);
    Object.assign(s, mm, { negate: call.invert });
  },
  finish(s) {
    x6Finish(markMatch, s.seen);
    return Object.freeze({ kind: "mark", negate: s.negate, value: s.value, mask: s.mask });
  },
  saveName: () => "mark",
  save: (m) => `${m.negate ? " !" : ""} --mark ${markText(m)}`,
  print: (m) => ` mark match${m.negate ? " !" : ""} ${markText(m)}`,
};

function markText(m: MarkMatch): string {
  return m.mask === 0xffffffff ? hex(m.value) : `${hex(m.value)}/${hex(m.mask)}`;
}

export const nfacctMatch: MatchExtension<Given & { name: string }, NfacctMatch> = {
  name: "nfacct",
  kinds: ["nfacct"],
  x6: true,
  options: [{ name: "nfacct-name", hasArg: true, mandatory: true }],
  help: "nfacct match options:\n --nfacct-name STRING\t\tName of accouting area\n",
  init: () => ({ seen: new Seen(), name: "" }),
  parse(s, call) {
    x6Check(nfacctMatch, s.seen, call);
    if (call.arg.length < 1) throw new XtError("Argument must have a minimum length of 1 characters\n");
    s.name = call.arg.slice(0, 31);
  },
  finish(s) {
    x6Finish(nfacctMatch, s.seen);
    return Object.freeze({ kind: "nfacct", name: s.name });
  },
  saveName: () => "nfacct",
  // nfacct_print_name prints " --nfacct-name " and then xtables_save_string adds its own space.
  save: (m) => ` --nfacct-name ${saveString(m.name)}`,
  print: (m) => ` nfacct-name ${saveString(m.name)}`,
};

/** XT_LIMIT_SCALE: rates are kept as a period in 1/10000 s. */
const SCALE = 10000;
const RATES: readonly (readonly [string, number])[] = [["day", SCALE * 86400], ["hour", SCALE * 3600], ["min", SCALE * 60], ["sec", SCALE]];

/** parse_rate: `N[/second|minute|hour|day]` (any prefix of the unit). */
function parseRate(text: string): number | undefined {
  const slash = text.indexOf("/");
  let mult = 1;
  if (slash >= 0) {
    const unit = text.slice(slash + 1).toLowerCase();
    if (unit === "") return undefined;
    const found = [["second", 1], ["minute", 60], ["hour", 3600], ["day", 86400]].find(([name]) => (name as string).startsWith(unit));
    if (!found) return undefined;
    mult = found[1] as number;
  }
  const r = parseInt(text, 10);
  if (!r || r < 0) return undefined;
  const period = Math.floor((SCALE * mult) / r);
  if (period === 0) throw new XtError(`Rate too fast "${text}"\n`);
  return period;
}

/** print_rate: the largest unit that divides the period evenly enough (`3/hour`). */
function rateText(period: number): string {
  let i = 1;
  for (; i < RATES.length; i++) {
    const mult = RATES[i][1];
    if (period > mult || Math.floor(mult / period) < mult % period) break;
  }
  return `${Math.floor(RATES[i - 1][1] / period)}/${RATES[i - 1][0]}`;
}

export const limitMatch: MatchExtension<Given & { avg: number; burst: number }, LimitMatch> = {
  name: "limit",
  kinds: ["limit"],
  x6: true,
  options: [
    { name: "limit", hasArg: true },
    { name: "limit-burst", hasArg: true },
  ],
  help: `limit match options:
--limit avg\t\t\tmax average match rate: default 3/hour
                                [Packets per second unless followed by 
                                /sec /minute /hour /day postfixes]
--limit-burst number\t\tnumber to match in a burst, default 5
`,
  init: () => ({ seen: new Seen(), avg: Math.floor((SCALE * 3600) / 3), burst: 5 }),
  parse(s, call) {
    x6Check(limitMatch, s.seen, call);
    if (call.option === "limit") {
      const avg = parseRate(call.arg);
      if (avg === undefined) throw new XtError(`bad rate "${call.arg}"'`);
      s.avg = avg;
    } else {
      const burst = parseUint(call.arg, 0, 10000);
      if (burst === undefined) throw new XtError(`limit: bad value for option "--limit-burst", or out of range (0-10000).\n`);
      s.burst = burst;
    }
  },
  finish: (s) => Object.freeze({ kind: "limit", avg: s.avg, burst: s.burst }),
  saveName: () => "limit",
  save: (m) => ` --limit ${rateText(m.avg)}${m.burst !== 5 ? ` --limit-burst ${m.burst}` : ""}`,
  print: (m) => ` limit: avg ${rateText(m.avg)} burst ${m.burst}`,
};
