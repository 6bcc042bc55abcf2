import { describe, expect, it } from "vitest";
import { GRADING_LIMITS, SubmissionSchema, transcriptDigest } from "@/lib/grading";

const parse = (entries: unknown[]) => SubmissionSchema.safeParse({ scenario: "single-node", seed: 1, entries });
const firstIssue = (entries: unknown[]) => {
  const parsed = parse(entries);
  if (parsed.success) throw new Error("expected the submission to be refused");
  const issue = parsed.error.issues[0];
  return `${issue.path.join(".")}: ${issue.message}`;
};

describe("SubmissionSchema", () => {
  it("takes lines and program keys as the terminal records them", () => {
    const parsed = parse([
      { line: "vi /tmp/x", elapsedMs: 1200 },
      { keys: "ihello\x1b:wq\r", elapsedMs: 300, screen: { rows: 30, columns: 100 } },
      { keys: "", elapsedMs: 2000 },
    ]);
    expect(parsed.success && parsed.data.entries).toEqual([
      { line: "vi /tmp/x", elapsedMs: 1200 },
      { keys: "ihello\x1b:wq\r", elapsedMs: 300, screen: { rows: 30, columns: 100 } },
      { keys: "", elapsedMs: 2000 },
    ]);
  });

  it.each<[string, unknown[], string]>([
    ["both line and keys", [{ line: "ls", keys: "x", elapsedMs: 0 }], "entries.0: expected either line or keys"],
    ["neither", [{ elapsedMs: 0 }], "entries.0: expected either line or keys"],
    ["a screen on a line", [{ line: "ls", elapsedMs: 0, screen: { rows: 2, columns: 2 } }], "entries.0: screen belongs to keys, not to a line"],
    ["no elapsed time", [{ line: "ls" }], "entries.0.elapsedMs: expected elapsedMs, the milliseconds since the input before"],
    ["a zero-row screen", [{ keys: "x", elapsedMs: 0, screen: { rows: 0, columns: 80 } }], "entries.0.screen.rows: expected at least 1"],
    ["a line of 16 KB and one byte", [{ line: "x".repeat(GRADING_LIMITS.entryBytes + 1), elapsedMs: 0 }], "entries.0.line: is longer than 16 KB"],
    ["16 KB of multi-byte characters", [{ keys: "é".repeat(GRADING_LIMITS.entryBytes / 2 + 1), elapsedMs: 0 }], "entries.0.keys: is longer than 16 KB"],
    ["an unknown field", [{ line: "ls", elapsedMs: 0, output: "x" }], 'entries.0: Unrecognized key: "output"'],
  ])("refuses %s, naming the field", (_name, entries, message) => {
    expect(firstIssue(entries)).toBe(message);
  });

  it("takes a line of exactly 16 KB, and at most 1,000 entries", () => {
    expect(parse([{ line: "x".repeat(GRADING_LIMITS.entryBytes), elapsedMs: 0 }]).success).toBe(true);
    expect(parse(Array(1000).fill({ line: ":", elapsedMs: 0 })).success).toBe(true);
    expect(firstIssue(Array(1001).fill({ line: ":", elapsedMs: 0 }))).toMatch(/^entries: a session can be checked with at most 1000 commands/);
  });

  it("refuses a seed that is not a whole number, and a missing scenario", () => {
    expect(SubmissionSchema.safeParse({ scenario: "single-node", seed: 1.5, entries: [] }).success).toBe(false);
    expect(SubmissionSchema.safeParse({ seed: 1, entries: [] }).success).toBe(false);
  });
});

describe("transcriptDigest", () => {
  it("hashes the transcript as replayed: key order and clamped time do not matter", () => {
    const a = transcriptDigest([{ line: "ls", elapsedMs: 1000.2 }, { keys: "q", elapsedMs: 1e12, screen: { rows: 24, columns: 80 } }]);
    const b = transcriptDigest([{ elapsedMs: 1000, line: "ls" } as never, { screen: { columns: 80, rows: 24 }, elapsedMs: 600_000, keys: "q" } as never]);
    expect(a).toEqual(b);
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.size).toBe(Buffer.byteLength('[{"line":"ls","elapsedMs":1000},{"keys":"q","elapsedMs":600000,"screen":{"rows":24,"columns":80}}]'));
  });

  it("tells different transcripts apart", () => {
    const digest = (line: string, elapsedMs = 0) => transcriptDigest([{ line, elapsedMs }]).hash;
    expect(digest("ls")).not.toBe(digest("ls "));
    expect(digest("ls", 1)).not.toBe(digest("ls", 2));
    expect(transcriptDigest([]).hash).toBe("4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945"); // sha256("[]")
  });
});
