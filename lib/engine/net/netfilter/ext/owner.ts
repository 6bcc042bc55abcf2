/**
 * `-m owner` (libxt_owner.c, xt_owner.c): matches a locally generated packet by the socket that
 * sent it — the owner's uid or gid (a number, a range, or a name from /etc/passwd), or that a
 * socket exists at all. Istio's istio-init exempts the sidecar's own traffic with it
 * (`-m owner --uid-owner 1337 -j RETURN`), which is how the proxy's outbound connections escape
 * the redirect that brought the application's to it. Only OUTPUT and POSTROUTING see a socket.
 *
 * @example
 * -A ISTIO_OUTPUT -o lo -m owner ! --uid-owner 1337 -j RETURN
 */
import type { OwnerMatch } from "../types";
import { type MatchExtension, parseUint, Seen, x6Check, x6Finish, XtError } from "../xtables";

type Range = { readonly lo: number; readonly hi: number; readonly negate: boolean };
type State = { seen: Seen; uid?: Range; gid?: Range; socketExists?: { negate: boolean } };

/** The accounts an Ubuntu node knows by name (getpwnam/getgrnam). */
const NAMES: Readonly<Record<string, number>> = { root: 0, daemon: 1, bin: 2, sys: 3, nobody: 65534 };

/** `1337`, `1000-2000` or a user name, as xtables_parse_uid and friends read it. */
function parseRange(text: string, what: "user" | "group", negate: boolean): Range {
  if (NAMES[text] !== undefined) return { lo: NAMES[text], hi: NAMES[text], negate };
  const [a, b] = text.split("-");
  const lo = parseUint(a, 0, 0xfffffffe);
  const hi = b === undefined ? lo : parseUint(b, 0, 0xfffffffe);
  if (lo === undefined || hi === undefined || text.split("-").length > 2) throw new XtError(`Bad value for "--${what === "user" ? "uid" : "gid"}-owner" option: "${text}"`);
  return { lo, hi, negate };
}

export const ownerMatch: MatchExtension<State, OwnerMatch> = {
  name: "owner",
  kinds: ["owner"],
  x6: true,
  options: [
    { name: "uid-owner", hasArg: true, invert: true },
    { name: "gid-owner", hasArg: true, invert: true },
    { name: "socket-exists", hasArg: false, invert: true },
  ],
  help: `owner match options:
[!] --uid-owner userid[-userid]      Match local UID
[!] --gid-owner groupid[-groupid]    Match local GID
[!] --suppl-groups                   Also match supplementary groups set with --gid-owner
[!] --socket-exists                  Match if socket exists
`,
  init: () => ({ seen: new Seen() }),
  parse(s, call) {
    x6Check(ownerMatch, s.seen, call);
    if (call.option === "uid-owner") s.uid = parseRange(call.arg, "user", call.invert);
    else if (call.option === "gid-owner") s.gid = parseRange(call.arg, "group", call.invert);
    else s.socketExists = { negate: call.invert };
  },
  finish(s) {
    x6Finish(ownerMatch, s.seen);
    if (!s.uid && !s.gid && !s.socketExists) throw new XtError("owner: At least one of --uid-owner, --gid-owner or --socket-exists is required");
    return Object.freeze({ kind: "owner" as const, uid: s.uid, gid: s.gid, socketExists: s.socketExists });
  },
  saveName: () => "owner",
  save: (m) => describe(m, "--socket-exists", "--uid-owner", "--gid-owner", true),
  print: (m, ctx) => describe(m, "owner socket exists", "owner UID match", "owner GID match", ctx.numeric),
};

function describe(m: OwnerMatch, socket: string, uid: string, gid: string, numeric: boolean): string {
  const item = (label: string, r: Range) => {
    const value = r.lo !== r.hi ? `${r.lo}-${r.hi}` : !numeric && r.lo === 0 ? "root" : String(r.lo);
    return `${r.negate ? " !" : ""} ${label} ${value}`;
  };
  let out = m.socketExists ? `${m.socketExists.negate ? " !" : ""} ${socket}` : "";
  if (m.uid) out += item(uid, m.uid);
  if (m.gid) out += item(gid, m.gid);
  return out;
}

/** xt_owner's owner_mt: a packet without a socket matches only where every test is inverted. */
export function ownerMatches(m: OwnerMatch, sk: { uid: number; gid: number } | undefined): boolean {
  if (!sk) return (!m.uid || m.uid.negate) && (!m.gid || m.gid.negate) && (!m.socketExists || m.socketExists.negate);
  if (m.socketExists?.negate) return false;
  if (m.uid && (sk.uid >= m.uid.lo && sk.uid <= m.uid.hi) === m.uid.negate) return false;
  if (m.gid && (sk.gid >= m.gid.lo && sk.gid <= m.gid.hi) === m.gid.negate) return false;
  return true;
}
