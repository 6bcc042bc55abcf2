import { describe, expect, it } from "vitest";
import { lab } from "./helpers";

const SESSION = [
  "ip netns add red",
  "ip link add veth-red type veth peer name veth-blue",
  "ip link set veth-red netns red",
  "ip link add br0 type bridge",
  "ip link set veth-blue master br0",
  "ip -n red addr add 10.200.0.1/24 dev veth-red",
  "ip -n red link set veth-red up",
  "ip link set veth-blue up",
  "ip link set br0 up",
  "ip -d a",
  "ip netns exec red ip -s -d a",
  "bridge fdb show",
  "lsns",
  "ip netns list",
  "unshare -n ip a",
];

async function transcript(seed: number): Promise<string> {
  const { sh } = lab("single-node", seed);
  let out = "";
  for (const line of SESSION) {
    const r = await sh.run(line);
    out += `$ ${line}\n${r.stdout}${r.stderr}[${r.exitCode}]\n`;
  }
  return out;
}

describe("the network tools are deterministic", () => {
  it("print the same bytes for the same scenario, seed and commands", async () => {
    const a = await transcript(7);
    expect(await transcript(7)).toBe(a);
    expect(a).not.toContain("[1]");
    // MACs come from the network's seeded stream: another seed, other MACs.
    expect(await transcript(8)).not.toBe(a);
  });
});
