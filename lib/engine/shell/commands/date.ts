import { done, localeQuote } from "../command-kit";
import { strftime } from "../text/time";
import type { Command } from "../types";

const DEFAULT_FORMAT = "%a %b %e %H:%M:%S %Z %Y";

/** Parses what `date -d` takes here: `@EPOCH`, `now`, `YYYY-MM-DD[ T]HH:MM[:SS][Z]`. */
function parseDate(text: string, now: number): number | null {
  const trimmed = text.trim();
  if (trimmed === "" || trimmed === "now") return now;
  const epoch = /^@(-?\d+(?:\.\d+)?)$/.exec(trimmed);
  if (epoch) return Math.floor(Number(epoch[1]) * 1000);
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?\s*(?:Z|UTC)?$/.exec(trimmed);
  if (!m) return null;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0));
}

/** `date`: the virtual clock's time in UTC, default format or `+FORMAT`. */
export const date: Command = {
  name: "date",
  summary: "print or set the system date and time",
  usage: "date [OPTION]... [+FORMAT]",
  description: "Display the current time in the given FORMAT.",
  spec: {
    flags: [
      { name: "date", short: "d", long: "date", value: "required", valueName: "STRING", help: "display time described by STRING, not 'now'" },
      { name: "iso", short: "I", long: "iso-8601", value: "optional", valueName: "FMT", help: "output date/time in ISO 8601 format" },
      { name: "rfc", short: "R", long: "rfc-email", help: "output date and time in RFC 5322 format" },
      { name: "utc", short: "u", long: "utc", help: "print Coordinated Universal Time (UTC)" },
    ],
  },
  run(args, ctx) {
    const given = args.value("date");
    const when = given === undefined ? ctx.clock.now() : parseDate(given, ctx.clock.now());
    if (when === null) return done("", `date: invalid date ${localeQuote(given ?? "")}\n`, 1);
    const [operand, extra] = args.operands;
    if (extra !== undefined) return done("", `date: extra operand ${localeQuote(extra)}\nTry 'date --help' for more information.\n`, 1);
    if (operand !== undefined && !operand.startsWith("+")) return done("", `date: invalid date ${localeQuote(operand)}\n`, 1);
    let format = DEFAULT_FORMAT;
    if (args.has("rfc")) format = "%a, %d %b %Y %H:%M:%S %z";
    if (args.has("iso")) {
      const precision = args.value("iso") || "date";
      format = precision === "date" ? "%F" : precision === "hours" ? "%FT%H+00:00" : precision === "minutes" ? "%FT%H:%M+00:00" : "%FT%T+00:00";
    }
    if (operand !== undefined) format = operand.slice(1);
    return done(strftime(format, when) + "\n");
  },
};
