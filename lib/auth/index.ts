// Who the visitor is: a guest learner (a cookie that proxy.ts issues on first visit) or an
// account signed in with a session. Server-only, except guest.ts which proxy.ts imports directly.
export { LEARNER_COOKIE, isLearnerId, newLearnerId, learnerCookieOptions } from "./guest";
export { getViewer, viewerWithoutCookieChanges, type Viewer, type Account, type Role } from "./viewer";
export { hasRole, requireRole, forbidden, roleForNewAccount, type RoleCheck } from "./roles";
export { SESSION_COOKIE, SESSION_LIFETIME_MS, ROTATE_AFTER_MS, ROTATION_GRACE_MS, sessionCookieOptions, startSession, findLiveSession, isDueForRotation, rotateSession, endSession, hashSessionToken } from "./session";
export { signUp, signIn, signOut, describeSession } from "./flows";
export { safeNextPath, DEFAULT_AFTER_SIGN_IN } from "./redirect";
