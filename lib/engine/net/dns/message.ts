/**
 * DNS messages as data: a question, the records of the answer, authority and additional
 * sections in presentation form (`10.96.0.1`, `0 100 80 web.default.svc.cluster.local.`), the
 * header's rcode and flags, and the EDNS OPT record when the client sent one. Sizes are the
 * wire sizes RFC 1035 gives them (with name compression, as CoreDNS and BIND compress), so
 * `dig`'s `MSG SIZE rcvd`, CoreDNS's log line and tcpdump agree.
 *
 * @example
 * const q = query(4242, "kubernetes.default.svc.cluster.local", "A", { edns: true });
 * wireSize(q); // 77: header 12 + name 38 + type/class 4 + OPT 23 (with a client cookie)
 */

export type RRType = "A" | "AAAA" | "CNAME" | "NS" | "SOA" | "PTR" | "MX" | "TXT" | "SRV" | "ANY";
export type Rcode = "NOERROR" | "FORMERR" | "SERVFAIL" | "NXDOMAIN" | "NOTIMP" | "REFUSED";

export const TYPE_CODES: Readonly<Record<RRType, number>> = Object.freeze({ A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, MX: 15, TXT: 16, AAAA: 28, SRV: 33, ANY: 255 });
export const RCODE_NUMBERS: Readonly<Record<Rcode, number>> = Object.freeze({ NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 });

/** A type name as written on a command line (`a`, `srv`, `TYPE33`), or undefined. */
export function parseType(text: string): RRType | undefined {
  const upper = text.toUpperCase();
  if (upper in TYPE_CODES) return upper as RRType;
  const numbered = /^TYPE(\d+)$/.exec(upper);
  return numbered ? (Object.keys(TYPE_CODES) as RRType[]).find((t) => TYPE_CODES[t] === Number(numbered[1])) : undefined;
}

export interface Question {
  /** Fully qualified, lower case, with the trailing dot. */
  name: string;
  type: RRType;
}

export interface ResourceRecord {
  name: string;
  ttl: number;
  type: Exclude<RRType, "ANY">;
  /** The RDATA in presentation form; names in it end with a dot. */
  data: string;
}

export interface DnsFlags {
  qr: boolean;
  aa: boolean;
  tc: boolean;
  rd: boolean;
  ra: boolean;
}

export interface DnsMessage {
  id: number;
  rcode: Rcode;
  flags: DnsFlags;
  question: Question;
  answer: ResourceRecord[];
  authority: ResourceRecord[];
  additional: ResourceRecord[];
  /** The OPT pseudo-record: the sender's UDP size, and whether it carries a cookie (client's only, or echoed). */
  edns?: { udpSize: number; cookie: boolean };
}

/** A name made absolute and lower case: `Web.Default` → `web.default.` */
export function fqdn(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith(".") ? lower : `${lower}.`;
}

/** A query as a stub resolver (no EDNS) or dig (EDNS with a cookie, 1232 bytes) sends it. */
export function query(id: number, name: string, type: RRType, options: { edns?: boolean; rd?: boolean } = {}): DnsMessage {
  return {
    id, rcode: "NOERROR", flags: { qr: false, aa: false, tc: false, rd: options.rd ?? true, ra: false },
    question: { name: fqdn(name), type }, answer: [], authority: [], additional: [],
    ...(options.edns ? { edns: { udpSize: 1232, cookie: true } } : {}),
  };
}

/** The response skeleton a server fills: the query's id, question, RD and EDNS. */
export function responseTo(q: DnsMessage, rcode: Rcode, flags: Partial<DnsFlags>): DnsMessage {
  return {
    id: q.id, rcode, flags: { qr: true, aa: false, tc: false, rd: q.flags.rd, ra: false, ...flags },
    question: q.question, answer: [], authority: [], additional: [],
    ...(q.edns ? { edns: { udpSize: q.edns.udpSize, cookie: q.edns.cookie } } : {}),
  };
}

/** The NODATA/NXDOMAIN distinction a client draws: no answer for a name that exists is NODATA. */
export function isNoData(m: DnsMessage): boolean {
  return m.rcode === "NOERROR" && m.answer.length === 0;
}

/** Wire length of a name given the suffixes already written (compression pointers are 2 bytes). */
function nameSize(name: string, written: Set<string>, compress: boolean): number {
  const labels = name.replace(/\.$/, "").split(".").filter(Boolean);
  let size = 0;
  for (let i = 0; i < labels.length; i++) {
    const suffix = labels.slice(i).join(".");
    if (compress && written.has(suffix)) return size + 2;
    written.add(suffix);
    size += 1 + labels[i].length;
  }
  return size + 1;
}

function rdataSize(rr: ResourceRecord, written: Set<string>): number {
  const words = rr.data.split(/\s+/);
  switch (rr.type) {
    case "A":
      return 4;
    case "AAAA":
      return 16;
    case "CNAME":
    case "NS":
    case "PTR":
      return nameSize(rr.data, written, true);
    case "MX":
      return 2 + nameSize(words[1], written, true);
    case "SRV":
      // RFC 2782: the target is not compressed.
      return 6 + nameSize(words[3], new Set(), false);
    case "SOA":
      return nameSize(words[0], written, true) + nameSize(words[1], written, true) + 20;
    case "TXT":
      return [...rr.data.matchAll(/"([^"]*)"/g)].reduce((n, m) => n + 1 + m[1].length, 0);
  }
}

/** The message's size on the wire (UDP payload). */
export function wireSize(m: DnsMessage): number {
  const written = new Set<string>();
  let size = 12 + nameSize(m.question.name, written, true) + 4;
  for (const rr of [...m.answer, ...m.authority, ...m.additional]) size += nameSize(rr.name, written, true) + 10 + rdataSize(rr, written);
  // OPT: root name, type, class, TTL, rdlength (11), and a COOKIE option (4 + 8 client bytes).
  if (m.edns) size += 11 + (m.edns.cookie ? 12 : 0);
  return size;
}

/** `d.c.b.a.in-addr.arpa.` for an IPv4 address. */
export function reverseName(ip: string): string {
  return `${ip.split(".").reverse().join(".")}.in-addr.arpa.`;
}

/** The IPv4 address a full `in-addr.arpa.` name stands for, or undefined. */
export function addressOfReverse(name: string): string | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.in-addr\.arpa\.$/.exec(name);
  if (!m) return undefined;
  const octets = [m[4], m[3], m[2], m[1]].map(Number);
  return octets.every((o) => o <= 255) ? octets.join(".") : undefined;
}
