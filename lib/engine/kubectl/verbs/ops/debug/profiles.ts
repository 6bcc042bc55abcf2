/**
 * `kubectl debug --profile`: how each profile (profiles.go, kubectl 1.32) changes the pod it
 * creates, for the three styles of debugging: an ephemeral container in the pod, a copy of the
 * pod, or a pod on a node. `legacy` (the default, deprecated) changes only node pods: the
 * host's namespaces and its root file system at `/host`.
 *
 * @example
 * applyProfile("general", "ephemeral", pod, "debugger-x7k2q"); // adds SYS_PTRACE to the debugger
 */
import type { Container, Pod } from "../../../../api";
import { ephemeralContainersOf } from "../../../../api";
import { KubectlError } from "../../../errors";

export const PROFILES = ["legacy", "general", "baseline", "netadmin", "restricted", "sysadmin"] as const;
export type Profile = (typeof PROFILES)[number];

/** Which of the three kinds of pod the profile is applied to. */
export type DebugStyle = "ephemeral" | "podCopy" | "node";

/** `NewProfileApplier`: the profile, or kubectl's error. */
export function profileOf(name: string): Profile {
  if (!(PROFILES as readonly string[]).includes(name)) throw new KubectlError(`unknown profile: ${name}`);
  return name as Profile;
}

type Security = { capabilities?: { add?: string[]; drop?: string[] }; privileged?: boolean; runAsNonRoot?: boolean; allowPrivilegeEscalation?: boolean; seccompProfile?: { type: string } };

/** The debug container (regular or ephemeral) by name. */
function containerNamed(pod: Pod, name: string): Container | undefined {
  return [...pod.spec.containers, ...ephemeralContainersOf(pod)].find((c) => c.name === name);
}

function security(pod: Pod, name: string, change: (s: Security) => Security | undefined): void {
  const c = containerNamed(pod, name);
  if (!c) return;
  const next = change({ ...((c.securityContext as Security | undefined) ?? {}) });
  if (next === undefined) delete c.securityContext;
  else c.securityContext = next as Record<string, unknown>;
}

const addCapabilities = (pod: Pod, name: string, caps: readonly string[]) =>
  security(pod, name, (s) => ({ ...s, capabilities: { ...s.capabilities, add: [...(s.capabilities?.add ?? []), ...caps] } }));

/** `mountRootPartition`: the node's `/` at `/host`. */
function mountRootPartition(pod: Pod, name: string): void {
  pod.spec.volumes = [...(pod.spec.volumes ?? []), { name: "host-root", hostPath: { path: "/" } }];
  const c = containerNamed(pod, name);
  if (c) c.volumeMounts = [...(c.volumeMounts ?? []), { mountPath: "/host", name: "host-root" }];
}

/** upstream `useHostNamespaces`: the host's network, PID and IPC namespaces. */
function joinHostNamespaces(pod: Pod): void {
  Object.assign(pod.spec, { hostNetwork: true, hostPID: true, hostIPC: true });
}

/** `removeLabelsAndProbes`: the copy must not join the original's Services or be killed by its probes. */
function removeLabelsAndProbes(pod: Pod): void {
  delete pod.metadata.labels;
  for (const c of pod.spec.containers) {
    delete c.livenessProbe;
    delete c.readinessProbe;
    delete c.startupProbe;
  }
}

const shareProcessNamespace = (pod: Pod) => Object.assign(pod.spec, { shareProcessNamespace: true });

/** Applies `profile` to `pod`, whose debug container is `container`. */
export function applyProfile(profile: Profile, style: DebugStyle, pod: Pod, container: string): void {
  switch (profile) {
    case "legacy":
      if (style === "node") {
        mountRootPartition(pod, container);
        joinHostNamespaces(pod);
      }
      return;
    case "general":
      if (style === "node") {
        mountRootPartition(pod, container);
        security(pod, container, () => undefined);
        joinHostNamespaces(pod);
      } else {
        if (style === "podCopy") {
          removeLabelsAndProbes(pod);
          shareProcessNamespace(pod);
        }
        addCapabilities(pod, container, ["SYS_PTRACE"]);
      }
      return;
    case "baseline":
      security(pod, container, () => undefined);
      break;
    case "restricted":
      security(pod, container, () => ({ runAsNonRoot: true, capabilities: { drop: ["ALL"] }, allowPrivilegeEscalation: false, seccompProfile: { type: "RuntimeDefault" } }));
      break;
    case "netadmin":
      addCapabilities(pod, container, ["NET_ADMIN", "NET_RAW"]);
      if (style === "node") joinHostNamespaces(pod);
      break;
    case "sysadmin":
      security(pod, container, (s) => ({ ...s, privileged: true }));
      if (style === "node") {
        joinHostNamespaces(pod);
        mountRootPartition(pod, container);
      }
      break;
  }
  if (style === "podCopy") {
    removeLabelsAndProbes(pod);
    shareProcessNamespace(pod);
  }
}
