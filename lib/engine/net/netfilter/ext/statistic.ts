/**
 * `-m statistic` (libxt_statistic.c): kube-proxy spreads a Service's connections over its
 * endpoints with `--mode random --probability 1/n, 1/(n-1), …`; `--mode nth --every N --packet P`
 * takes every Nth packet. The probability is kept as the kernel keeps it, a 31-bit threshold
 * (`lround(0x80000000 * p)`), which is why iptables-save prints `0.33333333349` for `0.3333333333`.
 *
 * @example
 * -A KUBE-SVC-X -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-Y
 */
import type { StatisticMatch } from "../types";
import { type MatchExtension, parseUint, Seen, x6Check, x6Finish, XtError } from "../xtables";

interface State {
  seen: Seen;
  mode: "random" | "nth";
  negate: boolean;
  probability: number;
  every: number;
  packet: number;
}

export const statisticMatch: MatchExtension<State, StatisticMatch> = {
  name: "statistic",
  kinds: ["statistic"],
  x6: true,
  options: [
    { name: "mode", hasArg: true, mandatory: true },
    { name: "probability", hasArg: true, invert: true, excl: ["every", "packet"] },
    { name: "every", hasArg: true, invert: true, excl: ["probability"], also: ["packet"] },
    { name: "packet", hasArg: true, excl: ["probability"], also: ["every"] },
  ],
  help: `statistic match options:
 --mode mode                    Match mode (random, nth)
 random mode:
[!] --probability p\t\t Probability
 nth mode:
[!] --every n\t\t\t Match every nth packet
 --packet p\t\t\t Initial counter value (0 <= p <= n-1, default 0)
`,
  init: () => ({ seen: new Seen(), mode: "random", negate: false, probability: 0, every: 0, packet: 0 }),
  parse(s, call) {
    // statistic_parse records the inversion before the generic checks run.
    if (call.invert) s.negate = true;
    x6Check(statisticMatch, s.seen, call);
    switch (call.option) {
      case "mode":
        if (call.arg !== "random" && call.arg !== "nth") throw new XtError(`Bad mode "${call.arg}"`);
        s.mode = call.arg;
        return;
      case "probability": {
        const p = /^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(call.arg) ? Number(call.arg) : NaN;
        if (!(p >= 0 && p <= 1)) throw new XtError(`statistic: bad value for option "--probability", or out of range (0-1).\n`);
        // lround rounds halves away from zero.
        s.probability = Math.floor(0x80000000 * p + 0.5);
        return;
      }
      case "every": {
        const n = parseUint(call.arg, 1, 0xffffffff);
        if (n === undefined) throw new XtError(`statistic: bad value for option "--every", or out of range (1-4294967295).\n`);
        s.every = n;
        return;
      }
      case "packet": {
        const n = parseUint(call.arg, 0, 0xffffffff);
        if (n === undefined) throw new XtError(`statistic: bad value for option "--packet", or out of range (0-4294967295).\n`);
        s.packet = n;
      }
    }
  },
  finish(s) {
    if (s.mode === "random" && !s.seen.has("probability")) throw new XtError("--probability must be specified when using random mode");
    if (s.mode === "nth" && !s.seen.has("every") && !s.seen.has("packet")) throw new XtError("--every and --packet must be specified when using nth mode");
    // The kernel keeps --every decremented; an absent --every is 0.
    if (s.packet > (s.seen.has("every") ? s.every - 1 : 0)) throw new XtError("the --packet p must be 0 <= p <= n-1");
    x6Finish(statisticMatch, s.seen);
    return Object.freeze(
      s.mode === "random"
        ? { kind: "statistic" as const, mode: "random" as const, negate: s.negate, probability: s.probability }
        : { kind: "statistic" as const, mode: "nth" as const, negate: s.negate, every: s.every, packet: s.packet },
    );
  },
  saveName: () => "statistic",
  save: (m) => describe(m, "--"),
  print: (m) => ` statistic${describe(m, "")}`,
};

function describe(m: StatisticMatch, prefix: string): string {
  if (m.mode === "random") return ` ${prefix}mode random${m.negate ? " !" : ""} ${prefix}probability ${(m.probability / 0x80000000).toFixed(11)}`;
  return ` ${prefix}mode nth${m.negate ? " !" : ""} ${prefix}every ${m.every}${m.packet || prefix ? ` ${prefix}packet ${m.packet}` : ""}`;
}
