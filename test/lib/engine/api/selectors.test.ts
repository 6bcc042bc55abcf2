import { describe, expect, it } from "vitest";
import {
  LabelSelectorError, formatLabelSelector, labelSelectorAsSelector, matchesFields, parseFieldSelector, parseLabelSelector,
  selectorFromSet, validateLabelSelector, fieldPath, errorString,
} from "@/lib/engine/api";

const NAME_PART =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

describe("label selector parsing", () => {
  // Canonical String() after parsing: requirements sorted by key, set values sorted.
  const valid: [string, string][] = [
    ["", ""],
    ["x=a,y=b,z=c", "x=a,y=b,z=c"],
    ["z=c,x=a", "x=a,z=c"],
    ["x==a", "x==a"],
    ["x!=a", "x!=a"],
    ["x in (b, a)", "x in (a,b)"],
    ["x notin (a)", "x notin (a)"],
    ["x in ()", "x in ()"],
    ["x in (,a)", "x in (,a)"],
    ["x", "x"],
    ["!x", "!x"],
    ["x>1,y<5", "x>1,y<5"],
    ["x=", "x="],
    ["  app = web ", "app=web"],
    ["in in (in)", "in in (in)"],
    ["example.com/tier=front", "example.com/tier=front"],
  ];
  it.each(valid)("parses %j", (text, canonical) => {
    expect(parseLabelSelector(text).toString()).toBe(canonical);
  });

  // Messages from apimachinery labels/selector.go; the parser has no field path, so a bad key
  // is reported against Go's nil path, "<nil>".
  const invalidCases: [string, string][] = [
    ["a=b c", "found 'c', expected: ',' or 'end of string'"],
    ["app web", "unable to parse requirement: found 'web', expected: in, notin, =, ==, !=, gt, lt"],
    ["x,,y", "found ',', expected: identifier after ','"],
    ["=x", "found '=', expected: !, identifier, or 'end of string'"],
    ["x in (a", "unable to parse requirement: found '', expected: ',' or ')'"],
    ["x in a", "unable to parse requirement: found 'a' expected: '('"],
    ["x=a,", "found '', expected: identifier after ','"],
    ["-x=y", `unable to parse requirement: <nil>: Invalid value: "-x": ${NAME_PART}`],
    ["x>a", "unable to parse requirement: values[0]: Invalid value: \"a\": for 'Gt', 'Lt' operators, the value must be an integer"],
    [
      "x=a$",
      "unable to parse requirement: values[0][x]: Invalid value: \"a$\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    ],
  ];
  it.each(invalidCases)("rejects %j", (text, message) => {
    expect(() => parseLabelSelector(text)).toThrow(LabelSelectorError);
    expect(() => parseLabelSelector(text)).toThrow(message);
  });
});

describe("label selector matching", () => {
  const cases: [string, Record<string, string>, boolean][] = [
    ["app=web", { app: "web" }, true],
    ["app=web", { app: "db" }, false],
    ["app!=web", {}, true],
    ["app notin (web)", {}, true],
    ["app notin (web)", { app: "web" }, false],
    ["app in (web,db)", { app: "db" }, true],
    ["app in (web,db)", {}, false],
    ["app", { app: "" }, true],
    ["!app", { app: "" }, false],
    ["!app", { tier: "x" }, true],
    ["n>1", { n: "2" }, true],
    ["n>1", { n: "x" }, false],
    ["n<1", { n: "-3" }, true],
    ["app=web,tier=front", { app: "web" }, false],
    ["x=", { x: "" }, true],
    ["", { anything: "1" }, true],
  ];
  it.each(cases)("%j on %j is %s", (text, labels, want) => {
    expect(parseLabelSelector(text).matches(labels)).toBe(want);
  });

  it("builds set selectors from maps", () => {
    const sel = selectorFromSet({ tier: "front", app: "web" });
    expect(sel.toString()).toBe("app=web,tier=front");
    expect(sel.matches({ app: "web", tier: "front", extra: "1" })).toBe(true);
    expect(selectorFromSet({}).empty()).toBe(true);
  });
});

describe("LabelSelector objects", () => {
  it("converts nil to nothing and empty to everything", () => {
    expect(labelSelectorAsSelector(undefined).matches({ a: "b" })).toBe(false);
    expect(labelSelectorAsSelector({}).matches({ a: "b" })).toBe(true);
    expect(formatLabelSelector(undefined)).toBe("<none>");
    expect(formatLabelSelector({})).toBe("<none>");
  });

  it("combines matchLabels and matchExpressions sorted by key", () => {
    const sel = labelSelectorAsSelector({
      matchLabels: { tier: "front" },
      matchExpressions: [{ key: "app", operator: "In", values: ["web", "api"] }, { key: "legacy", operator: "DoesNotExist" }],
    });
    expect(sel.toString()).toBe("app in (api,web),!legacy,tier=front");
    expect(sel.matches({ app: "api", tier: "front" })).toBe(true);
    expect(sel.matches({ app: "api", tier: "front", legacy: "y" })).toBe(false);
  });

  it("rejects unknown operators with upstream's text", () => {
    expect(() => labelSelectorAsSelector({ matchExpressions: [{ key: "a", operator: "Foo" }] })).toThrow(
      '"Foo" is not a valid label selector operator',
    );
    expect(formatLabelSelector({ matchExpressions: [{ key: "a", operator: "Foo" }] })).toBe("<error>");
  });

  it("validates requirements like ValidateLabelSelector", () => {
    const errs = validateLabelSelector(
      {
        matchLabels: { "bad key!": "v" },
        matchExpressions: [
          { key: "a", operator: "In" },
          { key: "b", operator: "Exists", values: ["x"] },
          { key: "c", operator: "Foo" },
        ],
      },
      fieldPath("spec", "selector"),
    ).map(errorString);
    expect(errs).toEqual([
      `spec.selector.matchLabels: Invalid value: "bad key!": ${NAME_PART}`,
      "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
      'spec.selector.matchExpressions[2].operator: Invalid value: "Foo": not a valid selector operator',
    ]);
  });
});

describe("field selectors", () => {
  it("parses, normalises == and sorts terms", () => {
    expect(parseFieldSelector("status.phase!=Failed,spec.nodeName==node-1").terms).toEqual([
      { field: "spec.nodeName", op: "=", value: "node-1" },
      { field: "status.phase", op: "!=", value: "Failed" },
    ]);
    expect(parseFieldSelector("").terms).toEqual([]);
  });

  it("unescapes values", () => {
    expect(parseFieldSelector("metadata.name=a\\,b\\=c\\\\").terms[0].value).toBe("a,b=c\\");
  });

  const bad: [string, string][] = [
    ["foo", "invalid selector: 'foo'; can't understand 'foo'"],
    ["a=b=c", "invalid field selector: unescaped character in value: 61"],
    ["a=b\\x", "invalid field selector: invalid escape sequence: \\x"],
    ["a=b\\", "invalid field selector: invalid escape sequence: \\"],
  ];
  it.each(bad)("rejects %j", (text, message) => {
    expect(() => parseFieldSelector(text)).toThrow(message);
  });

  it("matches missing fields as empty strings", () => {
    const sel = parseFieldSelector("spec.nodeName=,status.phase!=Running");
    expect(matchesFields(sel, { "status.phase": "Pending" })).toBe(true);
    expect(matchesFields(sel, { "spec.nodeName": "n1", "status.phase": "Pending" })).toBe(false);
  });
});
