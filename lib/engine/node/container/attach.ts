/**
 * A client attached to one container instance, as the kubelet's attach connects it: it reads
 * what the instance prints from the moment of attaching (nothing printed before is replayed,
 * which is why kubectl says "If you don't see a command prompt, try pressing enter."), and ends
 * the shell PID 1 waits on stdin with when the attached session ends.
 *
 * @example
 * const attachment = new ContainerAttachment(agent.runtime, container);
 * cluster.advance(5_000);
 * attachment.read(); // [{ stream: "stdout", text: "done" }]
 */
import type { Attachment, OutputLine } from "../../cluster/services";
import type { LocationInit } from "../../shell";
import type { ContainerInfo, ContainerRuntime } from "../runtime/containerd";

export class ContainerAttachment implements Attachment {
  /** The sequence number of the last log line read (lines carry the runtime's sequence). */
  private seen: number;

  constructor(
    private readonly runtime: ContainerRuntime,
    private readonly container: ContainerInfo,
    readonly shell?: LocationInit,
  ) {
    this.seen = container.logs.at(-1)?.seq ?? -1;
  }

  get exited(): boolean {
    // A container the runtime forgot (its pod removed, its node rebooted) streams no more either.
    return this.container.state === "CONTAINER_EXITED" || this.runtime.containers.get(this.container.id) !== this.container;
  }

  get nextEvent(): number | undefined {
    return this.runtime.nextEvent(this.container.id);
  }

  read(): OutputLine[] {
    const fresh = this.container.logs.filter((line) => line.seq > this.seen);
    if (fresh.length > 0) this.seen = fresh[fresh.length - 1].seq;
    return fresh.map(({ stream, text }) => ({ stream, text }));
  }

  endShell(status: number, output: readonly OutputLine[] = []): void {
    this.runtime.endStdin(this.container.id, status, output);
  }
}
