import { done } from "../command-kit";
import type { Command } from "../types";

/** `whoami`: the effective user name. */
export const whoami: Command = {
  name: "whoami",
  summary: "print effective user name",
  usage: "whoami [OPTION]...",
  description: "Print the user name associated with the current effective user ID.",
  spec: { flags: [] },
  run(_args, ctx) {
    return done(ctx.host.user + "\n");
  },
};
