import { describe, expect, it } from "vitest";
import { parseArgs, type CommandSpec } from "@/lib/engine/shell";

const spec: CommandSpec = {
  flags: [
    { name: "all", short: "a", long: "all", help: "" },
    { name: "almost-all", short: "A", long: "almost-all", help: "" },
    { name: "lines", short: "n", long: "lines", value: "required", help: "" },
    { name: "suffix", short: "i", long: "in-place", value: "optional", help: "" },
    { name: "verbose", short: "v", long: "verbose", help: "" },
  ],
};

describe("parseArgs", () => {
  it("reads bundled short flags, attached and separate values, and operands in any order", () => {
    const outcome = parseArgs(spec, ["-av", "x", "-n5", "-n", "7", "y", "--lines=9"]);
    if (!outcome.ok) throw new Error(outcome.error);
    const args = outcome.value;
    expect(args.has("all") && args.has("verbose")).toBe(true);
    expect(args.values("lines")).toEqual(["5", "7", "9"]);
    expect(args.value("lines")).toBe("9");
    expect(args.operands).toEqual(["x", "y"]);
  });

  it("accepts unambiguous long prefixes and `--`", () => {
    const outcome = parseArgs(spec, ["--verb", "--", "-a"]);
    expect(outcome.ok && outcome.value.has("verbose")).toBe(true);
    expect(outcome.ok && outcome.value.operands).toEqual(["-a"]);
  });

  it("takes an optional value only when attached", () => {
    const outcome = parseArgs(spec, ["-i.bak", "--in-place", "f"]);
    expect(outcome.ok && outcome.value.values("suffix")).toEqual([".bak", ""]);
    expect(outcome.ok && outcome.value.operands).toEqual(["f"]);
  });

  it("recognises --help", () => {
    const outcome = parseArgs(spec, ["--help"]);
    expect(outcome.ok && outcome.help).toBe(true);
  });

  it("treats - as an operand", () => {
    const outcome = parseArgs(spec, ["-"]);
    expect(outcome.ok && outcome.value.operands).toEqual(["-"]);
  });

  const errors: [string, string[], string][] = [
    ["an unknown short flag", ["-az"], "invalid option -- 'z'"],
    ["an unknown long flag", ["--nope=1"], "unrecognized option '--nope=1'"],
    ["an ambiguous prefix", ["--al"], "option '--al' is ambiguous; possibilities: '--all' '--almost-all'"],
    ["a missing short value", ["-n"], "option requires an argument -- 'n'"],
    ["a missing long value", ["--lines"], "option '--lines' requires an argument"],
    ["a value for a boolean", ["--all=yes"], "option '--all' doesn't allow an argument"],
  ];
  it.each(errors)("rejects %s in getopt's words", (_, argv, message) => {
    const outcome = parseArgs(spec, argv);
    expect(outcome.ok ? "parsed" : outcome.error).toBe(message);
  });

  it("stops at the first operand when asked (xargs, env)", () => {
    const outcome = parseArgs({ ...spec, stopAtOperand: true }, ["-v", "grep", "-a"]);
    expect(outcome.ok && outcome.value.operands).toEqual(["grep", "-a"]);
  });

  it("reads -N as a count and negative numbers as operands when the spec says so", () => {
    const head = parseArgs({ ...spec, numericFlag: "lines" }, ["-3"]);
    expect(head.ok && head.value.value("lines")).toBe("3");
    const seq = parseArgs({ flags: [], negativeNumbers: true }, ["-5", "-0.5"]);
    expect(seq.ok && seq.value.operands).toEqual(["-5", "-0.5"]);
  });

  it("leaves raw commands' words alone", () => {
    const outcome = parseArgs({ flags: [], raw: true }, ["-n", "--help"]);
    expect(outcome.ok && outcome.value.operands).toEqual(["-n", "--help"]);
    expect(outcome.ok && outcome.help).toBe(false);
  });
});
