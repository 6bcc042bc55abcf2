import { done } from "../command-kit";
import { FsError } from "../fs";
import { renderHelp } from "../help";
import { parseSed, SedScriptError } from "../sed/parse";
import { SedRunner, SedRuntimeError } from "../sed/run";
import type { Command, CommandResult } from "../types";

/** `sed`: GNU sed's everyday subset (see sed/parse.ts), with -n, -e, -E/-r, -i[SUFFIX], -s. */
export const sed: Command = {
  name: "sed",
  summary: "stream editor for filtering and transforming text",
  usage: "sed [OPTION]... {script-only-if-no-other-script} [input-file]...",
  spec: {
    flags: [
      { name: "quiet", short: "n", long: "quiet", help: "suppress automatic printing of pattern space" },
      { name: "expression", short: "e", long: "expression", value: "required", valueName: "script", help: "add the script to the commands to be executed" },
      { name: "file", short: "f", long: "file", value: "required", valueName: "script-file", help: "add the contents of script-file to the commands to be executed" },
      { name: "in-place", short: "i", long: "in-place", value: "optional", valueName: "SUFFIX", help: "edit files in place (makes backup if SUFFIX supplied)" },
      { name: "extended", short: "E", long: "regexp-extended", help: "use extended regular expressions in the script" },
      { name: "extended", short: "r", help: "use extended regular expressions in the script" },
      { name: "separate", short: "s", long: "separate", help: "consider files as separate rather than as a single continuous long stream" },
    ],
  },
  run(args, ctx): CommandResult {
    const operands = [...args.operands];
    const scripts = [...args.values("expression")];
    for (const file of args.values("file")) {
      try {
        scripts.push(ctx.fs.readFile(ctx.resolve(file)).replace(/\n$/, ""));
      } catch (error) {
        if (error instanceof FsError) return done("", `sed: couldn't open file ${file}: ${error.reason}\n`, 1);
        throw error;
      }
    }
    if (scripts.length === 0) {
      const script = operands.shift();
      if (script === undefined) return done("", renderHelp(sed), 1);
      scripts.push(script);
    }
    let commands;
    try {
      commands = parseSed(scripts, { extended: args.has("extended") });
    } catch (error) {
      if (error instanceof SedScriptError) return done("", `sed: ${error.message}\n`, 1);
      throw error;
    }
    const inPlace = args.has("in-place");
    if (inPlace && operands.length === 0) return done("", "sed: no input files\n", 1);
    const runner = new SedRunner(commands, args.has("quiet"));
    const files = operands.length > 0 ? operands : ["-"];
    let stdout = "";
    let stderr = "";
    const texts: { name: string; text: string }[] = [];
    for (const name of files) {
      try {
        texts.push({ name, text: name === "-" ? ctx.stdin : ctx.fs.readFile(ctx.resolve(name)) });
      } catch (error) {
        if (!(error instanceof FsError)) throw error;
        stderr += error.code === "EISDIR" ? `sed: couldn't edit ${name}: not a regular file\n` : `sed: can't read ${name}: ${error.reason}\n`;
      }
    }
    try {
      if (inPlace || args.has("separate")) {
        for (const { name, text } of texts) {
          const { output, quit } = runner.run(text);
          if (inPlace) {
            const suffix = args.value("in-place") ?? "";
            if (suffix !== "") ctx.fs.writeFile(ctx.resolve(name + suffix), text);
            ctx.fs.writeFile(ctx.resolve(name), output);
          } else stdout += output;
          if (quit !== null) return done(stdout, stderr, quit);
        }
      } else {
        const joined = texts.map((t, i) => (i < texts.length - 1 && t.text !== "" && !t.text.endsWith("\n") ? t.text + "\n" : t.text)).join("");
        const { output, quit } = runner.run(joined);
        stdout += output;
        if (quit !== null) return done(stdout, stderr, quit);
      }
    } catch (error) {
      if (error instanceof SedRuntimeError) return done(stdout, `${stderr}sed: ${error.message}\n`, 1);
      throw error;
    }
    return done(stdout, stderr, stderr === "" ? 0 : 2);
  },
};
