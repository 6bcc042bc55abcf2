import type { Location } from "./location";
import { baseName, tildify } from "./path";

/**
 * Expands a bash PS1 for a location: `\u` user, `\h` host up to the first dot, `\H` full host,
 * `\w` directory with `~` for home, `\W` its last component, `\$` (`#` for root), `\n`, `\\`,
 * and `\[`/`\]` (which only mark non-printing text and vanish).
 *
 * @example
 * expandPrompt("\\h:\\w$ ", location); // "controlplane:~$ "
 */
export function expandPrompt(ps1: string, location: Location): string {
  const { host, cwd } = location;
  const home = location.vars.get("HOME") ?? host.home;
  return ps1.replace(/\\([uhHwW$n\\[\]e])/g, (_, code: string) => {
    switch (code) {
      case "u":
        return host.user;
      case "h":
        return host.name.split(".")[0];
      case "H":
        return host.name;
      case "w":
        return tildify(cwd, home);
      case "W":
        return cwd === home ? "~" : baseName(cwd);
      case "$":
        return host.uid === 0 ? "#" : "$";
      case "n":
        return "\n";
      case "e":
        return "\x1b";
      case "\\":
        return "\\";
      default:
        return "";
    }
  });
}
