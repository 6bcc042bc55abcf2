import { describe, expect, test } from "vitest";
import { findCommand, suggestionsFor } from "@/lib/engine/kubectl/commands";
import { GLOBAL_FLAGS } from "@/lib/engine/kubectl/flags";
import { parseFlags, parseGoDuration, parseGoInt, stripFlags } from "@/lib/engine/kubectl/parse";
import type { KubectlFlag, KubectlVerb } from "@/lib/engine/kubectl/types";

const FLAGS: KubectlFlag[] = [
  ...GLOBAL_FLAGS,
  { name: "output", short: "o", type: "string", usage: "" },
  { name: "all-namespaces", short: "A", type: "bool", usage: "" },
  { name: "stdin", short: "i", type: "bool", usage: "" },
  { name: "tty", short: "t", type: "bool", usage: "" },
  { name: "replicas", short: "r", type: "int", default: "1", usage: "" },
  { name: "image", type: "stringSlice", usage: "" },
  { name: "from-literal", type: "stringArray", usage: "" },
  { name: "dry-run", type: "string", default: "none", noOptDefault: "unchanged", usage: "" },
  { name: "timeout", type: "duration", default: "0s", usage: "" },
];

describe("pflag parsing", () => {
  type Check = (r: Extract<ReturnType<typeof parseFlags>, { ok: true }>["args"]) => void;
  const cases: [string, string[], Check][] = [
    ["--flag=value", ["pods", "--namespace=kube-system"], (a) => expect(a.string("namespace")).toBe("kube-system")],
    ["--flag value", ["--namespace", "x", "pods"], (a) => expect([a.string("namespace"), a.operands]).toEqual(["x", ["pods"]])],
    ["-n value", ["-n", "x"], (a) => expect(a.string("namespace")).toBe("x")],
    ["-nvalue", ["-nx"], (a) => expect(a.string("namespace")).toBe("x")],
    ["-n=value", ["-n=x"], (a) => expect(a.string("namespace")).toBe("x")],
    ["-oyaml", ["-oyaml"], (a) => expect(a.string("output")).toBe("yaml")],
    ["bundled booleans", ["-it"], (a) => expect([a.bool("stdin"), a.bool("tty")]).toEqual([true, true])],
    ["bundled booleans then a value", ["-itn", "x"], (a) => expect([a.bool("tty"), a.string("namespace")]).toEqual([true, "x"])],
    ["--bool=false", ["-A", "--all-namespaces=false"], (a) => expect(a.bool("all-namespaces")).toBe(false)],
    ["flags between operands", ["a", "-o", "wide", "b"], (a) => expect(a.operands).toEqual(["a", "b"])],
    ["-- ends flags", ["web", "--", "sh", "-c", "ls -l"], (a) => expect([a.operands, a.afterDash]).toEqual([["web", "sh", "-c", "ls -l"], ["sh", "-c", "ls -l"]])],
    ["a lone dash is an operand", ["apply", "-"], (a) => expect(a.operands).toEqual(["apply", "-"])],
    ["stringSlice splits commas", ["--image=a,b", "--image", "c"], (a) => expect(a.strings("image")).toEqual(["a", "b", "c"])],
    ["stringArray keeps commas", ["--from-literal=a=1,2"], (a) => expect(a.strings("from-literal")).toEqual(["a=1,2"])],
    ["int default", [], (a) => expect(a.int("replicas")).toBe(1)],
    ["hex int", ["--replicas=0x10"], (a) => expect(a.int("replicas")).toBe(16)],
    ["NoOptDefVal", ["--dry-run", "pods"], (a) => expect([a.string("dry-run"), a.operands]).toEqual(["unchanged", ["pods"]])],
    ["underscores normalise", ["--all_namespaces"], (a) => expect(a.bool("all-namespaces")).toBe(true)],
    ["-h", ["-h"], (a) => expect(a.help).toBe(true)],
    ["last value wins", ["-n", "a", "-n", "b"], (a) => expect(a.string("namespace")).toBe("b")],
  ];
  test.each(cases)("%s", (_name, argv, check) => {
    const r = parseFlags(argv, FLAGS);
    if (!r.ok) throw new Error(r.error);
    check(r.args);
  });

  const errors: [string, string[], string][] = [
    ["unknown long flag", ["--foo"], "unknown flag: --foo"],
    ["unknown shorthand", ["-z"], "unknown shorthand flag: 'z' in -z"],
    ["unknown shorthand in a bundle", ["-iz"], "unknown shorthand flag: 'z' in -iz"],
    ["missing long value", ["--namespace"], "flag needs an argument: --namespace"],
    ["missing short value", ["-n"], "flag needs an argument: 'n' in -n"],
    ["bad bool", ["-A=foo"], 'invalid argument "foo" for "-A, --all-namespaces" flag: strconv.ParseBool: parsing "foo": invalid syntax'],
    ["bad int", ["--replicas=x"], 'invalid argument "x" for "-r, --replicas" flag: strconv.ParseInt: parsing "x": invalid syntax'],
    ["bad duration", ["--timeout=5"], 'invalid argument "5" for "--timeout" flag: time: invalid duration "5"'],
    ["bad syntax", ["---x"], "bad flag syntax: ---x"],
  ];
  test.each(errors)("%s", (_name, argv, message) => {
    expect(parseFlags(argv, FLAGS)).toEqual({ ok: false, error: message });
  });

  test("Go number and duration parsing", () => {
    expect([parseGoInt("010"), parseGoInt("0b11"), parseGoInt("-5"), parseGoInt("1_000"), parseGoInt("1.5")]).toEqual([8, 3, -5, 1000, undefined]);
    expect([parseGoDuration("1m30s"), parseGoDuration("0"), parseGoDuration("250ms"), parseGoDuration("5")]).toEqual([90_000, 0, 250, undefined]);
  });
});

describe("finding the command path", () => {
  const sub: KubectlVerb = { name: "deployment", aliases: ["deploy"], short: "", usage: "", flags: [] };
  const create: KubectlVerb = { name: "create", short: "", usage: "", flags: [{ name: "filename", short: "f", type: "stringSlice", usage: "" }], subcommands: [sub] };
  const get: KubectlVerb = { name: "get", short: "", usage: "", flags: [] };
  const verbs = [create, get];
  const cases: [string, string[], unknown][] = [
    ["global flags before the verb", ["-n", "kube-system", "get", "pods"], { kind: "verb", path: ["get"], rest: ["-n", "kube-system", "pods"] }],
    ["sub-command by alias", ["create", "deploy", "web"], { kind: "verb", path: ["create", "deployment"], rest: ["web"] }],
    ["a flag value is not a sub-command", ["create", "-f", "deployment"], { kind: "verb", path: ["create"], rest: ["-f", "deployment"] }],
    ["no words", ["-n", "x"], { kind: "root", rest: ["-n", "x"] }],
    ["unknown word", ["foo"], { kind: "unknown", word: "foo" }],
    ["flag then unknown word", ["-v", "3", "foo"], { kind: "unknown", word: "foo", flagFirst: "-v" }],
  ];
  test.each(cases)("%s", (_name, argv, expected) => {
    const found = findCommand(argv, verbs);
    expect(found.kind === "verb" ? { kind: found.kind, path: found.path, rest: found.rest } : found).toEqual(expected);
  });

  test("cobra's stripFlags gives up on a trailing value flag", () => {
    expect(stripFlags(["get", "-n"], GLOBAL_FLAGS)).toEqual(["get"]);
    expect(stripFlags(["-n", "get"], GLOBAL_FLAGS)).toEqual([]);
  });

  test("suggestions come in kubectl's registration order, by distance or prefix", () => {
    expect(suggestionsFor("gett")).toEqual(["set", "get"]);
    expect(suggestionsFor("dele")).toEqual(["delete"]);
    expect(suggestionsFor("zzzzzz")).toEqual([]);
  });
});
