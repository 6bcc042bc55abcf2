import type { Metadata } from "next";
import { SCENARIO_NAMES } from "@/lib/engine";
import { TerminalPane } from "@/app/_components/terminal/TerminalPane";
import { PlaygroundControls } from "./PlaygroundControls";
import styles from "./playground.module.css";

export const metadata: Metadata = {
  title: "Playground",
  description: "A free terminal on a Kubernetes cluster in your browser: pick a scenario and a seed, and try anything.",
};

type Props = { searchParams: Promise<{ scenario?: string | string[]; seed?: string | string[] }> };

const DEFAULT_SCENARIO = "single-node";
const MAX_SEED = 2 ** 31 - 1;

/** `?seed=` as a whole number in 0…2^31−1 (1 when absent or not a number). */
function parseSeed(value: string | undefined): number {
  if (value === undefined || !/^\d{1,10}$/.test(value.trim())) return 1;
  return Math.min(Number(value.trim()), MAX_SEED);
}

export default async function PlaygroundPage({ searchParams }: Props) {
  const params = await searchParams;
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const names: readonly string[] = SCENARIO_NAMES;
  const asked = first(params.scenario);
  const scenario = asked && names.includes(asked) ? asked : DEFAULT_SCENARIO;
  const seed = parseSeed(first(params.seed));

  return (
    <div className={styles.page}>
      <div className={styles.top}>
        <div className={styles.intro}>
          <h1 className={styles.title}>Playground</h1>
          <p className={styles.lead}>
            A cluster of your own, no lesson attached. The same scenario and seed always build the same cluster, so a link
            to this page gives someone else exactly your starting point.
          </p>
        </div>
        <PlaygroundControls scenarios={[...names]} scenario={scenario} seed={seed} />
      </div>
      <div className={styles.terminal}>
        <TerminalPane key={`${scenario}:${seed}`} scenario={scenario} seed={seed} sessionKey={`playground:${scenario}:${seed}`} />
      </div>
    </div>
  );
}
