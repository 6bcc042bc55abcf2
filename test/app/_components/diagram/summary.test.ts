import { describe, expect, it } from "vitest";
import type { PodView } from "@/lib/engine";
import { podTone } from "@/app/_components/diagram/summary";

function pod(fields: Partial<PodView>): PodView {
  return {
    namespace: "default", name: "p", node: "node01", ip: "10.244.1.5", phase: "Running", ready: "1/1", status: "Running",
    restarts: 0, isReady: true, hostNetwork: false, owner: null, app: null, ...fields,
  };
}

describe("podTone", () => {
  it.each([
    [{ status: "Running", isReady: true }, "ok"],
    [{ status: "Running", isReady: false }, "warn"],
    [{ status: "ContainerCreating", phase: "Pending", isReady: false }, "progress"],
    [{ status: "Init:0/1", phase: "Pending", isReady: false }, "progress"],
    [{ status: "CrashLoopBackOff", isReady: false }, "error"],
    [{ status: "ErrImagePull", phase: "Pending", isReady: false }, "error"],
    [{ status: "Completed", phase: "Succeeded", isReady: false }, "done"],
    [{ status: "Terminating", isReady: true }, "terminating"],
  ] as const)("%j is %s", (fields, tone) => {
    expect(podTone(pod(fields))).toBe(tone);
  });

});
