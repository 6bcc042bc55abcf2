/**
 * The loopback plugin: brings `lo` of the container's namespace up on ADD (its 127.0.0.1/8
 * routes appear with it) and down on DEL. containerd runs it for every sandbox before the
 * configured network (go-cni's `WithLoNetwork`), so a missing `/opt/cni/bin/loopback` fails
 * every pod.
 *
 * @example
 * loopbackPlugin.add({ type: "loopback", name: "cni-loopback" }, { ...inv, ifName: "lo" }, env);
 */
import type { CniError, CniResult, Plugin } from "../types";

export const loopbackPlugin: Plugin = {
  type: "loopback",
  add(conf, inv, env): CniResult | CniError {
    const lo = env.netns?.link("lo");
    if (!env.netns || !lo) return { error: `failed to Statfs "${inv.netns}": no such file or directory` };
    env.netns.setUp(lo, true);
    return {
      cniVersion: conf.cniVersion ?? "1.0.0",
      interfaces: [{ name: "lo", mac: "00:00:00:00:00:00", sandbox: inv.netns }],
      ips: [{ interface: 0, address: "127.0.0.1/8" }],
      dns: {},
    };
  },
  del(_conf, _inv, env) {
    const lo = env.netns?.link("lo");
    if (env.netns && lo) env.netns.setUp(lo, false);
    return undefined;
  },
};
