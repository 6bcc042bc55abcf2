/**
 * The one parser of iptables' command line (iptables 1.8.7's `do_parse`, nf_tables flavour):
 * the `iptables` command, each line of `iptables-restore`, and every in-process writer
 * (kube-proxy, Calico) go through it. It emulates getopt_long over iptables' options merged
 * with those of each extension as it is loaded (`-m tcp`, `-j DNAT`), loads the protocol's
 * match when an option needs it (`-p tcp --dport 80` gains `-m tcp`), and compiles the rule to
 * its frozen {@link RuleSpec}: matches as numbers, and the text iptables-save prints.
 *
 * Errors are iptables' own (`unknown option "--dprot"`, `Couldn't load match `foo':No such file
 * or directory`), thrown as {@link XtError}; the commands add the program's prefix and hint.
 *
 * @example
 * const cmd = parseCommandLine(["-t", "nat", "-A", "KUBE-SEP-X", "-p", "tcp", "-j", "DNAT", "--to-destination", "10.244.1.5:80"]);
 * cmd.specs[0].text; // "-p tcp -j DNAT --to-destination 10.244.1.5:80"
 */
import { matchExtension, matchRenderer, targetExtension, targetRenderer } from "./ext";
import { IPPROTO_ICMP, IPPROTO_SCTP, IPPROTO_TCP, IPPROTO_UDP, parseProtocol, protocolName } from "./names";
import { isTableName, type Match, type RuleSpec, type TableName, type Target } from "./types";
import {
  formatQuad,
  numericToAddr,
  parseMask,
  parseUint,
  prefixOf,
  VERSION_PROBLEM,
  XtError,
  type MatchExtension,
  type OptionDef,
  type ParseCall,
  type TargetExtension,
} from "./xtables";

export type CommandName =
  | "append"
  | "check"
  | "delete"
  | "deleteNum"
  | "insert"
  | "replace"
  | "list"
  | "listRules"
  | "flush"
  | "zero"
  | "zeroNum"
  | "newChain"
  | "deleteChain"
  | "rename"
  | "policy";

/** The command bits of iptables (their order is `cmdflags`, the letters messages use). */
const CMD_BITS: readonly (readonly [CommandName, string])[] = [
  ["insert", "I"], ["delete", "D"], ["deleteNum", "D"], ["replace", "R"], ["append", "A"], ["list", "L"], ["flush", "F"], ["zero", "Z"],
  ["newChain", "N"], ["deleteChain", "X"], ["policy", "P"], ["rename", "E"], ["listRules", "S"], ["zeroNum", "Z"], ["check", "C"],
];
const BITS: ReadonlyMap<CommandName, number> = new Map(CMD_BITS.map(([name], i) => [name, 1 << i]));
const bit = (c: CommandName) => BITS.get(c)!;
const LIST = bit("list");
const LIST_RULES = bit("listRules");
const ZERO = bit("zero");
const ZERO_NUM = bit("zeroNum");

/** Options checked against commands (`commands_v_options`), in iptables' column order. */
const OPT_FLAGS = ["n", "s", "d", "p", "j", "v", "x", "i", "o", "0", "c", "f"] as const;
type OptFlag = (typeof OPT_FLAGS)[number];
const OPT_NAMES: Readonly<Record<OptFlag, string>> = { n: "n", s: "s", d: "d", p: "p", j: "j", v: "v", x: "x", i: "i", o: "o", "0": "0", c: "c", f: "f" };
const INVERTIBLE: ReadonlySet<OptFlag> = new Set(["s", "d", "p", "i", "o", "f"]);
const FLAG_BIT: Readonly<Record<OptFlag, number>> = { n: 1, s: 2, d: 4, p: 8, j: 16, v: 32, x: 64, i: 128, o: 256, "0": 512, c: 1024, f: 2048 };

/** A set of option letters as bits (a parser per rule line: a Set each would be most of its cost). */
class Flags {
  private bits = 0;
  has(flag: OptFlag): boolean {
    return (this.bits & FLAG_BIT[flag]) !== 0;
  }
  add(flag: OptFlag): void {
    this.bits |= FLAG_BIT[flag];
  }
  get value(): number {
    return this.bits;
  }
}
/** Legal options per command: ' ' allowed, 'x' illegal (iptables' table, row per command bit). */
const LEGAL: Readonly<Record<CommandName, string>> = {
  insert: "x     x  x  ",
  delete: "x     x  xx ",
  deleteNum: "xxxxx xxxxxx",
  replace: "x     x  x  ",
  append: "x     x  x  ",
  list: " xxxx  xx xx",
  flush: "xxxxx xxxxxx",
  zero: "xxxxx xxxxxx",
  zeroNum: "xxxxx xxxxxx",
  newChain: "xxxxx xxxxxx",
  deleteChain: "xxxxx xxxxxx",
  policy: "xxxxx xxxx x",
  rename: "xxxxx xxxxxx",
  listRules: "xxxxx xxxxxx",
  check: "x     x  xx ",
};

/**
 * The first option the commands make illegal ("" when none), by command bits × option bits:
 * every rule line of a restore asks, and a few combinations cover them all.
 */
const ILLEGAL_OPTION = new Map<number, OptFlag | "">();

function firstIllegalOption(commandBits: number, opts: Flags): OptFlag | "" {
  for (let col = 0; col < OPT_FLAGS.length; col++) {
    const flag = OPT_FLAGS[col];
    if (!opts.has(flag)) continue;
    let legal = 0;
    for (const [name] of CMD_BITS) {
      if (!(commandBits & bit(name))) continue;
      if (LEGAL[name][col] !== "x") legal = 1;
      else if (legal === 0) legal = -1;
    }
    if (legal === -1) return flag;
  }
  return "";
}

const RULE_COMMANDS: ReadonlySet<CommandName> = new Set(["append", "delete", "deleteNum", "check", "insert", "replace"]);

/** What one iptables command line asks for. */
export interface ParsedCommand {
  command: CommandName;
  /** `-L -Z`, `-S -Z 2`: zero counters after listing. */
  zero?: "zero" | "zeroNum";
  table: TableName;
  chain?: string;
  /** 1-based rule number (`-D INPUT 2`, `-I INPUT 3`, `-L INPUT 1`); 0 when none was given. */
  rulenum: number;
  newname?: string;
  policy?: string;
  /** Rule commands: one rule per source × destination address (`-s a,b` makes two). */
  specs: RuleSpec[];
  numeric: boolean;
  verbose: number;
  exact: boolean;
  lineNumbers: boolean;
  /** `-c PKTS BYTES`. */
  counters?: { packets: number; bytes: number };
  /** Whether a host name had to be resolved (such rules are not cached by text). */
  resolved: boolean;
}

export interface ParseOptions {
  /** A line of iptables-restore: `-t` is refused, `-w` too, and `-6` lines are skipped. */
  restore?: { line: number; program: string };
  /** Host names in `-s`/`-d` (the machine's /etc/hosts); numbers only when absent. */
  resolveHost?: (name: string) => number | undefined;
}

/** `-h` and `-V` answer without a command. */
export type ParseOutcome = { kind: "command"; command: ParsedCommand } | { kind: "help"; text: string } | { kind: "version" } | { kind: "skip" };

interface MainOption {
  name: string;
  has: 0 | 1 | 2;
  val: string;
}

/** iptables' `original_opts`. */
const MAIN_LONG: readonly MainOption[] = [
  { name: "append", has: 1, val: "A" }, { name: "delete", has: 1, val: "D" }, { name: "check", has: 1, val: "C" },
  { name: "insert", has: 1, val: "I" }, { name: "replace", has: 1, val: "R" }, { name: "list", has: 2, val: "L" },
  { name: "list-rules", has: 2, val: "S" }, { name: "flush", has: 2, val: "F" }, { name: "zero", has: 2, val: "Z" },
  { name: "new-chain", has: 1, val: "N" }, { name: "delete-chain", has: 2, val: "X" }, { name: "rename-chain", has: 1, val: "E" },
  { name: "policy", has: 1, val: "P" }, { name: "source", has: 1, val: "s" }, { name: "destination", has: 1, val: "d" },
  { name: "src", has: 1, val: "s" }, { name: "dst", has: 1, val: "d" }, { name: "protocol", has: 1, val: "p" },
  { name: "in-interface", has: 1, val: "i" }, { name: "jump", has: 1, val: "j" }, { name: "table", has: 1, val: "t" },
  { name: "match", has: 1, val: "m" }, { name: "numeric", has: 0, val: "n" }, { name: "out-interface", has: 1, val: "o" },
  { name: "verbose", has: 0, val: "v" }, { name: "wait", has: 2, val: "w" }, { name: "wait-interval", has: 2, val: "W" },
  { name: "exact", has: 0, val: "x" }, { name: "fragments", has: 0, val: "f" }, { name: "version", has: 0, val: "V" },
  { name: "help", has: 2, val: "h" }, { name: "line-numbers", has: 0, val: "0" }, { name: "modprobe", has: 1, val: "M" },
  { name: "set-counters", has: 1, val: "c" }, { name: "goto", has: 1, val: "g" }, { name: "ipv4", has: 0, val: "4" },
  { name: "ipv6", has: 0, val: "6" },
];

const MAIN_BY_NAME: ReadonlyMap<string, MainOption> = new Map(MAIN_LONG.map((o) => [o.name, o]));

/** The short options string `-:A:C:D:R:I:L::S::M:F::Z::N:X::E:P:Vh::o:p:s:d:j:i:fbvw::W::nt:m:xc:g:46` as arg kinds. */
const SHORT: Readonly<Record<string, 0 | 1 | 2>> = {
  A: 1, C: 1, D: 1, R: 1, I: 1, L: 2, S: 2, M: 1, F: 2, Z: 2, N: 1, X: 2, E: 1, P: 1, V: 0, h: 2, o: 1, p: 1, s: 1, d: 1, j: 1, i: 1,
  f: 0, v: 0, w: 2, W: 2, n: 0, t: 1, m: 1, x: 0, c: 1, g: 1, "4": 0, "6": 0,
};

/** XT_EXTENSION_MAXNAMELEN. */
const MAXNAMELEN = 29;
const IFNAMSIZ = 16;

/** A loaded extension and its parse state. */
interface Loaded<E> {
  ext: E;
  state: unknown;
  completed: boolean;
}

/** One option of the merged getopt table: a main option or one of a loaded extension's. */
type TableEntry = { kind: "main"; opt: MainOption } | { kind: "ext"; def: OptionDef; owner: MatchExtension | TargetExtension };

interface Address {
  addr: number;
  mask: number;
}

/** `0.0.0.0/0`, what a rule without `-s` or `-d` has. */
const ANY_ADDRESS: readonly Address[] = Object.freeze([Object.freeze({ addr: 0, mask: 0 })]);

interface Iface {
  name: string;
  wildcard: boolean;
}

/** Parses an iptables command line (the words after `iptables`). Throws {@link XtError}. */
export function parseCommandLine(argv: readonly string[], options: ParseOptions = {}): ParseOutcome {
  return new Parser(argv, options).run();
}

class Parser {
  private i = 0;
  private optarg: string | undefined;
  private invert = false;
  private commandBits = 0;
  private readonly opts = new Flags();
  private readonly invflags = new Flags();
  private table: TableName = "filter";
  private tableSet = false;
  private chain?: string;
  private rulenum = 0;
  private newname?: string;
  private policy?: string;
  private protocol?: string;
  private proto = 0;
  private protoUsed = false;
  private src?: string;
  private dst?: string;
  private iniface?: Iface;
  private outiface?: Iface;
  private verbose = 0;
  private jumpto = "";
  private goto = false;
  private target?: Loaded<TargetExtension>;
  private readonly matches: Loaded<MatchExtension>[] = [];
  /** Extensions whose options are merged, newest first (a re-loaded one keeps its first place). */
  private readonly merged: (MatchExtension | TargetExtension)[] = [];
  private counters?: { packets: number; bytes: number };
  private wait = false;
  private waitInterval = false;
  private resolved = false;

  constructor(
    private readonly argv: readonly string[],
    private readonly options: ParseOptions,
  ) {}

  run(): ParseOutcome {
    while (this.i < this.argv.length) {
      const outcome = this.step();
      if (outcome) return outcome;
    }
    return this.finish();
  }

  /** One getopt step; returns an outcome when the line ends early (help, version, a skipped -6 line). */
  private step(): ParseOutcome | undefined {
    const word = this.argv[this.i];
    if (word === "--") {
      this.i++;
      if (this.i < this.argv.length) throw new XtError("unknown arguments found on commandline");
      return undefined;
    }
    if (word.startsWith("--") && word.length > 2) return this.longOption(word);
    if (word.startsWith("-") && word.length > 1) return this.shortOptions(word);
    this.i++;
    if (word === "!") {
      if (this.invert) throw new XtError("multiple consecutive ! not allowed");
      this.invert = true;
      return undefined;
    }
    throw new XtError(`Bad argument \`${word}'\n`, 2, true);
  }

  private shortOptions(word: string): ParseOutcome | undefined {
    this.i++;
    for (let k = 1; k < word.length; k++) {
      const c = word[k];
      const has = SHORT[c];
      if (has === undefined) return this.unknown(word);
      this.optarg = undefined;
      if (has === 1) {
        if (k + 1 < word.length) this.optarg = word.slice(k + 1);
        else if (this.i < this.argv.length) this.optarg = this.argv[this.i++];
        else throw new XtError(`option "${word}" requires an argument`);
        return this.main(c);
      }
      if (has === 2) {
        if (k + 1 < word.length) this.optarg = word.slice(k + 1);
        return this.main(c);
      }
      const outcome = this.main(c);
      if (outcome) return outcome;
    }
    return undefined;
  }

  private longOption(word: string): ParseOutcome | undefined {
    this.i++;
    const eq = word.indexOf("=");
    const name = word.slice(2, eq < 0 ? undefined : eq);
    const attached = eq < 0 ? undefined : word.slice(eq + 1);
    const entry = this.lookup(name);
    if (!entry) return this.unknown(word);
    const has = entry.kind === "main" ? entry.opt.has : entry.def.hasArg ? 1 : 0;
    this.optarg = undefined;
    if (has === 0 && attached !== undefined) return this.unknown(word);
    if (has === 1) {
      if (attached !== undefined) this.optarg = attached;
      else if (this.i < this.argv.length) this.optarg = this.argv[this.i++];
      else throw new XtError(`option "${word}" requires an argument`);
    } else if (has === 2) {
      this.optarg = attached;
    }
    if (entry.kind === "main") return this.main(entry.opt.val);
    this.extension(entry);
    return undefined;
  }

  /**
   * getopt_long over the merged table (iptables' options, then each loaded extension's, newest
   * first): an exact name, else a prefix that only one option (or its aliases) has.
   */
  private lookup(name: string): TableEntry | undefined {
    const main = MAIN_BY_NAME.get(name);
    if (main) return { kind: "main", opt: main };
    for (const ext of this.merged) for (const def of ext.options) if (def.name === name) return { kind: "ext", def, owner: ext };
    let found: TableEntry | undefined;
    let foundId = "";
    for (const opt of MAIN_LONG) {
      if (!opt.name.startsWith(name)) continue;
      if (found && foundId !== `main/${opt.val}`) return undefined;
      found ??= { kind: "main", opt };
      foundId = `main/${opt.val}`;
    }
    for (const ext of this.merged) {
      for (const def of ext.options) {
        if (!def.name.startsWith(name)) continue;
        const id = `${ext.name}/${def.alias ?? def.name}`;
        if (found && foundId !== id) return undefined;
        found ??= { kind: "ext", def, owner: ext };
        foundId = id;
      }
    }
    return found;
  }

  /** An option no loaded extension knows: load the protocol's match once and retry (command_default). */
  private unknown(word: string): ParseOutcome | undefined {
    if (this.loadProto()) {
      this.i--;
      return undefined;
    }
    throw new XtError(`unknown option "${word}"`);
  }

  private loadProto(): boolean {
    if (this.protocol === undefined || this.protoUsed) return false;
    const name = protoMatchName(this.protocol);
    const ext = name ? matchExtension(name) : undefined;
    if (!ext) return false;
    this.protoUsed = true;
    this.loadMatch(ext);
    return true;
  }

  private loadMatch(ext: MatchExtension): void {
    for (const m of this.matches) if (m.ext === ext) m.completed = true;
    this.matches.push({ ext, state: ext.init(), completed: false });
    if (!this.merged.includes(ext)) this.merged.unshift(ext);
  }

  /** An extension option: the target's first, else the newest instance of the match that owns it. */
  private extension(entry: Extract<TableEntry, { kind: "ext" }>): void {
    const call = this.call(entry.def);
    if (this.target && this.target.ext === entry.owner) {
      this.target.ext.parse(this.target.state as never, call);
    } else {
      const instance = this.matches.find((m) => m.ext === entry.owner && !m.completed)!;
      instance.ext.parse(instance.state as never, call);
    }
    this.invert = false;
  }

  private call(def: OptionDef): ParseCall {
    return new Call(this, def.alias ?? def.name, this.optarg ?? "", this.invert, this.proto, this.invflags.has("p"));
  }

  /** Takes the next word of the command line (for options with two arguments). */
  nextWord(): string | undefined {
    return this.i < this.argv.length ? this.argv[this.i++] : undefined;
  }

  private hasArg(): boolean {
    const w = this.argv[this.i];
    return w !== undefined && !w.startsWith("-") && !w.startsWith("!");
  }

  private addCommand(cmd: CommandName, others: number): void {
    if (this.invert) throw new XtError("unexpected ! flag");
    const clash = this.commandBits & ~others;
    if (clash) {
      const other = CMD_BITS.find(([name]) => clash & bit(name))!;
      throw new XtError(`Cannot use -${CMD_BITS.find(([n]) => n === cmd)![1]} with -${other[1]}\n`);
    }
    this.commandBits |= bit(cmd);
  }

  /** `-D CHAIN N` and `-Z CHAIN N` turn the whole command into their numbered form, as iptables does. */
  private numbered(cmd: CommandName): void {
    this.rulenum = parseRulenum(this.argv[this.i++]);
    this.commandBits = bit(cmd);
  }

  /** The command the bits make: a listing (maybe with zeroing), or the one command given. */
  private resolveCommand(): { command?: CommandName; zero?: "zero" | "zeroNum" } {
    const bits = this.commandBits;
    const zero = bits & ZERO_NUM ? "zeroNum" : bits & ZERO ? "zero" : undefined;
    if (bits & LIST) return { command: "list", zero };
    if (bits & LIST_RULES) return { command: "listRules", zero };
    for (const [name] of CMD_BITS) if (bits & bit(name)) return { command: name };
    return {};
  }

  private setOption(flag: OptFlag): void {
    if (this.opts.has(flag)) throw new XtError(`multiple -${OPT_NAMES[flag]} flags not allowed`);
    this.opts.add(flag);
    if (this.invert) {
      if (!INVERTIBLE.has(flag)) throw new XtError(`cannot have ! before -${OPT_NAMES[flag]}`);
      this.invflags.add(flag);
    }
  }

  private main(c: string): ParseOutcome | undefined {
    const arg = this.optarg;
    switch (c) {
      case "A":
      case "C":
        this.addCommand(c === "A" ? "append" : "check", 0);
        this.chain = arg;
        break;
      case "D":
        this.addCommand("delete", 0);
        this.chain = arg;
        if (this.hasArg()) this.numbered("deleteNum");
        break;
      case "R":
        this.addCommand("replace", 0);
        this.chain = arg;
        if (!this.hasArg()) throw new XtError("-R requires a rule number");
        this.rulenum = parseRulenum(this.argv[this.i++]);
        break;
      case "I":
        this.addCommand("insert", 0);
        this.chain = arg;
        this.rulenum = this.hasArg() ? parseRulenum(this.argv[this.i++]) : 1;
        break;
      case "L":
      case "S":
        this.addCommand(c === "L" ? "list" : "listRules", ZERO | ZERO_NUM);
        this.chainAndRulenum(arg);
        break;
      case "F":
        this.addCommand("flush", 0);
        this.chain = arg ?? (this.hasArg() ? this.argv[this.i++] : undefined);
        break;
      case "Z":
        this.addCommand("zero", LIST | LIST_RULES);
        this.chain = arg ?? (this.hasArg() ? this.argv[this.i++] : undefined);
        if (this.hasArg()) this.numbered("zeroNum");
        break;
      case "N":
        if (arg!.startsWith("-") || arg!.startsWith("!")) throw new XtError(`chain name not allowed to start with \`${arg![0]}'\n`);
        if (isTargetName(arg!)) throw new XtError("chain name may not clash with target name\n");
        this.addCommand("newChain", 0);
        this.chain = arg;
        break;
      case "X":
        this.addCommand("deleteChain", 0);
        this.chain = arg ?? (this.hasArg() ? this.argv[this.i++] : undefined);
        break;
      case "E":
        this.addCommand("rename", 0);
        this.chain = arg;
        if (!this.hasArg()) throw new XtError("-E requires old-chain-name and new-chain-name");
        this.newname = this.argv[this.i++];
        break;
      case "P":
        this.addCommand("policy", 0);
        this.chain = arg;
        if (!this.hasArg()) throw new XtError("-P requires a chain and a policy");
        this.policy = this.argv[this.i++];
        break;
      case "h":
        if (this.matches.length === 0 && this.protocol !== undefined) {
          const name = protoMatchName(this.protocol);
          const ext = name ? matchExtension(name) : undefined;
          if (ext) this.loadMatch(ext);
        }
        return { kind: "help", text: helpText(this.matches.map((m) => m.ext), this.target?.ext) };
      case "p": {
        this.setOption("p");
        this.protocol = arg!.toLowerCase();
        const proto = parseProtocol(this.protocol);
        if (proto === undefined) throw new XtError(`unknown protocol "${arg}" specified`);
        if (proto === 0 && this.invflags.has("p")) throw new XtError("rule would never match protocol");
        this.proto = proto;
        break;
      }
      case "s":
      case "d":
        this.setOption(c);
        if (c === "s") this.src = arg;
        else this.dst = arg;
        break;
      case "g":
      case "j":
        this.setOption("j");
        this.jumpto = parseTargetName(arg!);
        if (c === "g") this.goto = true;
        else this.loadTarget(this.jumpto);
        break;
      case "i":
      case "o": {
        if (arg === "") throw new XtError("Empty interface is likely to be undesired");
        this.setOption(c);
        const iface = parseInterface(arg!);
        if (c === "i") this.iniface = iface;
        else this.outiface = iface;
        break;
      }
      case "f":
        this.setOption("f");
        break;
      case "v":
        if (!this.verbose) this.setOption("v");
        this.verbose++;
        break;
      case "m": {
        if (this.invert) throw new XtError("unexpected ! flag before --match");
        const ext = matchExtension(arg!);
        if (!ext) throw new XtError(`Couldn't load match \`${arg}':No such file or directory\n`);
        this.loadMatch(ext);
        break;
      }
      case "n":
        this.setOption("n");
        break;
      case "t":
        if (this.invert) throw new XtError("unexpected ! flag before --table");
        if (this.options.restore && this.tableSet) {
          throw new XtError(`The -t option (seen in line ${this.options.restore.line}) cannot be used in ${this.options.restore.program}.\n`);
        }
        if (!isTableName(arg!)) throw new XtError(`table '${arg}' does not exist`, VERSION_PROBLEM);
        this.table = arg;
        this.tableSet = true;
        break;
      case "x":
        this.setOption("x");
        break;
      case "V":
        return { kind: "version" };
      case "w":
      case "W": {
        if (this.options.restore) throw new XtError(`You cannot use \`-${c}' from ${this.options.restore.program}`);
        const value = arg ?? (this.hasArg() ? this.argv[this.i++] : undefined);
        if (value !== undefined && !/^[-+]?(0x[0-9a-f]+|\d+)/i.test(value)) throw new XtError(c === "w" ? "wait seconds not numeric" : "wait interval not numeric");
        if (c === "w") this.wait = true;
        else this.waitInterval = true;
        break;
      }
      case "0":
        this.setOption("0");
        break;
      case "M":
        break;
      case "c": {
        this.setOption("c");
        let pcnt = arg!;
        let bcnt: string | undefined;
        const comma = pcnt.indexOf(",", 1);
        if (comma >= 0) {
          bcnt = pcnt.slice(comma + 1);
          pcnt = pcnt.slice(0, comma);
        } else if (this.hasArg()) bcnt = this.argv[this.i++];
        if (bcnt === undefined) throw new XtError("-c requires packet and byte counter");
        const packets = /^\s*\d+/.exec(pcnt);
        if (!packets) throw new XtError("-c packet counter not numeric");
        const bytes = /^\s*\d+/.exec(bcnt);
        if (!bytes) throw new XtError("-c byte counter not numeric");
        this.counters = { packets: Number(packets[0]), bytes: Number(bytes[0]) };
        break;
      }
      case "4":
        break;
      case "6":
        if (this.options.restore) return { kind: "skip" };
        throw new XtError("", 2, true);
    }
    this.invert = false;
    return undefined;
  }

  private chainAndRulenum(arg: string | undefined): void {
    if (arg !== undefined) this.chain = arg;
    else if (this.hasArg()) this.chain = this.argv[this.i++];
    if (this.hasArg()) this.rulenum = parseRulenum(this.argv[this.i++]);
  }

  /** command_jump: a target extension by that name, else the name of a chain. */
  private loadTarget(name: string): void {
    const ext = targetExtension(name);
    if (!ext) return;
    this.target = { ext, state: ext.init(), completed: false };
    this.merged.unshift(ext);
  }

  private finish(): ParseOutcome {
    if (this.table === "nat" && (this.policy === "DROP" || this.jumpto === "DROP")) {
      throw new XtError('\nThe "nat" table is not intended for filtering, the use of DROP is therefore inhibited.\n\n');
    }
    if (!this.wait && this.waitInterval) throw new XtError("--wait-interval only makes sense with --wait\n");
    const fin = { proto: this.proto, protoInvert: this.invflags.has("p") };
    const compiled: Match[] = this.matches.map((m) => m.ext.finish(m.state as never, fin));
    const target: Target | undefined = this.target
      ? this.target.ext.finish(this.target.state as never, fin)
      : this.jumpto === ""
        ? undefined
        : standardTarget(this.jumpto, this.goto);
    const { command, zero } = this.resolveCommand();
    if (!command) throw new XtError("no command specified");
    if (this.invert) throw new XtError("nothing appropriate following !");
    const ruleCommand = RULE_COMMANDS.has(command) && command !== "deleteNum";
    const sources = this.addresses(ruleCommand ? (this.src ?? "0.0.0.0/0") : this.src);
    const dests = this.addresses(ruleCommand ? (this.dst ?? "0.0.0.0/0") : this.dst);
    if ((sources.length > 1 || dests.length > 1) && (this.invflags.has("s") || this.invflags.has("d"))) {
      throw new XtError("! not allowed with multiple source or destination IP addresses");
    }
    if (command === "replace" && (sources.length !== 1 || dests.length !== 1)) throw new XtError("Replacement rule does not specify a unique address");
    this.checkOptions();
    if (this.chain !== undefined && this.chain.length >= MAXNAMELEN) {
      throw new XtError(`chain name \`${this.chain}' too long (must be under ${MAXNAMELEN} chars)`);
    }
    if (RULE_COMMANDS.has(command)) {
      if ((this.chain === "PREROUTING" || this.chain === "INPUT") && this.opts.has("o")) throw new XtError(`Can't use -o with ${this.chain}\n`);
      if ((this.chain === "POSTROUTING" || this.chain === "OUTPUT") && this.opts.has("i")) throw new XtError(`Can't use -i with ${this.chain}\n`);
    }
    const specs: RuleSpec[] = [];
    if (ruleCommand) {
      for (const s of sources) for (const d of dests) specs.push(this.spec(s, d, compiled, target));
    }
    return {
      kind: "command",
      command: {
        command,
        zero,
        table: this.table,
        chain: this.chain,
        rulenum: this.rulenum,
        newname: this.newname,
        policy: this.policy,
        specs,
        numeric: this.opts.has("n"),
        verbose: this.verbose,
        exact: this.opts.has("x"),
        lineNumbers: this.opts.has("0"),
        counters: this.counters,
        resolved: this.resolved,
      },
    };
  }

  /** generic_opt_check: an option is legal if any of the given commands allows it. */
  private checkOptions(): void {
    const key = this.commandBits * 4096 + this.opts.value;
    let illegal = ILLEGAL_OPTION.get(key);
    if (illegal === undefined) ILLEGAL_OPTION.set(key, (illegal = firstIllegalOption(this.commandBits, this.opts)));
    if (illegal !== "") throw new XtError(`Illegal option \`-${OPT_NAMES[illegal]}' with this command\n`);
  }

  /** xtables_ipparse_multiple: `addr[/mask][,addr[/mask]…]`, host bits cleared. */
  private addresses(text: string | undefined): readonly Address[] {
    if (text === undefined) return [];
    if (text === "0.0.0.0/0") return ANY_ADDRESS;
    if (!text.includes(",")) return [this.address1(text)];
    return text.split(",").map((item) => this.address1(item));
  }

  private address1(item: string): Address {
    const slash = item.indexOf("/");
    const host = slash < 0 ? item : item.slice(0, slash);
    let mask = 0xffffffff;
    if (slash >= 0) {
      const m = parseMask(item.slice(slash + 1));
      if (m === undefined) throw new XtError(`invalid mask \`${item.slice(slash + 1)}' specified`);
      mask = m;
    }
    let addr = numericToAddr(host);
    if (addr === undefined) {
      addr = this.options.resolveHost?.(host);
      if (addr === undefined) throw new XtError(`host/network \`${host}' not found`);
      this.resolved = true;
    }
    return { addr: (addr & mask) >>> 0, mask };
  }

  private spec(src: Address, dst: Address, modules: Match[], target: Target | undefined): RuleSpec {
    const matches: Match[] = [];
    const parts = [this.address(matches, "src", "s", src), this.address(matches, "dst", "d", dst), this.iface(matches, "in", "i", this.iniface), this.iface(matches, "out", "o", this.outiface)];
    if (this.proto) {
      const negate = this.invflags.has("p");
      matches.push(Object.freeze({ kind: "proto", negate, proto: this.proto }));
      parts.push(`${negate ? "! " : ""}-p ${protocolName(this.proto) ?? this.proto} `);
    }
    if (this.opts.has("f")) {
      const negate = this.invflags.has("f");
      matches.push(Object.freeze({ kind: "fragment", negate }));
      parts.push(`${negate ? "! " : ""}-f `);
    }
    for (const m of modules) {
      const r = matchRenderer(m)!;
      matches.push(m);
      parts.push(`-m ${r.saveName(m as never)}${r.save(m as never)} `);
    }
    if (target) parts.push(targetText(target));
    // join makes one flat string: a rule is kept for long, its text should not be a rope of pieces.
    // A pushed-to array keeps room for 17 items: rules are kept by the thousand, so theirs get their exact size.
    return compiledRule(parts.join(""), Object.freeze(matches.slice()), target);
  }

  /** `-s`/`-d` as a match and as iptables-save writes it (`! -s 10.0.0.0/8 `); nothing for 0.0.0.0/0. */
  private address(matches: Match[], kind: "src" | "dst", flag: "s" | "d", a: Address): string {
    const negate = this.invflags.has(flag);
    if (!a.mask && !a.addr && !negate) return "";
    matches.push(Object.freeze({ kind, negate, addr: a.addr, mask: a.mask }));
    const mask = prefixOf(a.mask);
    return `${negate ? "! " : ""}-${flag} ${formatQuad(a.addr)}/${mask === undefined ? formatQuad(a.mask) : mask} `;
  }

  private iface(matches: Match[], kind: "in" | "out", flag: "i" | "o", i: Iface | undefined): string {
    if (!i) return "";
    const negate = this.invflags.has(flag);
    matches.push(Object.freeze({ kind, negate, name: i.name, wildcard: i.wildcard }));
    return `${negate ? "! " : ""}-${flag} ${i.name}${i.wildcard ? "+" : ""} `;
  }
}

/** What an extension's parse sees of an option (`next` is getopt's `optind`: options with two arguments take the next word). */
class Call implements ParseCall {
  constructor(
    private readonly parser: Parser,
    readonly option: string,
    readonly arg: string,
    readonly invert: boolean,
    readonly proto: number,
    readonly protoInvert: boolean,
  ) {}

  next(): string | undefined {
    return this.parser.nextWord();
  }
}

/**
 * A compiled rule: its text and matches are kept; the words of the text are split when asked
 * (only the text is worth keeping for thousands of rules).
 */
class CompiledRule implements RuleSpec {
  constructor(
    readonly text: string,
    readonly matches: readonly Match[],
    readonly target: Target | undefined,
  ) {}

  get args(): readonly string[] {
    return splitRuleLine(this.text);
  }
}

/** A frozen {@link RuleSpec}. */
export function compiledRule(text: string, matches: readonly Match[], target: Target | undefined): RuleSpec {
  return Object.freeze(new CompiledRule(text, matches, target));
}

/** The protocol's match name (`find_proto`): `-p 6` is tcp; only protocols with an extension load one. */
function protoMatchName(protocol: string): string | undefined {
  const n = parseUint(protocol, 0, 255);
  if (n === undefined) return protocol;
  return n === IPPROTO_TCP ? "tcp" : n === IPPROTO_UDP ? "udp" : n === IPPROTO_ICMP ? "icmp" : n === IPPROTO_SCTP ? "sctp" : undefined;
}

/** The built-in verdicts (`standard` target), or a jump/goto to a chain. */
function standardTarget(name: string, goto: boolean): Target {
  if (goto) {
    if (name === "ACCEPT" || name === "DROP" || name === "RETURN" || name === "QUEUE") throw new XtError(`goto '${name}' is not a chain\n`);
    return Object.freeze({ kind: "goto", chain: name });
  }
  if (name === "ACCEPT" || name === "DROP" || name === "RETURN" || name === "QUEUE") return Object.freeze({ kind: name });
  return Object.freeze({ kind: "jump", chain: name });
}

/** How iptables-save writes a target: `-j NAME` and its options, `-g CHAIN`. */
export function targetText(t: Target): string {
  if (t.kind === "jump") return `-j ${t.chain}`;
  if (t.kind === "goto") return `-g ${t.chain}`;
  const r = targetRenderer(t);
  if (!r) return `-j ${t.kind}`;
  return `-j ${r.saveName(t as never)}${r.save(t as never)}`;
}

function parseRulenum(text: string): number {
  const n = parseUint(text, 1, 0x7fffffff);
  if (n === undefined) throw new XtError(`Invalid rule number \`${text}'`);
  return n;
}

function parseTargetName(name: string): string {
  if (name.length < 1) throw new XtError("Invalid target name (too short)");
  if (name.length >= MAXNAMELEN) throw new XtError(`Invalid target name \`${name}' (${MAXNAMELEN - 1} chars max)`);
  if (/\s/.test(name)) throw new XtError(`Invalid target name \`${name}'`);
  return name;
}

/** xtables_parse_interface. */
function parseInterface(text: string): Iface {
  if (text.length + 1 > IFNAMSIZ) throw new XtError(`interface name \`${text}' must be shorter than IFNAMSIZ (${IFNAMSIZ - 1})`);
  return text.endsWith("+") ? { name: text.slice(0, -1), wildcard: true } : { name: text, wildcard: false };
}

/** Whether `name` is a target (`-N DNAT` is refused): the verdicts and every target extension. */
export function isTargetName(name: string): boolean {
  return name === "ACCEPT" || name === "DROP" || name === "QUEUE" || name === "RETURN" || targetExtension(name) !== undefined;
}

/**
 * iptables-restore's word splitter (xshared.c `add_param_to_argv`): blanks separate words,
 * `"…"` quotes (with `\` escaping inside), and a closing quote ends a word even when empty.
 * An unquoted word that is a short option holding `t` (`-t`) is refused when `restore` names
 * the line.
 */
export function splitRuleLine(text: string, restore?: { line: number; program: string }): string[] {
  const words: string[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    let c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10) {
      i++;
      continue;
    }
    // One word: plain runs are sliced whole; quotes and escapes are taken apart only where they are.
    let word = "";
    let quoted = false;
    let start = i;
    for (; i < n; i++) {
      c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10) break;
      if (c !== 34) continue;
      word += text.slice(start, i);
      quoted = true;
      i++;
      let closed = false;
      let run = i;
      for (; i < n; i++) {
        c = text.charCodeAt(i);
        if (c === 92 && i + 1 < n) {
          word += text.slice(run, i);
          run = ++i;
        } else if (c === 34) {
          closed = true;
          break;
        }
      }
      word += text.slice(run, i);
      // A closing quote ends the word, even an empty one.
      if (closed) i++;
      start = i;
      break;
    }
    word += text.slice(start, i);
    if (restore && !quoted && ((word[0] === "-" && word[1] !== "-" && word.includes("t")) || (word.startsWith("--t") && "--table".startsWith(word)))) {
      throw new XtError(`The -t option (seen in line ${restore.line}) cannot be used in ${restore.program}.\n`);
    }
    words.push(word);
  }
  return words;
}

const MAIN_HELP = `iptables v1.8.7

Usage: iptables -[ACD] chain rule-specification [options]
\tiptables -I chain [rulenum] rule-specification [options]
\tiptables -R chain rulenum rule-specification [options]
\tiptables -D chain rulenum [options]
\tiptables -[LS] [chain [rulenum]] [options]
\tiptables -[FZ] [chain] [options]
\tiptables -[NX] chain
\tiptables -E old-chain-name new-chain-name
\tiptables -P chain target [options]
\tiptables -h (print this help information)

Commands:
Either long or short options are allowed.
  --append  -A chain\t\tAppend to chain
  --check   -C chain\t\tCheck for the existence of a rule
  --delete  -D chain\t\tDelete matching rule from chain
  --delete  -D chain rulenum
\t\t\t\tDelete rule rulenum (1 = first) from chain
  --insert  -I chain [rulenum]
\t\t\t\tInsert in chain as rulenum (default 1=first)
  --replace -R chain rulenum
\t\t\t\tReplace rule rulenum (1 = first) in chain
  --list    -L [chain [rulenum]]
\t\t\t\tList the rules in a chain or all chains
  --list-rules -S [chain [rulenum]]
\t\t\t\tPrint the rules in a chain or all chains
  --flush   -F [chain]\t\tDelete all rules in  chain or all chains
  --zero    -Z [chain [rulenum]]
\t\t\t\tZero counters in chain or all chains
  --new     -N chain\t\tCreate a new user-defined chain
  --delete-chain
\t     -X [chain]\t\tDelete a user-defined chain
  --policy  -P chain target
\t\t\t\tChange policy on chain to target
  --rename-chain
\t     -E old-chain new-chain
\t\t\t\tChange chain name, (moving any references)
Options:
    --ipv4\t-4\t\tNothing (line is ignored by ip6tables-restore)
    --ipv6\t-6\t\tError (line is ignored by iptables-restore)
[!] --proto\t-p proto\tprotocol: by number or name, eg. \`tcp'
[!] --source\t-s address[/mask][...]
\t\t\t\tsource specification
[!] --destination -d address[/mask][...]
\t\t\t\tdestination specification
[!] --in-interface -i input name[+]
\t\t\t\tnetwork interface name ([+] for wildcard)
 --jump\t-j target
\t\t\t\ttarget for rule (may load target extension)
  --goto      -g chain
\t\t\t       jump to chain with no return
  --match\t-m match
\t\t\t\textended match (may load extension)
  --numeric\t-n\t\tnumeric output of addresses and ports
[!] --out-interface -o output name[+]
\t\t\t\tnetwork interface name ([+] for wildcard)
  --table\t-t table\ttable to manipulate (default: \`filter')
  --verbose\t-v\t\tverbose mode
  --wait\t-w [seconds]\tmaximum wait to acquire xtables lock before give up
  --wait-interval -W [usecs]\twait time to try to acquire xtables lock
\t\t\t\tdefault is 1 second
  --line-numbers\t\tprint line numbers when listing
  --exact\t-x\t\texpand numbers (display exact values)
[!] --fragment\t-f\t\tmatch second or further fragments only
  --modprobe=<command>\t\ttry to insert modules using this command
  --set-counters PKTS BYTES\tset the counter during insert/append
[!] --version\t-V\t\tprint package version.
`;

/** `iptables -h`: the main help, then the help of the target and of each match loaded so far. */
function helpText(matches: readonly MatchExtension[], target: TargetExtension | undefined): string {
  let out = MAIN_HELP;
  if (target) out += `\n${target.help || `${target.name} does not take any options\n`}`;
  for (const m of matches) out += `\n${m.help || `${m.name} does not take any options\n`}`;
  return out;
}

/**
 * One rule specification (the words after `-A CHAIN`, as iptables-save prints them or as a
 * program writes them) compiled, for writers in the engine (kube-proxy, Calico). A source or
 * destination list (`-s a,b`) makes several rules, which this refuses.
 *
 * @example
 * const r = parseRule(["-p", "tcp", "--dport", "80", "-j", "ACCEPT"]);
 * if ("spec" in r) r.spec.text; // "-p tcp -m tcp --dport 80 -j ACCEPT"
 */
export function parseRule(args: readonly string[], table: TableName = "filter"): { spec: RuleSpec } | { error: XtError } {
  try {
    const outcome = parseCommandLine(["-t", table, "-A", "RULE", ...args]);
    if (outcome.kind !== "command") return { error: new XtError("not a rule specification") };
    if (outcome.command.specs.length !== 1) return { error: new XtError("one source and one destination address per rule") };
    return { spec: outcome.command.specs[0] };
  } catch (error) {
    if (error instanceof XtError) return { error };
    throw error;
  }
}
