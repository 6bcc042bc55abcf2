/**
 * `-j MARK` (libxt_MARK.c, revision 2) and `-j CONNMARK` (libxt_CONNMARK.c, revision 1). Every
 * way of writing a mark change is kept as the kernel keeps it, a value XORed in after the mask
 * is cleared, so `--or-mark 0x4000` is saved as `--set-xmark 0x4000/0x4000` and listed as
 * `MARK or 0x4000`.
 *
 * @example
 * -A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
 */
import type { Target } from "../types";
import { hex, type OptionDef, type ParseCall, parseMarkMask, parseUint, Seen, type TargetExtension, x6Check, x6Finish, XtError } from "../xtables";

type Mark = Extract<Target, { kind: "MARK" }>;
type Connmark = Extract<Target, { kind: "CONNMARK" }>;

function markMask(ext: string, call: ParseCall): { value: number; mask: number } {
  const mm = parseMarkMask(call.arg);
  if (!mm) throw new XtError(`${ext}: Bad value for "${call.option}" option: "${call.arg}"`);
  return mm;
}

function u32(ext: string, call: ParseCall): number {
  const n = parseUint(call.arg, 0, 0xffffffff);
  if (n === undefined) throw new XtError(`${ext}: bad value for option "--${call.option}", or out of range (0-4294967295).\n`);
  return n;
}

/** The value/mask pair as a set, and/or/xor or plain set (`MARK or 0x4000`). */
function describe(name: string, value: number, mask: number): string {
  if (value === 0) return ` ${name} and ${hex(~mask >>> 0)}`;
  if (value === mask) return ` ${name} or ${hex(value)}`;
  if (mask === 0) return ` ${name} xor ${hex(value)}`;
  if (mask === 0xffffffff) return ` ${name} set ${hex(value)}`;
  return ` ${name} xset ${hex(value)}/${hex(mask)}`;
}

const MARK_OPS = ["set-xmark", "set-mark", "and-mark", "or-mark", "xor-mark"];
const MARK_OPTIONS: readonly OptionDef[] = MARK_OPS.map((name) => ({ name, hasArg: true, excl: MARK_OPS }));

/** The four shorthands as value/mask (xt_MARK's one operation: clear `mask`, XOR `value`). */
function setOp(ext: string, call: ParseCall): { value: number; mask: number } {
  switch (call.option) {
    case "set-xmark":
      return markMask(ext, call);
    case "set-mark": {
      const mm = markMask(ext, call);
      return { value: mm.value, mask: (mm.value | mm.mask) >>> 0 };
    }
    case "and-mark":
      return { value: 0, mask: ~u32(ext, call) >>> 0 };
    case "or-mark": {
      const v = u32(ext, call);
      return { value: v, mask: v };
    }
    default:
      return { value: u32(ext, call), mask: 0 };
  }
}

export const markTarget: TargetExtension<{ seen: Seen; value: number; mask: number }, Mark> = {
  name: "MARK",
  kinds: ["MARK"],
  x6: true,
  options: MARK_OPTIONS,
  help: `MARK target options:
  --set-xmark value[/mask]  Clear bits in mask and XOR value into nfmark
  --set-mark value[/mask]   Clear bits in mask and OR value into nfmark
  --and-mark bits           Binary AND the nfmark with bits
  --or-mark bits            Binary OR the nfmark with bits
  --xor-mark bits           Binary XOR the nfmark with bits

`,
  init: () => ({ seen: new Seen(), value: 0, mask: 0 }),
  parse(s, call) {
    x6Check(markTarget, s.seen, call);
    Object.assign(s, setOp("MARK", call));
  },
  finish(s) {
    if (s.seen.size === 0) throw new XtError("MARK: One of the --set-xmark, --{and,or,xor,set}-mark options is required");
    x6Finish(markTarget, s.seen);
    return Object.freeze({ kind: "MARK", value: s.value >>> 0, mask: s.mask >>> 0 });
  },
  saveName: () => "MARK",
  save: (t) => ` --set-xmark ${hex(t.value)}/${hex(t.mask)}`,
  print: (t) => describe("MARK", t.value, t.mask),
};

interface ConnmarkState {
  seen: Seen;
  mode?: "set" | "save" | "restore";
  value: number;
  ctmask: number;
  nfmask: number;
}

const CONNMARK_MODES = ["set-xmark", "set-mark", "and-mark", "or-mark", "xor-mark", "save-mark", "restore-mark"];

export const connmarkTarget: TargetExtension<ConnmarkState, Connmark> = {
  name: "CONNMARK",
  kinds: ["CONNMARK"],
  x6: true,
  options: [
    ...CONNMARK_MODES.map((name) => ({ name, hasArg: name !== "save-mark" && name !== "restore-mark", excl: CONNMARK_MODES })),
    { name: "mask", hasArg: true, excl: ["ctmask", "nfmask"] },
    { name: "ctmask", hasArg: true, excl: ["mask"] },
    { name: "nfmask", hasArg: true, excl: ["mask"] },
  ],
  help: `CONNMARK target options:
  --set-xmark value[/ctmask]    Zero mask bits and XOR ctmark with value
  --save-mark [--ctmask mask] [--nfmask mask]
                                Copy ctmark to nfmark using masks
  --restore-mark [--ctmask mask] [--nfmask mask]
                                Copy nfmark to ctmark using masks
  --set-mark value[/mask]       Set conntrack mark value
  --save-mark [--mask mask]     Save the packet nfmark in the connection
  --restore-mark [--mask mask]  Restore saved nfmark value
  --and-mark value              Binary AND the ctmark with bits
  --or-mark value               Binary OR  the ctmark with bits
  --xor-mark value              Binary XOR the ctmark with bits
`,
  init: () => ({ seen: new Seen(), value: 0, ctmask: 0xffffffff, nfmask: 0xffffffff }),
  parse(s, call) {
    x6Check(connmarkTarget, s.seen, call);
    switch (call.option) {
      case "save-mark":
        s.mode = "save";
        return;
      case "restore-mark":
        s.mode = "restore";
        return;
      case "mask":
        s.ctmask = s.nfmask = u32("CONNMARK", call);
        return;
      case "ctmask":
        s.ctmask = u32("CONNMARK", call);
        return;
      case "nfmask":
        s.nfmask = u32("CONNMARK", call);
        return;
    }
    const op = setOp("CONNMARK", call);
    s.mode = "set";
    s.value = op.value;
    s.ctmask = op.mask;
  },
  finish(s) {
    if (!s.mode) throw new XtError("CONNMARK target: No operation specified");
    x6Finish(connmarkTarget, s.seen);
    if (s.mode === "set") return Object.freeze({ kind: "CONNMARK", mode: "set", value: s.value >>> 0, mask: s.ctmask >>> 0 });
    return Object.freeze({ kind: "CONNMARK", mode: s.mode, nfmask: s.nfmask >>> 0, ctmask: s.ctmask >>> 0 });
  },
  saveName: () => "CONNMARK",
  save(t) {
    if (t.mode === "set") return ` --set-xmark ${hex(t.value)}/${hex(t.mask)}`;
    return ` --${t.mode}-mark --nfmask ${hex(t.nfmask)} --ctmask ${hex(t.ctmask)}`;
  },
  print(t) {
    if (t.mode === "set") return describe("CONNMARK", t.value, t.mask);
    const all = 0xffffffff;
    if (t.mode === "save") {
      if (t.nfmask === all && t.ctmask === all) return " CONNMARK save";
      if (t.nfmask === t.ctmask) return ` CONNMARK save mask ${hex(t.nfmask)}`;
      return ` CONNMARK save nfmask ${hex(t.nfmask)} ctmask ~${hex(t.ctmask)}`;
    }
    if (t.ctmask === all && t.nfmask === all) return " CONNMARK restore";
    if (t.ctmask === t.nfmask) return ` CONNMARK restore mask ${hex(t.ctmask)}`;
    return ` CONNMARK restore ctmask ${hex(t.ctmask)} nfmask ~${hex(t.nfmask)}`;
  },
};
