import { describe, expect, it } from "vitest";
import { formatPrintf } from "@/lib/engine/shell/text/format";
import { strftime } from "@/lib/engine/shell/text/time";

describe("formatPrintf", () => {
  const cases: [string, string, string[], string][] = [
    ["strings with width and precision", "[%5s][%-5s][%.2s]", ["ab", "cd", "xyz"], "[   ab][cd   ][xy]"],
    ["integers with flags", "%05d|%+d|% d|%x|%#o|%#X", ["42", "7", "7", "255", "8", "255"], "00042|+7| 7|ff|010|0XFF"],
    ["%g picks the shorter form", "%g %g %g %g", ["100000", "1000000", "0.0001", "0.00001"], "100000 1e+06 0.0001 1e-05"],
    ["%e and %f", "%e %.3f %.0f", ["1234.5", "2.0005", "2.5"], "1.234500e+03 2.001 2"],
    ["* takes the width from an argument", "[%*d]", ["4", "7"], "[   7]"],
    ["the format repeats for extra arguments", "%s=%s;", ["a", "1", "b"], "a=1;b=;"],
    ["%% and escapes", "100%%\\t\\x41\\101\\n", [], "100%\tAA\n"],
    ["%b interprets escapes in the argument", "%b|", ["a\\nb"], "a\nb|"],
  ];
  it.each(cases)("%s", (_, format, args, expected) => {
    expect(formatPrintf(format, args).text).toBe(expected);
  });

  it("complains about invalid numbers like bash and uses 0", () => {
    expect(formatPrintf("%d", ["12abc"])).toMatchObject({ text: "12", errors: ["12abc: invalid number"] });
  });

  it("takes numbers leniently for awk", () => {
    expect(formatPrintf("%d", ["12abc"], { lenient: true })).toMatchObject({ text: "12", errors: [] });
  });

  it("stops at an invalid conversion", () => {
    expect(formatPrintf("a%zb", [])).toMatchObject({ text: "a", errors: ["`z': invalid format character"], stopped: true });
  });
});

describe("strftime", () => {
  const t = Date.UTC(2026, 0, 5, 14, 3, 9);
  it.each([
    ["%Y-%m-%d %H:%M:%S", "2026-01-05 14:03:09"],
    ["%a %A %b %B %e|%j", "Mon Monday Jan January  5|005"],
    ["%I:%M %p %Z %z", "02:03 PM UTC +0000"],
    ["%D %F %T %R", "01/05/26 2026-01-05 14:03:09 14:03"],
    ["%s %q %%", "1767621789 %q %"],
  ])("%s", (format, expected) => {
    expect(strftime(format, t)).toBe(expected);
  });
});
