/**
 * Endpoints (`core/v1`) and EndpointSlices (`discovery.k8s.io/v1`): the objects the endpoint
 * controllers write for each Service. Address and port validation, the TCP port default, and
 * the tables (`10.244.1.5:80,10.244.2.7:80 + 1 more...`).
 *
 * @example
 * endpointsStrategy.table.cells(ep, now); // ["web", "10.244.1.5:80,10.244.2.7:80", "3m"]
 */
import type { Endpoints } from "../types/core";
import type { EndpointSlice } from "../types/other";
import { age, listWithMore } from "../tables/common";
import { col } from "../tables/types";
import { type FieldError, fieldPath, invalid, notSupported, required } from "../validation/field";
import { nameIsDNSSubdomain, validateImmutable } from "../validation/meta";
import { invalidIPMessage, isDNS1123Label, isIP, isValidPortNum } from "../validation/strings";
import { defineKind } from "./strategy";

function validatePorts(ports: readonly { name?: string; port?: number; protocol?: string }[], path: ReturnType<typeof fieldPath>): FieldError[] {
  const errs: FieldError[] = [];
  ports.forEach((p, i) => {
    const pp = path.index(i);
    if (ports.length > 1 && !p.name) errs.push(required(pp.child("name")));
    else if (p.name) for (const m of isDNS1123Label(p.name)) errs.push(invalid(pp.child("name"), p.name, m));
    if (p.port !== undefined) for (const m of isValidPortNum(p.port)) errs.push(invalid(pp.child("port"), p.port, m));
    if (!p.protocol) errs.push(required(pp.child("protocol")));
    else if (!["SCTP", "TCP", "UDP"].includes(p.protocol)) errs.push(notSupported(pp.child("protocol"), p.protocol, ["SCTP", "TCP", "UDP"]));
  });
  return errs;
}

function validateEndpoints(ep: Endpoints): FieldError[] {
  const errs: FieldError[] = [];
  (ep.subsets ?? []).forEach((ss, i) => {
    const sp = fieldPath("subsets").index(i);
    for (const [list, name] of [[ss.addresses ?? [], "addresses"], [ss.notReadyAddresses ?? [], "notReadyAddresses"]] as const) {
      list.forEach((a, j) => {
        if (!isIP(a.ip)) errs.push(invalid(sp.child(name).index(j).child("ip"), a.ip ?? "", invalidIPMessage));
      });
    }
    errs.push(...validatePorts(ss.ports ?? [], sp.child("ports")));
  });
  return errs;
}

/** `formatEndpoints`: `ip:port` pairs, at most three, `<none>` without subsets. */
function formatEndpoints(ep: Endpoints): string {
  const subsets = ep.subsets ?? [];
  if (subsets.length === 0) return "<none>";
  const list: string[] = [];
  let count = 0;
  for (const ss of subsets) {
    const addrs = ss.addresses ?? [];
    const ports = ss.ports ?? [];
    if (ports.length === 0) {
      count += addrs.length;
      for (const a of addrs) if (list.length < 3) list.push(a.ip);
      continue;
    }
    for (const p of ports) {
      count += addrs.length;
      for (const a of addrs) if (list.length < 3) list.push(a.ip.includes(":") ? `[${a.ip}]:${p.port}` : `${a.ip}:${p.port}`);
    }
  }
  const text = list.join(",");
  return count > 3 ? `${text} + ${count - 3} more...` : text;
}

/** The Endpoints registry strategy. */
export const endpointsStrategy = defineKind<Endpoints>({
  kind: "Endpoints",
  nameValidator: nameIsDNSSubdomain,
  defaults(ep) {
    for (const ss of ep.subsets ?? []) for (const p of ss.ports ?? []) if (!p.protocol) p.protocol = "TCP";
  },
  validateSpec: validateEndpoints,
  table: {
    columns: [col("Name"), col("Endpoints"), col("Age")],
    cells: (ep, now) => [ep.metadata.name ?? "", formatEndpoints(ep), age(ep.metadata.creationTimestamp, now)],
  },
});

const ADDRESS_TYPES = ["IPv4", "IPv6", "FQDN"];

function validateEndpointSlice(slice: EndpointSlice): FieldError[] {
  const errs: FieldError[] = [];
  if (!ADDRESS_TYPES.includes(slice.addressType)) {
    errs.push(slice.addressType ? notSupported(fieldPath("addressType"), slice.addressType, ADDRESS_TYPES) : required(fieldPath("addressType")));
  }
  (slice.endpoints ?? []).forEach((e, i) => {
    const ep = fieldPath("endpoints").index(i);
    if ((e.addresses ?? []).length === 0) errs.push(required(ep.child("addresses"), "must contain at least 1 address"));
    (e.addresses ?? []).forEach((a, j) => {
      if (slice.addressType !== "FQDN" && !isIP(a)) errs.push(invalid(ep.child("addresses").index(j), a, invalidIPMessage));
    });
  });
  return errs;
}

/** The EndpointSlice registry strategy; slices track generation. */
export const endpointSliceStrategy = defineKind<EndpointSlice>({
  kind: "EndpointSlice",
  nameValidator: nameIsDNSSubdomain,
  defaults(slice) {
    for (const p of slice.ports ?? []) {
      p.name ??= "";
      if (!p.protocol) p.protocol = "TCP";
    }
  },
  validateSpec: validateEndpointSlice,
  validateUpdate: (slice, old) => validateImmutable(slice.addressType, old.addressType, fieldPath("addressType"), slice.addressType ?? ""),
  generationOf: (slice) => ({ addressType: slice.addressType, endpoints: slice.endpoints, ports: slice.ports }),
  table: {
    columns: [col("Name"), col("AddressType"), col("Ports"), col("Endpoints"), col("Age")],
    cells: (slice, now) => [
      slice.metadata.name ?? "",
      slice.addressType ?? "",
      listWithMore((slice.ports ?? []).map((p) => (p.port !== undefined ? String(p.port) : p.name || "*"))),
      listWithMore((slice.endpoints ?? []).flatMap((e) => e.addresses ?? [])),
      age(slice.metadata.creationTimestamp, now),
    ],
  },
});
