// Cluster DNS (DESIGN §2.6): CoreDNS's answers from the API objects and its Corefile, the
// internet's resolvers, DNS messages as data, and the stub resolver every client program uses.
export { ClusterDns, type DnsContainer, type DnsRuntimes } from "./server";
export { parseCorefile, type Corefile, type ServerBlock } from "./corefile";
export { kubernetesAnswer } from "./kubernetes";
export { internetAnswer } from "./internet";
export { fqdn, isNoData, parseType, query, RCODE_NUMBERS, reverseName, TYPE_CODES, wireSize, type DnsMessage, type Question, type Rcode, type ResourceRecord, type RRType } from "./message";
export { ask, exchangeQuery, hostsEntries, libcOf, lookupHost, readResolvConf, resolveAddress, reverseLookup, searchList, type LibC, type Lookup, type QueryResult, type ResolvConf, type ResolverEnv } from "./resolver";
