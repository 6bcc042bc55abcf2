/**
 * `istioctl install`: the profile's components (minimal: istiod; default: istiod and the
 * ingress gateway; demo: both gateways), after a confirmation unless `-y`, then a wait until
 * istiod is available, with the progress lines istioctl prints.
 *
 * @example
 * istioctl install --set profile=demo -y
 */
import type { CommandContext, CommandResult } from "../../shell";
import { createFromManifests } from "../../cluster/manifests";
import { istioGatewayManifests } from "../../addons/istio";
import { ISTIO_VERSION } from "../constants";
import type { MeshControlPlane } from "../control-plane";

const LOGO = `        |\\
        | \\
        |  \\
        |   \\
      /||    \\
     / ||     \\
    /  ||      \\
   /   ||       \\
  /    ||        \\
 /     ||         \\
/______||__________\\
____________________
  \\__       _____/
     \\_____/
`;

const PROFILES = ["ambient", "default", "demo", "empty", "minimal", "openshift", "openshift-ambient", "preview", "remote", "stable"];

/** The `--set` values it understands; anything else is refused rather than silently ignored. */
function settings(words: readonly string[]): { profile: string; yes: boolean } | { error: string } {
  let profile = "default";
  let yes = false;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w === "-y" || w === "--skip-confirmation") yes = true;
    else if (w === "--set" || w.startsWith("--set=")) {
      const value = w === "--set" ? words[++i] : w.slice("--set=".length);
      if (value === undefined) return { error: 'Error: flag needs an argument: --set' };
      const [key, v] = value.split("=");
      if (key !== "profile") return { error: `Error: --set ${value}: only profile=… can be set in this lab` };
      profile = v ?? "";
    } else if (w.startsWith("--set-profile") || w === "-f" || w === "--filename") {
      return { error: `Error: ${w}: not supported in this lab (use --set profile=NAME)` };
    } else return { error: `Error: unknown flag: ${w}` };
  }
  if (!PROFILES.includes(profile)) return { error: `Error: generate config: profile "${profile}" not found` };
  if (!["minimal", "default", "demo"].includes(profile)) return { error: `Error: profile "${profile}": only the minimal, default and demo profiles can be installed in this lab` };
  return { profile, yes };
}

export function install(mesh: MeshControlPlane | undefined, words: readonly string[], ctx: CommandContext): CommandResult {
  const s = settings(words);
  if ("error" in s) return { stdout: "", stderr: `${s.error}\n`, exitCode: 1 };
  if (!mesh) return { stdout: "", stderr: "Error: failed to connect to the Kubernetes API server\n", exitCode: 1 };
  let stdout = "";
  if (!s.yes) {
    stdout += `This will install the Istio ${ISTIO_VERSION} profile "${s.profile}" into the cluster. Proceed? (y/N) `;
    const answer = ctx.readLine();
    if (!/^y(es)?$/i.test(answer?.trim() ?? "")) return { stdout: `${stdout}Cancelled.\n`, stderr: "", exitCode: 1 };
  }
  stdout += LOGO + "\n";
  if (!mesh.install()) return { stdout, stderr: "✘ Istiod encountered an error: failed to wait for resource: resources not ready after 5m0s: context deadline exceeded\nError: failed to install manifests: errors occurred during operation\n", exitCode: 1 };
  stdout += "✔ Istio core installed ⛵️\n✔ Istiod installed 🧠\n";
  if (s.profile !== "minimal") {
    const text = istioGatewayManifests();
    const docs = text.split(/^---$/m);
    // The default profile has the ingress gateway only; demo adds the egress gateway.
    const wanted = s.profile === "demo" ? text : docs.filter((d) => !d.includes("istio-egressgateway")).join("---\n");
    if (!mesh.store.find("Deployment", "istio-system", "istio-ingressgateway")) createFromManifests(mesh.store, wanted);
    mesh.waitFor(["istio-ingressgateway", ...(s.profile === "demo" ? ["istio-egressgateway"] : [])]);
    if (s.profile === "demo") stdout += "✔ Egress gateways installed 🛫\n";
    stdout += "✔ Ingress gateways installed 🛬\n";
  }
  stdout += "✔ Installation complete\nMade this installation the default for cluster-wide operations.\n";
  return { stdout, stderr: "", exitCode: 0 };
}
