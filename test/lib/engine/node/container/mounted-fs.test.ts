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

  it("matches mount points lexically, whatever the path's dots and slashes", () => {
    const clock = new VirtualClock(0);
    const node = new FileSystem(clock);
    node.writeFile("/vol/..data/token", "t", { parents: true });
    node.writeFile("/vol/.hidden", "h");
    const container = new MountedFileSystem(clock);
    container.mount("/run/secrets", node, "/vol");
    container.mkdirp("/tmp");
    expect(container.readFile("/run/secrets/..data/token")).toBe("t");
    expect(container.readFile("/run/secrets/.hidden")).toBe("h");
    expect(container.readFile("/run//secrets/./..data/token")).toBe("t");
    expect(container.readFile("/tmp/../run/secrets/..data/token")).toBe("t");
    expect(container.isDirectory("/run/secrets/")).toBe(true);
    expect(container.exists("/run/secrets/../secrets/.hidden")).toBe(true);
    expect(container.exists("/run/secrets/..")).toBe(true);
    expect(node.exists("/run")).toBe(false);
  });
});
