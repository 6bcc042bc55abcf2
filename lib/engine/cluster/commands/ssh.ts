import type { Command, CommandResult } from "../../shell";

/** A machine ssh can log in to: a node, or a host beside the cluster (`client`). */
export interface SshHost {
  readonly name: string;
  readonly ip: string;
  readonly powered: boolean;
}

/** What ssh needs from the cluster: find a machine by name or address, and its login shell. */
export interface SshTargets<H extends SshHost = SshHost> {
  lookup(nameOrIp: string): H | undefined;
  login(node: H): import("../../shell").LocationInit;
}

const fail = (stderr: string): CommandResult => ({ stdout: "", stderr, exitCode: 255 });

/**
 * `ssh NODE` moves the learner onto another machine of the cluster (as root, keys already
 * exchanged, as on lab clusters); `exit` comes back. `ssh NODE COMMAND` runs one command there.
 */
export function sshCommand<H extends SshHost>(targets: SshTargets<H>): Command {
  return {
    name: "ssh",
    summary: "OpenSSH remote login client",
    usage: "ssh [-46AaCfGgKkMNnqsTtVvXxYy] [-l login_name] [-p port] destination [command [argument ...]]",
    spec: {
      flags: [
        { name: "login", short: "l", value: "required", valueName: "login_name", help: "user to log in as on the remote machine" },
        { name: "port", short: "p", value: "required", valueName: "port", help: "port to connect to on the remote host" },
        { name: "tty", short: "t", help: "force pseudo-terminal allocation" },
        { name: "quiet", short: "q", help: "quiet mode" },
      ],
      stopAtOperand: true,
      usageExitCode: 255,
    },
    async run(args, ctx) {
      const [destination, ...command] = args.operands;
      if (!destination) {
        return fail(`usage: ssh [-46AaCfGgKkMNnqsTtVvXxYy] [-B bind_interface] [-b bind_address]\n           [-c cipher_spec] [-D [bind_address:]port] [-E log_file]\n           [-e escape_char] [-F configfile] [-I pkcs11] [-i identity_file]\n           [-J destination] [-L address] [-l login_name] [-m mac_spec]\n           [-O ctl_cmd] [-o option] [-P tag] [-p port] [-Q query_option]\n           [-R address] [-S ctl_path] [-W host:port] [-w local_tun[:remote_tun]]\n           destination [command [argument ...]]\n`);
      }
      const at = destination.lastIndexOf("@");
      const user = at >= 0 ? destination.slice(0, at) : (args.value("login") ?? "root");
      const hostName = at >= 0 ? destination.slice(at + 1) : destination;
      const port = args.value("port") ?? "22";
      const node = targets.lookup(hostName);
      if (!node) return fail(`ssh: Could not resolve hostname ${hostName}: Name or service not known\r\n`);
      if (!node.powered) return fail(`ssh: connect to host ${node.ip} port ${port}: No route to host\r\n`);
      if (port !== "22") return fail(`ssh: connect to host ${node.ip} port ${port}: Connection refused\r\n`);
      if (user !== "root") return fail(`${user}@${hostName}: Permission denied (publickey).\r\n`);
      const login = targets.login(node);
      if (command.length > 0) {
        // A remote command runs in a fresh shell on that host; its output comes back here.
        return ctx.session.runOn(login, command.join(" "), ctx.stdin);
      }
      ctx.session.pushLocation({ ...login, exitMessage: `logout\nConnection to ${hostName} closed.\n` });
      return { stdout: "", stderr: "", exitCode: 0 };
    },
  };
}
