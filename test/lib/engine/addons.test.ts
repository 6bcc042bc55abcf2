import { describe, expect, test } from "vitest";
import { parseAllDocuments } from "yaml";
import { createCluster } from "@/lib/engine";
import { addonManifests } from "@/lib/engine/addons";
import type { Pod } from "@/lib/engine/api";
import { ImageCatalog } from "@/lib/engine/node/images/catalog";
import { parseReference } from "@/lib/engine/node/images/reference";

interface PodSpecLike {
  containers?: { image?: string }[];
  initContainers?: { image?: string }[];
}

/** Every image a manifest's pod templates (or pods) name. */
function imagesOf(doc: { kind?: string; spec?: { template?: { spec?: PodSpecLike } } & PodSpecLike }): string[] {
  const spec = doc.kind === "Pod" ? doc.spec : doc.spec?.template?.spec;
  return [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])].map((c) => c.image ?? "");
}

/**
 * Every built-in scenario boots with all of its system pods running and ready (control plane,
 * kube-proxy, CoreDNS, the CNI's own pods), and every image its add-ons name exists in the
 * image catalog, so a tag bump in an add-on manifest cannot leave pods in ImagePullBackOff.
 */
describe.each(["single-node", "three-node-flannel", "three-node-calico"])("%s", (scenario) => {
  const cluster = createCluster({ scenario, seed: 1 });
  const pods = cluster.internals.store.list<Pod>("Pod");
  const catalog = new ImageCatalog(cluster.scenario.kubernetesVersion);

  test("has system pods in every namespace it installs", () => {
    expect(pods.length).toBeGreaterThan(0);
  });

  test.each(pods.map((p) => [`${p.metadata.namespace}/${p.metadata.name}`, p] as const))("%s is Running and Ready", (_name, pod) => {
    const ready = pod.status?.conditions?.find((c) => c.type === "Ready")?.status;
    expect({ phase: pod.status?.phase, ready }).toEqual({ phase: "Running", ready: "True" });
  });

  const addonImages = parseAllDocuments(addonManifests(cluster.scenario)).flatMap((d) => imagesOf(d.toJS() ?? {}));
  const podImages = pods.flatMap((p) => imagesOf({ kind: "Pod", spec: p.spec }));
  test.each([...new Set([...addonImages, ...podImages])])("%s is in the image catalog", (image) => {
    const parsed = parseReference(image);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(catalog.find(parsed.ref)?.repository).toBe(parsed.ref.repository);
  });
});
