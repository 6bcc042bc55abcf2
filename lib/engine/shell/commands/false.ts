import { done } from "../command-kit";
import type { Command } from "../types";

/** bash's builtin false: does nothing, unsuccessfully; arguments are ignored. */
export const falseCommand: Command = {
  name: "false",
  summary: "return an unsuccessful result",
  usage: "false",
  builtin: true,
  path: "/usr/bin/false",
  spec: { raw: true, flags: [] },
  run() {
    return done("", "", 1);
  },
};
