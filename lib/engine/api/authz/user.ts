/**
 * Who is asking: the user the authenticator (client certificate, service-account token) or
 * impersonation resolved, as `user.Info` carries it through the apiserver.
 *
 * @example
 * serviceAccountUser("dev", "ci");
 * // { name: "system:serviceaccount:dev:ci", groups: ["system:serviceaccounts", "system:serviceaccounts:dev", "system:authenticated"] }
 * impersonatedUser("jane", ["devs"]); // { name: "jane", groups: ["devs", "system:authenticated"] }
 */

/** The requesting user (`user.Info`); `extra` is what `kubectl auth whoami` lists as `Extra:` lines. */
export interface UserInfo {
  name: string;
  uid?: string;
  groups: readonly string[];
  extra?: Readonly<Record<string, readonly string[]>>;
}

export const MASTERS_GROUP = "system:masters";
export const AUTHENTICATED_GROUP = "system:authenticated";
export const UNAUTHENTICATED_GROUP = "system:unauthenticated";
export const ANONYMOUS_USER = "system:anonymous";
export const SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:";

/** The anonymous user a request without credentials becomes (kubeadm leaves anonymous auth on). */
export const ANONYMOUS: UserInfo = { name: ANONYMOUS_USER, groups: [UNAUTHENTICATED_GROUP] };

/** `serviceaccount.SplitUsername`: namespace and name of `system:serviceaccount:NS:NAME`, or undefined. */
export function splitServiceAccountName(user: string): { namespace: string; name: string } | undefined {
  if (!user.startsWith(SERVICE_ACCOUNT_PREFIX)) return undefined;
  const parts = user.slice(SERVICE_ACCOUNT_PREFIX.length).split(":");
  if (parts.length !== 2 || parts[0] === "" || parts[1] === "") return undefined;
  return { namespace: parts[0], name: parts[1] };
}

/** `serviceaccount.MakeGroupNames`. */
export function serviceAccountGroups(namespace: string): string[] {
  return ["system:serviceaccounts", `system:serviceaccounts:${namespace}`];
}

/** What the service-account token authenticator makes of a valid token (`extra` from its claims). */
export function serviceAccountUser(namespace: string, name: string, uid?: string, extra?: Record<string, readonly string[]>): UserInfo {
  return {
    name: `${SERVICE_ACCOUNT_PREFIX}${namespace}:${name}`,
    ...(uid ? { uid } : {}),
    groups: [...serviceAccountGroups(namespace), AUTHENTICATED_GROUP],
    ...(extra ? { extra } : {}),
  };
}

/**
 * `WithImpersonation`'s resulting user for `--as NAME --as-group G…`: a service account gains
 * its groups when no group was asked for, and everyone but `system:anonymous` gains
 * `system:authenticated`.
 */
export function impersonatedUser(name: string, groups: readonly string[]): UserInfo {
  const all = [...groups];
  const account = splitServiceAccountName(name);
  if (account && groups.length === 0) all.push(...serviceAccountGroups(account.namespace));
  if (name !== ANONYMOUS_USER && !all.includes(AUTHENTICATED_GROUP)) all.push(AUTHENTICATED_GROUP);
  return { name, groups: all };
}
