import { describe, expect, it } from "vitest";
import { fieldPath, errorString, aggregateMessage } from "@/lib/engine/api";
import {
  isConfigMapKey, isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue, isValidPortName,
  isValidPortNum,
} from "@/lib/engine/api/validation/strings";
import { duplicate, forbidden, goStringMap, invalid, notSupported, required } from "@/lib/engine/api/validation/field";

// The expected texts are apimachinery's util/validation messages, regex text included.
const SUBDOMAIN =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035 =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const NAME_PART =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

describe("name and label checks", () => {
  const cases: [string, () => string[], string[]][] = [
    ["subdomain accepts dots", () => isDNS1123Subdomain("web.example"), []],
    ["subdomain rejects underscore", () => isDNS1123Subdomain("Foo_bar"), [SUBDOMAIN]],
    ["subdomain length", () => isDNS1123Subdomain("a".repeat(254)), ["must be no more than 253 characters"]],
    ["label rejects dots specially", () => isDNS1123Label("a.b"), ["must not contain dots"]],
    ["label rejects upper case", () => isDNS1123Label("Web"), [LABEL]],
    ["dns1035 rejects a leading digit", () => isDNS1035Label("1web"), [DNS1035]],
    ["dns1035 length and pattern", () => isDNS1035Label("a".repeat(63) + "-"), ["must be no more than 63 characters", DNS1035]],
    ["qualified name with prefix", () => isQualifiedName("example.com/my-key"), []],
    ["qualified name bad name part", () => isQualifiedName("-bad"), [NAME_PART]],
    ["qualified name empty prefix", () => isQualifiedName("/x"), ["prefix part must be non-empty"]],
    ["qualified name bad prefix", () => isQualifiedName("Ex/x"), [`prefix part ${SUBDOMAIN}`]],
    ["label value may be empty", () => isValidLabelValue(""), []],
    ["label value rejects spaces", () => isValidLabelValue("a b"), [LABEL_VALUE]],
    ["port 0", () => isValidPortNum(0), ["must be between 1 and 65535, inclusive"]],
    ["port name digits only", () => isValidPortName("8080"), ["must contain at least one letter (a-z)"]],
    ["port name too long", () => isValidPortName("a".repeat(16)), ["must be no more than 15 characters"]],
    ["config key with slash", () => isConfigMapKey("a/b"), [
      "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
    ]],
    ["config key ..", () => isConfigMapKey(".."), ["must not be '..'"]],
  ];
  it.each(cases)("%s", (_name, run, want) => {
    expect(run()).toEqual(want);
  });
});

describe("field error rendering", () => {
  const p = fieldPath("spec", "ports").index(0);
  const cases: [string, ReturnType<typeof invalid>, string][] = [
    ["invalid int", invalid(p.child("nodePort"), 40000, "provided port is already allocated"), "spec.ports[0].nodePort: Invalid value: 40000: provided port is already allocated"],
    ["invalid string is quoted", invalid(fieldPath("metadata", "name"), "Foo", "bad"), 'metadata.name: Invalid value: "Foo": bad'],
    ["required with no detail", required(fieldPath("spec", "selector")), "spec.selector: Required value"],
    ["required with detail", required(fieldPath("metadata", "name"), "name or generateName is required"), "metadata.name: Required value: name or generateName is required"],
    ["unsupported lists quoted values", notSupported(fieldPath("spec", "type"), "Bogus", ["ClusterIP", "NodePort"]), 'spec.type: Unsupported value: "Bogus": supported values: "ClusterIP", "NodePort"'],
    ["duplicate", duplicate(p.child("name"), "http"), 'spec.ports[0].name: Duplicate value: "http"'],
    ["forbidden hides the value", forbidden(fieldPath("spec", "clusterIPs"), "may not be set for ExternalName services"), "spec.clusterIPs: Forbidden: may not be set for ExternalName services"],
    ["map values print as Go maps", invalid(fieldPath("spec", "template", "metadata", "labels"), goStringMap({ b: "2", a: "1" }), "x"), 'spec.template.metadata.labels: Invalid value: map[string]string{"a":"1", "b":"2"}: x'],
    ["map keys subscript paths", invalid(fieldPath("data").key("bad key"), "bad key", "x"), 'data[bad key]: Invalid value: "bad key": x'],
  ];
  it.each(cases)("%s", (_name, err, want) => {
    expect(errorString(err)).toBe(want);
  });

  it("aggregates one error bare and several in brackets, dropping repeats", () => {
    const a = required(fieldPath("a"));
    const b = required(fieldPath("b"));
    expect(aggregateMessage([a])).toBe("a: Required value");
    expect(aggregateMessage([a, b, a])).toBe("[a: Required value, b: Required value]");
  });
});
