import type { Word, WordPart } from "./syntax/ast";

/** Expansions past this many words stop growing (a typo like {1..99999999} must not hang the tab). */
const MAX_WORDS = 10_000;

interface Brace {
  start: number;
  end: number;
  alternatives: string[];
}

function sequence(body: string): string[] | null {
  const numeric = /^(-?\d+)\.\.(-?\d+)(?:\.\.(-?\d+))?$/.exec(body);
  const letters = /^([A-Za-z])\.\.([A-Za-z])(?:\.\.(-?\d+))?$/.exec(body);
  const match = numeric ?? letters;
  if (!match) return null;
  const from = numeric ? Number(match[1]) : match[1].charCodeAt(0);
  const to = numeric ? Number(match[2]) : match[2].charCodeAt(0);
  const step = Math.abs(Number(match[3] ?? "1")) || 1;
  const width = numeric && /^-?0\d/.test(match[1] + " " + match[2]) ? Math.max(match[1].length, match[2].length) : 0;
  const out: string[] = [];
  for (let n = from; from <= to ? n <= to : n >= to; n += from <= to ? step : -step) {
    if (out.length >= MAX_WORDS) break;
    out.push(numeric ? (n < 0 ? "-" + String(-n).padStart(width - 1, "0") : String(n).padStart(width, "0")) : String.fromCharCode(n));
  }
  return out;
}

/** The first brace expression in unquoted text: `{a,b}` alternatives or a `{1..5}` sequence. */
function findBrace(text: string): Brace | null {
  for (let start = text.indexOf("{"); start >= 0; start = text.indexOf("{", start + 1)) {
    let depth = 0;
    const commas: number[] = [];
    for (let i = start; i < text.length; i++) {
      const c = text[i];
      if (c === "{") depth++;
      else if (c === "," && depth === 1) commas.push(i);
      else if (c === "}" && --depth === 0) {
        const body = text.slice(start + 1, i);
        if (commas.length > 0) {
          const cuts = [start, ...commas, i];
          const alternatives = cuts.slice(1).map((cut, k) => text.slice(cuts[k] + 1, cut));
          return { start, end: i + 1, alternatives };
        }
        const items = sequence(body);
        if (items) return { start, end: i + 1, alternatives: items };
        break;
      }
    }
  }
  return null;
}

/**
 * Brace expansion, bash's first expansion: `file{,.bak}`, `{1..3}`, `{a..e..2}`, `dir/{a,b}/x`,
 * nested braces. Only unquoted text takes part; a word without a valid brace is returned as is.
 *
 * @example
 * braceExpand(word("v{1..3}")).map((w) => w.text); // ["v1", "v2", "v3"]
 */
export function braceExpand(word: Word, budget = { left: MAX_WORDS }): Word[] {
  for (const [index, part] of word.parts.entries()) {
    if (part.type !== "Literal") continue;
    const brace = findBrace(part.value);
    if (!brace) continue;
    const out: Word[] = [];
    for (const alternative of brace.alternatives) {
      if (budget.left <= 0) break;
      const value = part.value.slice(0, brace.start) + alternative + part.value.slice(brace.end);
      const parts: WordPart[] = [...word.parts.slice(0, index), { ...part, value }, ...word.parts.slice(index + 1)];
      const expanded = braceExpand({ ...word, parts, text: word.text }, budget);
      budget.left -= expanded.length - 1;
      out.push(...expanded);
    }
    return out;
  }
  return [word];
}
