// conntrack-tools 1.4.6 over a node's table: what a curl through a Service leaves behind, the
// filters, deletion, flush, count, and the tool's own errors.
import { describe, expect, it } from "vitest";
import { createCluster } from "@/lib/engine";

async function afterCurl() {
  const cluster = createCluster({ scenario: "three-node-flannel", seed: 4 });
  const sh = cluster.shell();
  await sh.run("kubectl create deployment web --image=nginx; kubectl expose deployment web --port=80; sleep 30");
  const svc = (await sh.run("kubectl get svc web -o jsonpath='{.spec.clusterIP}'")).stdout;
  const web = (await sh.run("kubectl get pods -l app=web -o jsonpath='{.items[0].status.podIP}'")).stdout;
  await sh.run(`kubectl run probe --image=curlimages/curl --restart=Never -- curl -s ${svc}; sleep 5`);
  // The probe's node made the connection's NAT decision, so its table has the entry.
  const node = (await sh.run("kubectl get pod probe -o jsonpath='{.spec.nodeName}'")).stdout;
  await sh.run(`ssh ${node}`);
  return { cluster, sh, svc, web };
}

describe("conntrack", () => {
  it("lists the Service connection a curl made: DNAT in the reply tuple, TIME_WAIT after the close", async () => {
    const { sh, svc, web } = await afterCurl();
    const r = await sh.run("conntrack -L -p tcp --dport 80");
    expect(r.stderr).toBe("conntrack v1.4.6 (conntrack-tools): 1 flow entries have been shown.\n");
    expect(r.stdout).toMatch(new RegExp(`^tcp {6}6 11\\d TIME_WAIT src=10\\.244\\.\\d+\\.\\d+ dst=${svc.replace(/\./g, "\\.")} sport=\\d+ dport=80 src=${web.replace(/\./g, "\\.")} dst=10\\.244\\.\\d+\\.\\d+ sport=80 dport=\\d+ \\[ASSURED\\] mark=0 use=1\\n$`));
    expect((await sh.run(`conntrack -L -d ${svc}`)).stdout).toBe(r.stdout);
    expect((await sh.run(`conntrack -L -o extended -p tcp --dport 80`)).stdout).toBe(`ipv4     2 ${r.stdout}`);
    expect((await sh.run("conntrack -L -p udp --dport 80")).stderr).toBe("conntrack v1.4.6 (conntrack-tools): 0 flow entries have been shown.\n");
    expect((await sh.run("conntrack -L -p tcp -g")).stdout).toBe(r.stdout);
  });

  it("forgets entries as their timeouts pass on the virtual clock", async () => {
    const { sh } = await afterCurl();
    await sh.run("sleep 121");
    expect((await sh.run("conntrack -L -p tcp --dport 80")).stderr).toContain(": 0 flow entries have been shown.");
  });

  it("deletes what matches (printing it), counts, and flushes", async () => {
    const { sh, svc } = await afterCurl();
    const count = Number((await sh.run("conntrack -C")).stdout);
    expect(count).toBeGreaterThan(0);
    const deleted = await sh.run(`conntrack -D -p tcp -d ${svc}`);
    expect(deleted.stdout).toContain(`dst=${svc} `);
    expect(deleted.stderr).toBe("conntrack v1.4.6 (conntrack-tools): 1 flow entries have been deleted.\n");
    expect(deleted.exitCode).toBe(0);
    expect(Number((await sh.run("conntrack -C")).stdout)).toBe(count - 1);
    expect(await sh.run(`conntrack -D -p tcp -d ${svc}`)).toMatchObject({ stdout: "", stderr: "conntrack v1.4.6 (conntrack-tools): 0 flow entries have been deleted.\n", exitCode: 1 });
    expect(await sh.run("conntrack -F")).toMatchObject({ stderr: "conntrack v1.4.6 (conntrack-tools): connection tracking table has been emptied.\n", exitCode: 0 });
    expect((await sh.run("conntrack -C")).stdout).toBe("0\n");
  });

  it("fails as conntrack-tools does on bad input", async () => {
    const sh = createCluster({ scenario: "single-node", seed: 4 }).shell();
    const tryHelp = "Try `conntrack -h' or 'conntrack --help' for more information.\n";
    expect(await sh.run("conntrack")).toMatchObject({ stderr: `conntrack v1.4.6 (conntrack-tools): no command specified\n${tryHelp}`, exitCode: 2 });
    expect(await sh.run("conntrack -L -d 10.0.0.300")).toMatchObject({ stderr: `conntrack v1.4.6 (conntrack-tools): Invalid IP address \`10.0.0.300'.\n${tryHelp}`, exitCode: 2 });
    expect(await sh.run("conntrack -L --dport 80")).toMatchObject({ stderr: `conntrack: unrecognized option '--dport'\n${tryHelp}`, exitCode: 2 });
    expect(await sh.run("conntrack -L -D")).toMatchObject({ stderr: `conntrack v1.4.6 (conntrack-tools): Invalid commands combination\n${tryHelp}`, exitCode: 2 });
  });
});
