import { done } from "../command-kit";
import type { Command } from "../types";

/** bash's builtin true: does nothing, successfully; arguments are ignored. */
export const trueCommand: Command = {
  name: "true",
  summary: "return a successful result",
  usage: "true",
  builtin: true,
  path: "/usr/bin/true",
  spec: { raw: true, flags: [] },
  run() {
    return done("");
  },
};
