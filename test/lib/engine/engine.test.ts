import { describe, expect, it } from "vitest";
import { createCluster } from "@/lib/engine";

describe("createCluster (public contract)", () => {
  it("logs in as root on the control plane", async () => {
    const sh = createCluster({ scenario: "three-node-calico", seed: 7 }).shell();
    expect(sh.prompt()).toBe("controlplane:~$ ");
    expect(await sh.run("whoami && hostname")).toMatchObject({ stdout: "root\ncontrolplane\n", exitCode: 0 });
  });

  it("moves between nodes with ssh and back with exit", async () => {
    const sh = createCluster({ scenario: "three-node-flannel" }).shell();
    expect(await sh.run("ssh node02")).toMatchObject({ exitCode: 0 });
    expect(sh.prompt()).toBe("node02:~$ ");
    expect((await sh.run("ssh 172.30.1.3 hostname")).stdout).toBe("node01\n");
    const back = await sh.run("exit");
    expect(back.output).toBe("logout\nConnection to node02 closed.\n");
    expect(sh.prompt()).toBe("controlplane:~$ ");
  });

  it.each([
    ["ssh nowhere", "ssh: Could not resolve hostname nowhere: Name or service not known\r\n", 255],
    ["ssh admin@node01", "admin@node01: Permission denied (publickey).\r\n", 255],
    ["kubectl-nope", "bash: kubectl-nope: command not found\n", 127],
  ])("%s fails like the real tool", async (line, stderr, exitCode) => {
    const sh = createCluster({ scenario: "three-node-flannel" }).shell();
    expect(await sh.run(line)).toMatchObject({ stderr, exitCode });
  });

  it("advances virtual time with the elapsed time of each line", async () => {
    const cluster = createCluster({ scenario: "single-node" });
    const sh = cluster.shell();
    const before = cluster.internals.clock.now();
    await sh.run("true", { elapsedMs: 1500 });
    await sh.run("sleep 2");
    expect(cluster.internals.clock.now() - before).toBe(3500);
  });
});
