/**
 * `resource.Quantity` parsing for scheduling: CPU in millicores (`MilliValue`) and memory or
 * counts in units (`Value`), both rounded up as upstream rounds. Accepts decimal SI suffixes
 * (`m`, `k`, `M`, `G`…), binary ones (`Ki`, `Mi`, `Gi`…) and exponents (`1e3`).
 *
 * @example
 * milliValue("250m");      // 250
 * milliValue("1.5");       // 1500
 * value("4015852Ki");      // 4112232448
 * value("128Mi");          // 134217728
 */
const SUFFIX: Record<string, number> = {
  "": 1, n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** The quantity as a plain number, or undefined when it does not parse. */
function parse(q: string | number | undefined): number | undefined {
  if (q === undefined) return undefined;
  if (typeof q === "number") return q;
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/.exec(q.trim());
  if (!m) return undefined;
  const base = Number(m[1]);
  if (m[2]) return base * 10 ** Number(m[2].slice(1));
  return base * SUFFIX[m[3] ?? ""];
}

/** `Quantity.MilliValue()`: thousandths, rounded up (0 when absent or invalid). */
export function milliValue(q: string | number | undefined): number {
  const v = parse(q);
  // Rounding guards against float noise such as 0.1 * 1000 = 100.00000000000001.
  return v === undefined ? 0 : Math.ceil(Math.round(v * 1000 * 1e6) / 1e6);
}

/** `Quantity.Value()`: whole units, rounded up (0 when absent or invalid). */
export function value(q: string | number | undefined): number {
  const v = parse(q);
  return v === undefined ? 0 : Math.ceil(Math.round(v * 1e6) / 1e6);
}
