/**
 * What `ss` and `netstat` share: their option letters (`-t -u -l -a -n -p`) and the listening
 * sockets of the shell's network namespace, read from the machine's socket table (containerd's
 * for nodes: node daemons and hostNetwork pods in the host namespace, a pod's programs in its
 * sandbox's) with the processes holding them. Only listening sockets are kept by the
 * simulation (connections end within a command), so without `-l`/`-a` the list is empty.
 */
import type { CommandContext, CommandResult } from "../../shell";
import type { BoundSocket } from "../walker";
import { currentNet } from "./context";

export interface Selection {
  tcp: boolean;
  udp: boolean;
  listening: boolean;
  all: boolean;
  numeric: boolean;
  processes: boolean;
}

/** The listen backlog each program asks for (Go uses SOMAXCONN, 4096 on 5.15). */
export const BACKLOG: Record<string, number> = { nginx: 511, httpd: 511, "redis-server": 511, sshd: 128, postgres: 244, mysqld: 151 };
export const backlog = (s: BoundSocket) => BACKLOG[s.holders[0]?.comm ?? ""] ?? 4096;
/** The file descriptor each program's listening socket gets. */
export const FD: Record<string, number> = { nginx: 6, sshd: 3, "redis-server": 6, httpd: 4, "systemd-resolve/UDP": 13, "systemd-resolve/TCP": 14 };

export function parseFlags(argv: readonly string[], name: string): Selection | { error: CommandResult } {
  const sel: Selection = { tcp: false, udp: false, listening: false, all: false, numeric: false, processes: false };
  for (const word of argv) {
    if (!word.startsWith("-") || word === "-") return { error: { stdout: "", stderr: `${name}: filters are not simulated in this lab\n`, exitCode: 1 } };
    const letters = word.startsWith("--") ? ({ "--tcp": "t", "--udp": "u", "--listening": "l", "--all": "a", "--numeric": "n", "--processes": "p", "--program": "p" } as Record<string, string>)[word] : word.slice(1);
    if (!letters) return { error: { stdout: "", stderr: `${name}: unrecognized option '${word}'\n`, exitCode: 1 } };
    for (const l of letters) {
      if (l === "t") sel.tcp = true;
      else if (l === "u") sel.udp = true;
      else if (l === "l") sel.listening = true;
      else if (l === "a") sel.all = true;
      else if (l === "n") sel.numeric = true;
      else if (l === "p") sel.processes = true;
      else if (l === "4" || l === "e") continue;
      else return { error: { stdout: "", stderr: `${name}: invalid option -- '${l}'\n`, exitCode: 1 } };
    }
  }
  if (!sel.tcp && !sel.udp) sel.tcp = sel.udp = true;
  return sel;
}

export const SERVICES: Record<number, string> = { 22: "ssh", 53: "domain", 80: "http", 443: "https", 8080: "http-alt", 6443: "6443", 179: "bgp" };

export function listed(ctx: CommandContext, sel: Selection): BoundSocket[] | undefined {
  const here = currentNet(ctx);
  if (!here) return undefined;
  const all = here.network.machine(here.stack.host)?.boundSockets?.(here.stack.inode) ?? [];
  if (!sel.listening && !sel.all) return [];
  return all.filter((s) => (s.protocol === "TCP" ? sel.tcp : sel.udp)).sort((a, b) => (a.protocol === b.protocol ? 0 : a.protocol === "TCP" ? -1 : 1));
}
