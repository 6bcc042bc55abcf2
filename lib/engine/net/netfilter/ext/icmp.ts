/**
 * `-m icmp --icmp-type` (libipt_icmp.c): a type by name (any unambiguous prefix of the table's
 * names) or `type[/code]`. `-p icmp --icmp-type echo-request` loads it implicitly.
 *
 * @example
 * iptables -A INPUT -p icmp --icmp-type echo-request -j ACCEPT   # saved as --icmp-type 8
 */
import { ICMP_TYPES } from "../names";
import type { IcmpMatch } from "../types";
import { type MatchExtension, parseUint, Seen, x6Check, x6Finish, XtError } from "../xtables";

function parseIcmpType(text: string): { type: number; codeMin: number; codeMax: number } {
  let found: (typeof ICMP_TYPES)[number] | undefined;
  for (const entry of ICMP_TYPES) {
    if (!entry.name.toLowerCase().startsWith(text.toLowerCase())) continue;
    if (found) throw new XtError(`Ambiguous ICMP type \`${text}': \`${found.name}' or \`${entry.name}'?`);
    found = entry;
  }
  if (found) return { type: found.type, codeMin: found.codeMin, codeMax: found.codeMax };
  const [typeText, codeText] = text.split(/\/(.*)/s);
  const type = parseUint(typeText, 0, 255);
  if (type === undefined) throw new XtError(`Invalid ICMP type \`${typeText}'\n`);
  if (codeText === undefined) return { type, codeMin: 0, codeMax: 0xff };
  const code = parseUint(codeText, 0, 255);
  if (code === undefined) throw new XtError(`Invalid ICMP code \`${codeText}'\n`);
  return { type, codeMin: code, codeMax: code };
}

export const icmpMatch: MatchExtension<{ seen: Seen; value?: Omit<IcmpMatch, "kind"> }, IcmpMatch> = {
  name: "icmp",
  kinds: ["icmp"],
  x6: true,
  options: [{ name: "icmp-type", hasArg: true, invert: true, mandatory: true }],
  help: `icmp match options:
[!] --icmp-type typename\tmatch icmp type
[!] --icmp-type type[/code]\t(or numeric type or type/code)
Valid ICMP Types:
${ICMP_TYPES.map((t) => (t.codeMin === 0 && t.codeMax === 0xff ? `${t.name}\n` : `   ${t.name}\n`)).join("")}`,
  init: () => ({ seen: new Seen() }),
  parse(s, call) {
    x6Check(icmpMatch, s.seen, call);
    s.value = { ...parseIcmpType(call.arg), negate: call.invert };
  },
  finish(s) {
    x6Finish(icmpMatch, s.seen);
    return Object.freeze({ kind: "icmp", ...s.value! });
  },
  saveName: () => "icmp",
  save(m) {
    const not = m.negate ? " !" : "";
    if (m.type === 0xff) return `${not} --icmp-type any`;
    return `${not} --icmp-type ${m.type}${m.codeMin !== 0 || m.codeMax !== 0xff ? `/${m.codeMin}` : ""}`;
  },
  print(m, { numeric }) {
    if (!numeric) {
      const named = ICMP_TYPES.find((t) => t.type === m.type && t.codeMin === m.codeMin && t.codeMax === m.codeMax);
      if (named) return ` icmp ${m.negate ? "!" : ""}${named.name}`;
    }
    let out = ` icmp${m.negate ? " !" : ""}type ${m.type}`;
    if (m.codeMin === m.codeMax) out += ` code ${m.codeMin}`;
    else if (m.codeMin !== 0 || m.codeMax !== 0xff) out += ` codes ${m.codeMin}-${m.codeMax}`;
    return out;
  },
};
