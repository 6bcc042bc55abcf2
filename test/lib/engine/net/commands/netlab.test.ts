// `netlab explain`: which policies select each side, which rule allowed, and where the probe
// was dropped — on the NetworkPolicy matrix cluster (x/y/z × a/b/c), Calico and flannel.
import { beforeAll, describe, expect, it } from "vitest";
import { bootMatrix, fork, policy } from "../policy/helpers";

describe("netlab explain", () => {
  let booted: Awaited<ReturnType<typeof bootMatrix>>;
  beforeAll(async () => {
    booted = await bootMatrix("three-node-calico");
  }, 60_000);

  it("explains an allowed connection: no policy isolates either side", async () => {
    const m = fork(booted);
    const r = await m.sh.run("netlab explain x/a y/b 80");
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(
      `x/a (${m.podIP("x", "a")} on node01) -> y/b (${m.podIP("y", "b")} on node02), port 80/TCP\n\n` +
      "Egress from x/a: allowed: no NetworkPolicy in namespace x selects the pod for Egress, so it is not isolated\n" +
      "Ingress to y/b: allowed: no NetworkPolicy in namespace y selects the pod for Ingress, so it is not isolated\n\n" +
      "Verdict: ALLOWED by NetworkPolicy\n\n" +
      "Dataplane: Calico (Felix) enforces NetworkPolicy in each node's iptables filter table.\n" +
      `  probe SYN x/a -> ${m.podIP("y", "b")}:80: connected\n`,
    );
  });

  it("names the selecting policies, the allowing rule, and the chain that dropped", async () => {
    const m = fork(booted);
    await m.apply(
      policy("y", "deny-all", { podSelector: {}, policyTypes: ["Ingress"] }),
      policy("y", "allow-x-a", { podSelector: { matchLabels: { pod: "b" } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns: "x" } }, podSelector: { matchLabels: { pod: "a" } } }], ports: [{ port: 80 }] }] }),
    );
    const allowed = await m.sh.run("netlab explain -n x a y/b 80");
    expect(allowed.stdout).toContain("Ingress to y/b: isolated: selected for Ingress by y/allow-x-a, y/deny-all\n  allowed by y/allow-x-a, ingress rule 1: from pods with pod=a in namespaces labelled ns=x, on 80/TCP\n");
    expect(allowed.stdout).toContain("Verdict: ALLOWED by NetworkPolicy\n");
    const denied = await m.sh.run("netlab explain x/c y/b 80");
    expect(denied.exitCode).toBe(1);
    expect(denied.stdout).toContain("  denied: no ingress rule of those policies matches this peer and port\n\nVerdict: DENIED by NetworkPolicy\n");
    expect(denied.stdout).toMatch(/ {2}probe SYN x\/c -> [\d.]+:80: timed out \(nothing answered\)\n {2}dropped on node02 \(host namespace, in eth0\): filter\/FORWARD: DROP \(filter\/cali-tw-cali\w+ rule \d+\): "Drop if no policies passed packet"\n$/);
  });

  it("says when egress is what denies", async () => {
    const m = fork(booted);
    await m.apply(policy("x", "deny-egress", { podSelector: {}, policyTypes: ["Egress"] }));
    const r = await m.sh.run("netlab explain x/a x/c 81");
    expect(r.stdout).toContain("Egress from x/a: isolated: selected for Egress by x/deny-egress\n  denied: no egress rule of that policy matches this peer and port\n");
    expect(r.stdout).toContain("Ingress to x/c: allowed: no NetworkPolicy in namespace x selects the pod for Ingress, so it is not isolated\n  (1 policy in x selects other pods or other directions: deny-egress [Egress])\n");
    expect(r.stdout).toMatch(/dropped on node01 \(host namespace, in cali\w+\): filter\/FORWARD: DROP \(filter\/cali-fw-cali\w+ rule \d+\): "Drop if no policies passed packet"\n$/);
  });

  it("fails clearly on bad input", async () => {
    const m = fork(booted);
    expect((await m.sh.run("netlab explain x/a y/nope 80")).stderr).toBe('Error: pods "nope" not found in namespace "y"\n');
    expect((await m.sh.run("netlab explain x/a y/b http")).stderr).toBe('Error: invalid port "http": want a number 1-65535, optionally /TCP, /UDP or /SCTP\n');
    expect((await m.sh.run("netlab explain x/a")).stderr).toMatch(/^Error: accepts SOURCE DESTINATION PORT\[\/PROTOCOL\], received 1 argument\(s\)\n/);
    expect((await m.sh.run("netlab frobnicate")).stderr).toBe('Error: unknown command "frobnicate" for "netlab"\nRun \'netlab --help\' for usage.\n');
  });
});

describe("netlab explain on flannel", () => {
  it("says the policies are only API objects, and the probe connects", async () => {
    const m = fork(await bootMatrix("three-node-flannel"));
    await m.apply(policy("y", "deny-all", { podSelector: {}, policyTypes: ["Ingress"] }));
    const r = await m.sh.run("netlab explain x/a y/b 80");
    expect(r.stdout).toContain("Verdict: DENIED by NetworkPolicy\n\nDataplane: this cluster's CNI does not enforce NetworkPolicy: policies are only API objects here.\n");
    expect(r.stdout).toMatch(/probe SYN x\/a -> [\d.]+:80: connected\n$/);
  }, 60_000);
});
