/**
 * The internet's DNS as the public resolvers beside the cluster (8.8.8.8 `dns.google`, 1.1.1.1
 * `one.one.one.one`) answer it: a few real names with their records, NXDOMAIN with the
 * parent zone's SOA for names that do not exist, and the AS112 empty zones for reverse
 * lookups of private addresses (RFC 6303). Answers are recursive (RA set), never authoritative.
 *
 * @example
 * internetAnswer(query(7, "example.com", "A")).answer; // [{ name: "example.com.", ttl: 3600, type: "A", data: "93.184.215.14" }]
 */
import { responseTo, type DnsMessage, type ResourceRecord } from "./message";

type Zone = readonly Omit<ResourceRecord, "name">[];

const NAMES: Readonly<Record<string, Zone>> = Object.freeze({
  "example.com.": [
    { ttl: 3600, type: "A", data: "93.184.215.14" },
    { ttl: 3600, type: "AAAA", data: "2606:2800:21f:cb07:6820:80da:af6b:8b2c" },
    { ttl: 86400, type: "MX", data: "0 ." },
    { ttl: 86400, type: "NS", data: "a.iana-servers.net." },
    { ttl: 86400, type: "TXT", data: '"v=spf1 -all"' },
  ],
  "www.example.com.": [{ ttl: 3600, type: "A", data: "93.184.215.14" }],
  "dns.google.": [
    { ttl: 900, type: "A", data: "8.8.8.8" },
    { ttl: 900, type: "A", data: "8.8.4.4" },
  ],
  "one.one.one.one.": [
    { ttl: 300, type: "A", data: "1.1.1.1" },
    { ttl: 300, type: "A", data: "1.0.0.1" },
  ],
  "kubernetes.io.": [{ ttl: 3600, type: "A", data: "15.197.167.90" }],
  "www.kubernetes.io.": [{ ttl: 3600, type: "CNAME", data: "kubernetes.io." }],
  "registry.k8s.io.": [{ ttl: 3600, type: "A", data: "34.96.108.209" }],
  "github.com.": [{ ttl: 60, type: "A", data: "140.82.121.4" }],
  "api.github.com.": [{ ttl: 60, type: "A", data: "140.82.121.6" }],
  "www.google.com.": [
    { ttl: 300, type: "A", data: "142.250.74.36" },
    { ttl: 300, type: "AAAA", data: "2a00:1450:4001:82b::2004" },
  ],
  "8.8.8.8.in-addr.arpa.": [{ ttl: 86400, type: "PTR", data: "dns.google." }],
  "4.4.8.8.in-addr.arpa.": [{ ttl: 86400, type: "PTR", data: "dns.google." }],
  "1.1.1.1.in-addr.arpa.": [{ ttl: 1800, type: "PTR", data: "one.one.one.one." }],
});

/** The SOA a negative answer carries: the closest enclosing zone the internet knows. */
const SOAS: readonly { zone: string; record: Omit<ResourceRecord, "name"> }[] = [
  { zone: "example.com.", record: { ttl: 3600, type: "SOA", data: "ns.icann.org. noc.dns.icann.org. 2025011637 7200 3600 1209600 3600" } },
  { zone: "com.", record: { ttl: 900, type: "SOA", data: "a.gtld-servers.net. nstld.verisign-grs.com. 1763740800 1800 900 604800 86400" } },
  { zone: "io.", record: { ttl: 900, type: "SOA", data: "a0.nic.io. hostmaster.donuts.email. 1763740801 7200 900 1209600 3600" } },
  { zone: "google.", record: { ttl: 900, type: "SOA", data: "ns-tld1.charlestonroadregistry.com. admin.google. 1763740802 900 900 1209600 300" } },
  { zone: "10.in-addr.arpa.", record: { ttl: 604800, type: "SOA", data: "prisoner.iana.org. hostmaster.root-servers.org. 1 604800 60 604800 604800" } },
  { zone: "168.192.in-addr.arpa.", record: { ttl: 604800, type: "SOA", data: "prisoner.iana.org. hostmaster.root-servers.org. 1 604800 60 604800 604800" } },
  { zone: ".", record: { ttl: 86400, type: "SOA", data: "a.root-servers.net. nstld.verisign-grs.com. 2025112100 1800 900 604800 86400" } },
];

function soaFor(name: string): ResourceRecord {
  const found = SOAS.find((s) => s.zone === "." || name === s.zone || name.endsWith(`.${s.zone}`))!;
  return { name: found.zone, ...found.record };
}

/** What a public recursive resolver answers to a query. */
export function internetAnswer(q: DnsMessage): DnsMessage {
  const name = q.question.name;
  const records = NAMES[name];
  if (!records) {
    const reply = responseTo(q, "NXDOMAIN", { ra: true });
    reply.authority.push(soaFor(name));
    return reply;
  }
  const reply = responseTo(q, "NOERROR", { ra: true });
  const cname = records.find((r) => r.type === "CNAME");
  if (cname && q.question.type !== "CNAME") {
    reply.answer.push({ name, ...cname });
    for (const r of NAMES[cname.data] ?? []) if (r.type === q.question.type) reply.answer.push({ name: cname.data, ...r });
    return reply;
  }
  for (const r of records) if (r.type === q.question.type || q.question.type === "ANY") reply.answer.push({ name, ...r });
  if (reply.answer.length === 0) reply.authority.push(soaFor(name));
  return reply;
}
