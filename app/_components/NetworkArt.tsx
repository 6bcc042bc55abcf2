import styles from "./NetworkArt.module.css";

/**
 * Hero illustration: a three-node cluster and one packet's path from a pod on node-1,
 * through the bridge, out over the node network in a VXLAN tunnel, to a pod on node-2.
 * Decorative (the hero text says the same in words), so hidden from assistive technology.
 */
export function NetworkArt() {
  const flow = "M72 300 V274 H212 V148 H472 V274 H332 V300";
  return (
    <svg
      className={styles.art}
      viewBox="0 0 520 380"
      width="520"
      height="380"
      aria-hidden="true"
      focusable="false"
    >
      <defs>
        <pattern id="nl-dots" width="16" height="16" patternUnits="userSpaceOnUse">
          <circle cx="1.5" cy="1.5" r="1" className={styles.dot} />
        </pattern>
      </defs>
      <rect x="0" y="0" width="520" height="380" rx="18" fill="url(#nl-dots)" />

      {/* node network */}
      <line x1="28" y1="148" x2="492" y2="148" className={styles.wire} strokeWidth="2" />
      <text x="30" y="140" className={styles.small}>
        192.168.56.0/24
      </text>
      <line x1="260" y1="104" x2="260" y2="148" className={styles.wire} />
      <line x1="212" y1="148" x2="212" y2="198" className={styles.wire} />
      <line x1="472" y1="148" x2="472" y2="198" className={styles.wire} />

      {/* control plane */}
      <g>
        <rect x="150" y="18" width="220" height="86" rx="12" className={styles.node} />
        <text x="166" y="42" className={styles.title}>
          control-plane
        </text>
        <text x="166" y="58" className={styles.small}>
          192.168.56.10
        </text>
        <rect x="166" y="70" width="82" height="22" rx="6" className={styles.chip} />
        <text x="207" y="85" textAnchor="middle" className={styles.chipText}>
          apiserver
        </text>
        <rect x="256" y="70" width="98" height="22" rx="6" className={styles.chip} />
        <text x="305" y="85" textAnchor="middle" className={styles.chipText}>
          coredns
        </text>
      </g>

      {/* node-1 */}
      <Worker x={20} name="node-1" ip="192.168.56.11" bridge="cni0 10.244.1.1" pods={[
        { name: "web", ip: "10.244.1.4", accent: true },
        { name: "cache", ip: "10.244.1.7" },
      ]} />
      {/* node-2 */}
      <Worker x={280} name="node-2" ip="192.168.56.12" bridge="cni0 10.244.2.1" pods={[
        { name: "api", ip: "10.244.2.5", accent: true, alt: true },
        { name: "worker", ip: "10.244.2.9" },
      ]} />

      {/* the packet's path */}
      <path d={flow} pathLength={100} className={styles.route} />
      <path d={flow} pathLength={100} className={styles.packet} />

      {/* tunnel label */}
      <g>
        <rect x="324" y="160" width="120" height="22" rx="11" className={styles.tag} />
        <text x="384" y="175" textAnchor="middle" className={styles.tagText}>
          vxlan · udp/4789
        </text>
      </g>

      {/* interfaces */}
      <circle cx="260" cy="104" r="4" className={styles.port} />
      <circle cx="212" cy="198" r="4" className={styles.port} />
      <circle cx="472" cy="198" r="4" className={styles.port} />
    </svg>
  );
}

type Pod = { name: string; ip: string; accent?: boolean; alt?: boolean };

function Worker({
  x,
  name,
  ip,
  bridge,
  pods,
}: {
  x: number;
  name: string;
  ip: string;
  bridge: string;
  pods: Pod[];
}) {
  return (
    <g>
      <rect x={x} y="198" width="220" height="162" rx="12" className={styles.node} />
      <text x={x + 16} y="222" className={styles.title}>
        {name}
      </text>
      <text x={x + 16} y="238" className={styles.small}>
        {ip}
      </text>
      <line x1={x + 16} y1="274" x2={x + 204} y2="274" className={styles.bridge} />
      <line x1={x + 192} y1="198" x2={x + 192} y2="274" className={styles.wireThin} />
      <text x={x + 16} y="266" className={styles.small}>
        {bridge}
      </text>
      {pods.map((pod, i) => {
        const px = x + 16 + i * 100;
        return (
          <g key={pod.name}>
            <line x1={px + 36} y1="274" x2={px + 36} y2="300" className={styles.wireThin} />
            <rect
              x={px}
              y="300"
              width="88"
              height="44"
              rx="9"
              className={pod.accent ? (pod.alt ? styles.podAlt : styles.podAccent) : styles.pod}
            />
            <text x={px + 10} y="318" className={styles.podName}>
              {pod.name}
            </text>
            <text x={px + 10} y="334" className={styles.small}>
              {pod.ip}
            </text>
          </g>
        );
      })}
    </g>
  );
}
