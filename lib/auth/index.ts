// Who the visitor is. For now every visitor is a guest learner identified by a cookie that
// proxy.ts issues on first visit; accounts arrive with the grading issue.
export { LEARNER_COOKIE, isLearnerId, newLearnerId, learnerCookieOptions } from "./guest";
export { currentLearnerId } from "./current";
