import { done } from "../command-kit";
import type { Command } from "../types";

/** `clear`: home the cursor, clear the screen and (unless -x) the scrollback. */
export const clear: Command = {
  name: "clear",
  summary: "clear the terminal screen",
  usage: "clear [-x]",
  description: "clear clears your terminal's screen and its scrollback buffer, if any.",
  spec: { flags: [{ name: "keep", short: "x", help: "do not attempt to clear the terminal's scrollback buffer" }] },
  run(args) {
    return done(args.has("keep") ? "\x1b[H\x1b[2J" : "\x1b[H\x1b[2J\x1b[3J");
  },
};
