import { done } from "../command-kit";
import type { Command } from "../types";

/** bash's builtin `:`: does nothing, successfully (`while :; do …`). */
export const colon: Command = {
  name: ":",
  summary: "null command",
  usage: ": [arguments]",
  description: "No effect; the command does nothing.",
  builtin: true,
  spec: { raw: true, flags: [] },
  run() {
    return done("");
  },
};
