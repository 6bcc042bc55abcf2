/**
 * The bandwidth plugin, chained after the main one: it shapes a pod's traffic only when the
 * runtime hands it the `bandwidth` capability (the `kubernetes.io/ingress-bandwidth` and
 * `egress-bandwidth` annotations). Without them it passes the previous result on and leaves no
 * trace; with them it refuses, as traffic shaping is not simulated.
 *
 * @example
 * bandwidthPlugin.add({ type: "bandwidth", capabilities: { bandwidth: true } }, inv, env, prevResult); // prevResult
 */
import type { CniError, CniResult, NetConf, Plugin } from "../types";

export const bandwidthPlugin: Plugin = {
  type: "bandwidth",
  add(conf: NetConf, _inv, _env, prevResult): CniResult | CniError {
    if (!prevResult) return { error: "must be called as chained plugin" };
    if ((conf.runtimeConfig as { bandwidth?: unknown } | undefined)?.bandwidth) return { error: "netlab does not simulate traffic shaping (the bandwidth plugin's tc qdiscs)" };
    return prevResult;
  },
  del: () => undefined,
};
