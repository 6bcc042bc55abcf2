// The engine in your terminal: `npm run shell -- --scenario three-node-calico --seed 7`.
// Interactive on a TTY (history, tab completion); with piped input it prints a transcript
// (prompt + command line, then its output) and exits with the last command's status.
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { createCluster, isIncomplete, SCENARIO_NAMES, ScenarioError } from "../lib/engine";

const { values } = parseArgs({
  options: {
    scenario: { type: "string", default: "single-node" },
    seed: { type: "string", default: "1" },
    help: { type: "boolean", short: "h" },
  },
});
if (values.help) {
  console.log(`usage: npm run shell -- [--scenario NAME] [--seed N]\nscenarios: ${SCENARIO_NAMES.join(", ")}`);
  process.exit(0);
}
const seed = Number(values.seed);
if (!Number.isInteger(seed)) {
  console.error(`shell: --seed must be an integer, got "${values.seed}"`);
  process.exit(2);
}

let cluster;
try {
  cluster = createCluster({ scenario: values.scenario, seed });
} catch (err) {
  if (err instanceof ScenarioError) {
    console.error(`shell: ${err.message}`);
    process.exit(2);
  }
  throw err;
}
const sh = cluster.shell();

if (process.stdin.isTTY) {
  const rl = createInterface({
    input: process.stdin,
    output: process.stdout,
    prompt: sh.prompt(),
    completer: (line: string) => {
      const c = sh.complete(line, line.length);
      return [c.candidates.map((x) => line.slice(0, c.replaceFrom) + x), line];
    },
  });
  let last = Date.now();
  let buffer = "";
  rl.prompt();
  rl.on("line", async (line) => {
    buffer += (buffer ? "\n" : "") + line;
    if (isIncomplete(buffer)) {
      rl.setPrompt("> ");
      rl.prompt();
      return;
    }
    rl.pause();
    const elapsedMs = Date.now() - last;
    const result = await sh.run(buffer, { elapsedMs });
    buffer = "";
    process.stdout.write(result.output);
    last = Date.now();
    rl.setPrompt(sh.prompt());
    rl.resume();
    rl.prompt();
  });
  rl.on("close", () => process.exit(0));
} else {
  void runPiped();
}

/** Piped input: print each command as a transcript would show it, then its output. */
async function runPiped(): Promise<void> {
  // Piped: one input line per command; here-documents and open quotes span the lines they need.
  const lines = (await new Promise<string>((resolve) => {
    let text = "";
    process.stdin.setEncoding("utf8");
    process.stdin.on("data", (d) => (text += d));
    process.stdin.on("end", () => resolve(text));
  })).split("\n");
  if (lines.at(-1) === "") lines.pop();
  let status = 0;
  let buffer: string[] = [];
  for (const line of lines) {
    process.stdout.write(buffer.length === 0 ? `${sh.prompt()}${line}\n` : `> ${line}\n`);
    buffer.push(line);
    if (isIncomplete(buffer.join("\n"))) continue;
    const result = await sh.run(buffer.join("\n"));
    buffer = [];
    process.stdout.write(result.output);
    status = result.exitCode;
  }
  // Let stdout drain before exiting (process.exit can cut a piped stream short).
  process.exitCode = status;
}
