// The DNS tools: BIND's dig, nslookup and host, BusyBox's nslookup, glibc's getent.
export { digCommand } from "./dig";
export { nslookupCommand } from "./nslookup";
export { hostCommand } from "./host";
export { getentCommand } from "./getent";
