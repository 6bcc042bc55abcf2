import { describe, expect, it } from "vitest";
import { MountedFileSystem } from "@/lib/engine/node/container/mounted-fs";
import { FileSystem } from "@/lib/engine/shell";
import { VirtualClock } from "@/lib/engine/util/clock";
import { lazy } from "@/lib/engine/util/lazy";

function greeting(name: string): string {
  return `hello ${name}\n`;
}

describe("MountedFileSystem", () => {
  it("routes a lazy write through a bind mount to the node's file, and refuses it on a read-only mount", () => {
    const clock = new VirtualClock(0);
    const node = new FileSystem(clock);
    node.mkdirp("/var/lib/data");
    const container = new MountedFileSystem(clock);
    container.mount("/data", node, "/var/lib/data");
    container.mount("/ro", node, "/var/lib/data", { device: "node", type: "bind", options: "ro", readOnly: true });
    container.writeLazyFile("/data/greeting", lazy(greeting, "pod"));
    expect(node.readFile("/var/lib/data/greeting")).toBe("hello pod\n");
    expect(() => container.writeLazyFile("/ro/x", lazy(greeting, "no"))).toThrow(/EROFS/);
  });
});
