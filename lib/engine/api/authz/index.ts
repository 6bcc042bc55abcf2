/**
 * Authorization in the API layer: who is asking (`UserInfo`, service accounts, impersonation),
 * what RBAC grants them (`authorize`, `rulesFor`, over bindings indexed by subject), the
 * apiserver's Forbidden error, and the store as one user sees it (`authorizedStore`).
 *
 * @example
 * import { authorizedStore, impersonatedUser } from "@/lib/engine/api";
 * authorizedStore(store, impersonatedUser("jane", [])).list("Pod", { namespace: "dev" });
 */
export { type Attributes, type NonResourceAttributes, type ResourceAttributes, forbidden, forbiddenMessage, isResourceRequest } from "./attributes";
export type { RbacReader } from "./binding-index";
export { type Decision, type SubjectRules, authorize, ruleAllows, rulesFor } from "./rbac";
export { authorizeRequest, authorizedStore } from "./authorized-store";
export {
  ANONYMOUS, ANONYMOUS_USER, AUTHENTICATED_GROUP, MASTERS_GROUP, SERVICE_ACCOUNT_PREFIX, type UserInfo, impersonatedUser,
  serviceAccountGroups, serviceAccountUser, splitServiceAccountName,
} from "./user";
export { type ServiceAccountClaims, type TokenCheck, type TokenRequest, authenticateToken, decodeTokenClaims, issueToken, keyID } from "./service-account-token";
export { type AuthenticationTrust, type Credentials, type TrustFlags, apiserverTrust, authenticate, certificateUser } from "./authenticate";
export { signJwt, verifyJwt } from "./jwt";
