/**
 * `ethtool -S IF` and `ethtool -i IF` (ethtool 5.16 on Ubuntu 22.04): a driver's statistics (a
 * veth reports `peer_ifindex`, the index of its other end — the way to find a pod's host-side
 * veth) and its driver information. Other options fail saying so.
 *
 * @example
 * ethtool -S eth0 | grep peer_ifindex
 */
import type { Command, CommandResult } from "../../shell";
import type { Link } from "../kernel/link";
import type { ClusterNetwork } from "../network";
import { currentNet } from "./context";
import { findLink } from "./ip/common";

const DRIVERS: Partial<Record<Link["kind"], { driver: string; version: string; bus: string; stats: boolean }>> = {
  device: { driver: "virtio_net", version: "1.0.0", bus: "0000:00:03.0", stats: true },
  veth: { driver: "veth", version: "1.0", bus: "", stats: true },
  bridge: { driver: "bridge", version: "2.3", bus: "N/A", stats: false },
  vxlan: { driver: "vxlan", version: "0.1", bus: "", stats: false },
  dummy: { driver: "dummy", version: "1.0", bus: "", stats: false },
  ipip: { driver: "ipip", version: "", bus: "", stats: false },
  wireguard: { driver: "wireguard", version: "1.0.0", bus: "", stats: false },
};

const done = (stdout: string, stderr = "", exitCode = 0): CommandResult => ({ stdout, stderr, exitCode });

function statistics(network: ClusterNetwork, link: Link): string[] | undefined {
  if (link.kind === "veth") {
    // veth_get_ethtool_stats: the peer's ifindex, then per-queue XDP counters.
    const peer = network.peerOf(link);
    return [
      `peer_ifindex: ${peer?.link.index ?? 0}`,
      ...["xdp_packets", "xdp_bytes", "drops", "xdp_redirect", "xdp_drops", "xdp_tx", "xdp_tx_errors"].map((s) => `rx_queue_0_${s}: ${s === "drops" ? link.stats.rxDropped : 0}`),
      "tx_queue_0_xdp_xmit: 0",
      "tx_queue_0_xdp_xmit_errors: 0",
    ];
  }
  if (link.kind === "device") {
    const st = link.stats;
    return [
      `rx_queue_0_packets: ${st.rxPackets}`, `rx_queue_0_bytes: ${st.rxBytes}`, `rx_queue_0_drops: ${st.rxDropped}`, "rx_queue_0_xdp_packets: 0",
      "rx_queue_0_xdp_tx: 0", "rx_queue_0_xdp_redirects: 0", "rx_queue_0_xdp_drops: 0", `rx_queue_0_kicks: ${Math.ceil(st.rxPackets / 64)}`,
      `tx_queue_0_packets: ${st.txPackets}`, `tx_queue_0_bytes: ${st.txBytes}`, "tx_queue_0_xdp_tx: 0", "tx_queue_0_xdp_tx_drops: 0", `tx_queue_0_kicks: ${st.txPackets}`,
    ];
  }
  return undefined;
}

export const ethtoolCommand: Command = {
  name: "ethtool",
  summary: "query or control network driver and hardware settings",
  usage: "ethtool [ FLAGS ] DEVNAME\t[ -S | -i ] …",
  path: "/usr/sbin/ethtool",
  spec: { flags: [], raw: true },
  run(args, ctx) {
    const argv = args.operands;
    if (argv[0] === "--version") return done("ethtool version 5.16\n");
    if (argv.length === 0) return done("", "ethtool: bad command line argument(s)\nFor more information run ethtool -h\n", 1);
    const [opt, name] = argv.length === 1 ? [undefined, argv[0]] : argv;
    if (opt !== undefined && !["-S", "--statistics", "-i", "--driver"].includes(opt)) {
      return done("", `ethtool: the option ${opt} is not simulated here; ethtool -S IF and -i IF are\n`, 1);
    }
    if (opt === undefined) return done("", "ethtool: link settings (ethtool IF) are not simulated here; ethtool -S IF and -i IF are\n", 1);
    if (name === undefined || argv.length > 2) return done("", "ethtool: bad command line argument(s)\nFor more information run ethtool -h\n", 1);
    const here = currentNet(ctx);
    const link = here && findLink(here.stack, name);
    const statsAsked = opt === "-S" || opt === "--statistics";
    if (!here || !link) return done("", `${statsAsked ? "Cannot get stats strings information" : "Cannot get driver information"}: No such device\n`, 71);
    const driver = DRIVERS[link.kind];
    if (statsAsked) {
      const stats = statistics(here.network, link);
      if (!stats) return done("", "no stats available\n", 94);
      return done(`NIC statistics:\n${stats.map((s) => `     ${s}\n`).join("")}`);
    }
    if (!driver) return done("", "Cannot get driver information: Operation not supported\n", 71);
    return done(
      `driver: ${driver.driver}\nversion: ${driver.version}\nfirmware-version: ${link.kind === "bridge" ? "N/A" : ""}\nexpansion-rom-version: \nbus-info: ${driver.bus}\n` +
        `supports-statistics: ${driver.stats ? "yes" : "no"}\nsupports-test: no\nsupports-eeprom-access: no\nsupports-register-dump: no\nsupports-priv-flags: no\n`,
    );
  },
};
