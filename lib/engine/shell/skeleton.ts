import type { FileSystem } from "./fs";
import type { CommandRegistry } from "./registry";
import { commandPath } from "./resolve";

const OS_RELEASE = `PRETTY_NAME="Ubuntu 22.04.5 LTS"
NAME="Ubuntu"
VERSION_ID="22.04"
VERSION="22.04.5 LTS (Jammy Jellyfish)"
VERSION_CODENAME=jammy
ID=ubuntu
ID_LIKE=debian
HOME_URL="https://www.ubuntu.com/"
SUPPORT_URL="https://help.ubuntu.com/"
BUG_REPORT_URL="https://bugs.launchpad.net/ubuntu/"
PRIVACY_POLICY_URL="https://www.ubuntu.com/legal/terms-and-policies/privacy-policy"
UBUNTU_CODENAME=jammy
`;

const BASHRC = `# ~/.bashrc: executed by bash(1) for non-login shells.

# If not running interactively, don't do anything
[ -z "$PS1" ] && return
`;

/**
 * Lays out an Ubuntu 22.04 node's file system: the merged-/usr symlinks, `/etc` basics
 * (hostname, hosts, os-release, passwd, resolv.conf as systemd-resolved's stub link), `/root`,
 * world-writable `/tmp`, `/var/log`, and `/dev/null`. Later layers add their own files.
 *
 * @example
 * const fs = new FileSystem(clock);
 * createUbuntuSkeleton(fs, { hostname: "controlplane" });
 * fs.readFile("/etc/os-release").startsWith('PRETTY_NAME="Ubuntu 22.04'); // true
 */
export function createUbuntuSkeleton(fs: FileSystem, options: { hostname: string }): void {
  for (const dir of ["/boot", "/dev", "/etc", "/home", "/media", "/mnt", "/opt", "/proc", "/run", "/srv", "/sys"]) fs.mkdirp(dir);
  for (const dir of ["/usr/bin", "/usr/sbin", "/usr/lib", "/usr/local/bin", "/usr/local/sbin", "/usr/share", "/var/lib", "/var/log", "/var/cache"]) fs.mkdirp(dir);
  fs.mkdir("/root", { mode: 0o700 });
  fs.mkdir("/tmp", { mode: 0o1777 });
  fs.mkdir("/var/tmp", { mode: 0o1777 });
  for (const name of ["bin", "sbin", "lib"]) fs.symlink(`usr/${name}`, `/${name}`);
  fs.defineVirtualFile("/dev/null", { read: () => "", write: () => undefined }, { mode: 0o666 });
  fs.writeFile("/etc/hostname", `${options.hostname}\n`);
  fs.writeFile("/etc/hosts", `127.0.0.1 localhost\n127.0.1.1 ${options.hostname}\n\n::1     ip6-localhost ip6-loopback\nfe00::0 ip6-localnet\nff00::0 ip6-mcastprefix\nff02::1 ip6-allnodes\nff02::2 ip6-allrouters\n`);
  fs.writeFile("/usr/lib/os-release", OS_RELEASE);
  fs.symlink("../usr/lib/os-release", "/etc/os-release");
  fs.writeFile("/etc/passwd", "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n");
  fs.writeFile("/etc/group", "root:x:0:\ndaemon:x:1:\nnogroup:x:65534:\n");
  fs.writeFile("/etc/shells", "# /etc/shells: valid login shells\n/bin/sh\n/bin/bash\n/usr/bin/sh\n/usr/bin/bash\n");
  fs.mkdirp("/run/systemd/resolve");
  fs.writeFile("/run/systemd/resolve/stub-resolv.conf", "nameserver 127.0.0.53\noptions edns0 trust-ad\nsearch .\n");
  fs.symlink("../run/systemd/resolve/stub-resolv.conf", "/etc/resolv.conf");
  fs.writeFile("/root/.bashrc", BASHRC);
  fs.writeFile("/root/.profile", "# ~/.profile: executed by Bourne-compatible login shells.\n");
}

/**
 * Puts an executable file where each command lives (`/usr/bin/ls`…), so that `ls /usr/bin`,
 * `test -x /usr/bin/grep` and `/usr/bin/grep` itself work. Builtins without a file are skipped.
 *
 * @example
 * installCommands(fs, commands); // after registering kubectl too: /usr/bin/kubectl appears
 */
export function installCommands(fs: FileSystem, commands: CommandRegistry): void {
  for (const name of commands.names()) {
    const command = commands.get(name);
    if (!command || (command.builtin && !command.path)) continue;
    const path = commandPath(command);
    if (!fs.exists(path)) fs.writeFile(path, "", { mode: 0o755, parents: true });
  }
}
