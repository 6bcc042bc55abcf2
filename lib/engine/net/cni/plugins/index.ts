// The plugin binaries the engine simulates, by the `type` a configuration names. A binary must
// also exist in /opt/cni/bin for the runtime to run it (see ../runtime.ts).
import type { Plugin } from "../types";
import { bridgePlugin } from "./bridge";
import { calicoIpamPlugin, calicoPlugin } from "./calico";
import { flannelPlugin } from "./flannel";
import { hostLocalPlugin } from "./host-local";
import { loopbackPlugin } from "./loopback";
import { portmapPlugin } from "./portmap";
import { bandwidthPlugin } from "./bandwidth";

export const PLUGINS: ReadonlyMap<string, Plugin> = new Map(
  [bridgePlugin, hostLocalPlugin, loopbackPlugin, portmapPlugin, bandwidthPlugin, flannelPlugin, calicoPlugin, calicoIpamPlugin].map((p) => [p.type, p]),
);
