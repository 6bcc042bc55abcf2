/**
 * What the DNS tools share: where they run (the namespace and files of the shell location),
 * BIND's master-file layout of records (`dig`'s columns: tabs to 24/32/40/48, a space when a
 * field is already past its column), and the date dig prints.
 *
 * @example
 * recordLine({ name: "google.com.", ttl: 300, type: "A", data: "142.250.74.36" }); // "google.com.\t\t300\tIN\tA\t142.250.74.36"
 */
import type { CommandContext } from "../../../shell";
import type { ResolverEnv } from "../../dns/resolver";
import type { ResourceRecord } from "../../dns/message";
import { resolverEnv } from "../userland";

/** The column a line ends at, tabs expanded to multiples of 8. */
function columnOf(text: string): number {
  let col = 0;
  for (const ch of text) col = ch === "\t" ? (Math.floor(col / 8) + 1) * 8 : col + 1;
  return col;
}

/** Advances the next field to `column` with tabs (8 wide), or one space when already there or past. */
function pad(text: string, column: number): string {
  let col = columnOf(text);
  if (col >= column) return `${text} `;
  let out = text;
  while (col < column) {
    out += "\t";
    col = (Math.floor(col / 8) + 1) * 8;
  }
  return out;
}

/** A record as dig (and BIND's master files) prints it. */
export function recordLine(rr: ResourceRecord): string {
  return pad(pad(pad(pad(rr.name, 24) + String(rr.ttl), 32) + "IN", 40) + rr.type, 48) + rr.data;
}

/** The question as dig prints it (`;name.  IN  A`: no TTL, class at column 32). */
export function questionLine(name: string, type: string): string {
  return pad(pad(`;${name}`, 32) + "IN", 40) + type;
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** `Mon Jan 12 09:00:30 UTC 2026`, as dig's `;; WHEN:` line has it. */
export function digDate(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

/** The resolver's view of the shell location. */
export function envOf(ctx: CommandContext): ResolverEnv {
  return resolverEnv(ctx);
}

/** Names without their trailing dot (how nslookup and host print owners). */
export const bare = (name: string) => name.replace(/\.$/, "");
