/**
 * What every `ip` object shares: the parsed global options, the namespace the command works in,
 * iproute2's word matching (`ip a s` is `ip address show`: a word matches a keyword it is a
 * prefix of), its argument cursor (`NEXT_ARG`), the errors its helpers exit with (`invarg`,
 * `duparg2`, `incomplete_command`, the kernel's `RTNETLINK answers: …`), device lookup and
 * `-c` colours.
 *
 * @example
 * const words = new Words(["dev", "eth0"]);
 * while (words.more()) if (words.next() === "dev") dev = findLink(env, words.arg());
 */
import type { CommandContext } from "../../../shell";
import type { Link } from "../../kernel/link";
import type { NetStack } from "../../kernel/stack";
import type { ClusterNetwork } from "../../network";

export interface IpOptions {
  /** `-d`, repeatable. */
  details: number;
  /** `-s`, repeatable. */
  stats: number;
  brief: boolean;
  color: boolean;
  oneline: boolean;
  json: boolean;
  pretty: boolean;
  /** `-4`, `-6`, `-0` (link), `-f FAMILY`; undefined: all. */
  family?: "inet" | "inet6" | "link";
  /** `-a`: `ip -all netns exec`. */
  all: boolean;
}

/** One `ip` run: the shell context, the network and the namespace it works in. */
export interface IpEnv {
  ctx: CommandContext;
  network: ClusterNetwork;
  stack: NetStack;
  opts: IpOptions;
  /** Output so far. */
  out: string[];
  /** Warnings printed on the way (the command may still succeed). */
  err: string[];
}

/** Ends the command with iproute2's message and exit status (`exit(-1)` is 255, a kernel refusal 2). */
export class IpExit extends Error {
  constructor(
    readonly stderr: string,
    readonly code: number,
  ) {
    super(stderr);
  }
}

export function fail(message: string, code = 1): never {
  throw new IpExit(message.endsWith("\n") ? message : `${message}\n`, code);
}

/** The kernel refused (`RTNETLINK answers: File exists`, `Error: Nexthop has invalid gateway.`): iproute2 exits 2. */
export function refused(message: string): never {
  fail(message.startsWith("Error: ") ? message : `RTNETLINK answers: ${message}`, 2);
}

/** utils.c `invarg`. */
export function invarg(msg: string, arg: string): never {
  throw new IpExit(`Error: argument "${arg}" is wrong: ${msg}\n`, 255);
}

/** utils.c `duparg2`. */
export function duparg2(key: string, arg: string): never {
  fail(`Error: either "${key}" is duplicate, or "${arg}" is a garbage.`, 255);
}

/** utils.c `duparg`. */
export function duparg(key: string, arg: string): never {
  fail(`Error: duplicate "${key}": "${arg}" is the second value.`, 255);
}

/** iproute2's `matches(word, keyword)`: the word is a non-empty prefix of the keyword. */
export function matches(word: string, keyword: string): boolean {
  return word.length > 0 && keyword.startsWith(word);
}

/** The words after an object's command, read one by one as iproute2's `argv` loops do. */
export class Words {
  private i = 0;

  constructor(private readonly words: readonly string[]) {}

  more(): boolean {
    return this.i < this.words.length;
  }

  next(): string {
    return this.words[this.i++];
  }

  peek(): string | undefined {
    return this.words[this.i];
  }

  /** `NEXT_ARG()`: the value after a keyword, or `Command line is not complete`. */
  arg(): string {
    if (this.i >= this.words.length) fail('Command line is not complete. Try option "help"', 255);
    return this.words[this.i++];
  }

  rest(): string[] {
    const rest = this.words.slice(this.i);
    this.i = this.words.length;
    return rest;
  }
}

/** `ll_name_to_index`: a name, an alternative name, or `ifN`. */
export function findLink(stack: NetStack, name: string): Link | undefined {
  for (const l of stack.links.values()) if (l.name === name || l.altnames?.includes(name)) return l;
  const m = /^if(\d+)$/.exec(name);
  return m ? stack.links.get(Number(m[1])) : undefined;
}

/** A device a command acts on, or `Cannot find device "eth9"` (exit 1). */
export function needLink(stack: NetStack, name: string): Link {
  return findLink(stack, name) ?? fail(`Cannot find device "${name}"`);
}

/** Links in ifindex order (a dump's order). */
export function linksInOrder(stack: NetStack): Link[] {
  return [...stack.links.values()].sort((a, b) => a.index - b.index);
}

const COLORS = { ifname: "\x1b[36m", mac: "\x1b[33m", inet: "\x1b[35m", inet6: "\x1b[34m", up: "\x1b[32m", down: "\x1b[31m" } as const;
export type Paint = keyof typeof COLORS;

/** `-c`: iproute2's light-background palette around a field. */
export function paint(env: IpEnv, color: Paint | undefined, text: string): string {
  return env.opts.color && color ? `${COLORS[color]}${text}\x1b[0m` : text;
}

/** `_SL_`: a line break, or a backslash in `-o` (one line per object) mode. */
export function sl(env: IpEnv): string {
  return env.opts.oneline ? "\\" : "\n";
}

/** `ll_addr_a2n`: six hex bytes separated by colons, or `"x" is invalid lladdr.`. */
export function parseMac(text: string): string {
  const parts = text.split(":");
  if (parts.length !== 6 || parts.some((p) => !/^[0-9a-fA-F]{1,2}$/.test(p))) fail(`"${text}" is invalid lladdr.`);
  return parts.map((p) => p.toLowerCase().padStart(2, "0")).join(":");
}
