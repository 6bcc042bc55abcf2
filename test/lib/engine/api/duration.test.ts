import { describe, expect, it } from "vitest";
import { humanDuration } from "@/lib/engine/util/duration";

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
const Y = 365 * D;

// Boundaries from apimachinery's duration.HumanDuration (and its duration_test.go table).
const cases: [string, number, string][] = [
  ["clock skew of 1.9s reads as now", -1900, "0s"],
  ["2s in the future is invalid", -2 * S, "<invalid>"],
  ["zero", 0, "0s"],
  ["sub-second truncates", 999, "0s"],
  ["1s", S, "1s"],
  ["119s stays in seconds", 119 * S, "119s"],
  ["120s switches to minutes", 2 * M, "2m"],
  ["2m3s", 2 * M + 3 * S, "2m3s"],
  ["9m59s", 9 * M + 59 * S, "9m59s"],
  ["10m drops seconds", 10 * M + 30 * S, "10m"],
  ["179m", 179 * M, "179m"],
  ["3h", 3 * H, "3h"],
  ["3h1m", 3 * H + M, "3h1m"],
  ["7h59m", 7 * H + 59 * M, "7h59m"],
  ["8h drops minutes", 8 * H + 30 * M, "8h"],
  ["47h", 47 * H, "47h"],
  ["48h is 2d", 48 * H, "2d"],
  ["2d1h", 49 * H, "2d1h"],
  ["7d23h", 7 * D + 23 * H, "7d23h"],
  ["8d drops hours", 8 * D + 5 * H, "8d"],
  ["729d", 729 * D, "729d"],
  ["2y", 2 * Y, "2y"],
  ["2y1d", 2 * Y + D, "2y1d"],
  ["7y364d", 7 * Y + 364 * D, "7y364d"],
  ["8y", 8 * Y + 100 * D, "8y"],
];

describe("humanDuration", () => {
  it.each(cases)("%s", (_name, ms, want) => {
    expect(humanDuration(ms)).toBe(want);
  });
});
