/**
 * The base file systems images are built on, as data: which programs they put on PATH, the
 * shell an `exec` lands in and its prompt, the users they define and their os-release. A
 * missing tool is really missing: nginx's Debian has `curl` but no `ps`, `ip` or `ping`;
 * busybox has all of those as applets; distroless and scratch images have no shell at all.
 *
 * @example
 * FLAVORS.debian.tools.has("ps"); // false
 * FLAVORS.busybox.ps1;            // "\\w \\$ "  → "/ # "
 */
import type { Flavor } from "../images/catalog";

export interface FlavorSpec {
  /** Programs on PATH (shell builtins are always there when a shell is). */
  tools: ReadonlySet<string>;
  /** What `kubectl exec -- sh` runs as: dash, busybox ash, bash, or nothing. */
  shells: Readonly<Record<string, "bash" | "dash" | "ash">>;
  /** PS1 of an interactive root shell for each shell. */
  ps1: Readonly<Record<string, string>>;
  osRelease: string;
  passwd: string;
  group: string;
}

const COREUTILS = ["base64", "basename", "cat", "chmod", "cp", "cut", "date", "df", "dirname", "echo", "env", "false", "head", "hostname", "id", "ln", "ls", "mkdir", "mv", "printf", "pwd", "rm", "rmdir", "seq", "sleep", "sort", "tail", "tee", "test", "[", "touch", "tr", "true", "uniq", "wc", "whoami", "xargs"];
const DEBIAN_TOOLS = [...COREUTILS, "bash", "sh", "awk", "grep", "sed", "clear", "which", "mount", "umount", "su", "tar", "gzip", "find"];
const BUSYBOX_APPLETS = [
  ...COREUTILS, "sh", "ash", "awk", "grep", "sed", "clear", "which", "ps", "ip", "ifconfig", "route", "ping", "nslookup", "wget", "nc",
  "netstat", "top", "vi", "find", "tar", "gzip", "mount", "umount", "kill", "hostname", "arp", "traceroute", "telnet", "uptime", "free",
];

const DEBIAN_PASSWD = "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nbin:x:2:2:bin:/bin:/usr/sbin/nologin\nsys:x:3:3:sys:/dev:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n";
const BUSYBOX_PASSWD = "root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/bin/false\nbin:x:2:2:bin:/bin:/bin/false\nsys:x:3:3:sys:/dev:/bin/false\nwww-data:x:33:33:www-data:/var/www:/bin/false\nnobody:x:65534:65534:nobody:/home:/bin/false\n";
const ALPINE_PASSWD = "root:x:0:0:root:/root:/bin/sh\nbin:x:1:1:bin:/bin:/sbin/nologin\ndaemon:x:2:2:daemon:/sbin:/sbin/nologin\nnobody:x:65534:65534:nobody:/:/sbin/nologin\n";

const debianRelease = `PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
HOME_URL="https://www.debian.org/"
SUPPORT_URL="https://www.debian.org/support"
BUG_REPORT_URL="https://bugs.debian.org/"
`;

export const FLAVORS: Readonly<Record<Flavor, FlavorSpec>> = {
  debian: {
    tools: new Set(DEBIAN_TOOLS),
    shells: { bash: "bash", sh: "dash" },
    ps1: { bash: "\\u@\\h:\\w\\$ ", sh: "\\$ " },
    osRelease: debianRelease,
    passwd: DEBIAN_PASSWD,
    group: "root:x:0:\ndaemon:x:1:\nnogroup:x:65534:\n",
  },
  ubuntu: {
    tools: new Set(DEBIAN_TOOLS),
    shells: { bash: "bash", sh: "dash" },
    ps1: { bash: "\\u@\\h:\\w\\$ ", sh: "\\$ " },
    osRelease: `PRETTY_NAME="Ubuntu 24.04.1 LTS"\nNAME="Ubuntu"\nVERSION_ID="24.04"\nVERSION="24.04.1 LTS (Noble Numbat)"\nVERSION_CODENAME=noble\nID=ubuntu\nID_LIKE=debian\n`,
    passwd: DEBIAN_PASSWD,
    group: "root:x:0:\ndaemon:x:1:\nnogroup:x:65534:\n",
  },
  alpine: {
    tools: new Set([...BUSYBOX_APPLETS, "apk"]),
    shells: { sh: "ash", ash: "ash" },
    ps1: { sh: "\\w \\$ ", ash: "\\w \\$ " },
    osRelease: `NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.21.0\nPRETTY_NAME="Alpine Linux v3.21"\nHOME_URL="https://alpinelinux.org/"\nBUG_REPORT_URL="https://gitlab.alpinelinux.org/alpine/aports/-/issues"\n`,
    passwd: ALPINE_PASSWD,
    group: "root:x:0:root\nbin:x:1:root,bin,daemon\nnobody:x:65534:\n",
  },
  busybox: {
    tools: new Set(BUSYBOX_APPLETS),
    shells: { sh: "ash", ash: "ash" },
    ps1: { sh: "\\w \\$ ", ash: "\\w \\$ " },
    osRelease: "",
    passwd: BUSYBOX_PASSWD,
    group: "root:x:0:\ndaemon:x:1:\nnogroup:x:65534:\n",
  },
  oracle: {
    tools: new Set([...DEBIAN_TOOLS, "microdnf"]),
    shells: { bash: "bash", sh: "bash" },
    ps1: { bash: "bash-5.1\\$ ", sh: "sh-5.1\\$ " },
    osRelease: `NAME="Oracle Linux Server"\nVERSION="9.5"\nID="ol"\nID_LIKE="fedora"\nVERSION_ID="9.5"\nPRETTY_NAME="Oracle Linux Server 9.5"\n`,
    passwd: "root:x:0:0:root:/root:/bin/bash\nmysql:x:999:999::/var/lib/mysql:/bin/bash\nnobody:x:65534:65534:Kernel Overflow User:/:/sbin/nologin\n",
    group: "root:x:0:\nmysql:x:999:\n",
  },
  centos: {
    tools: new Set(DEBIAN_TOOLS),
    shells: { bash: "bash", sh: "bash" },
    ps1: { bash: "bash-4.2\\$ ", sh: "sh-4.2\\$ " },
    osRelease: `NAME="CentOS Linux"\nVERSION="7 (Core)"\nID="centos"\nID_LIKE="rhel fedora"\nVERSION_ID="7"\nPRETTY_NAME="CentOS Linux 7 (Core)"\nANSI_COLOR="0;31"\nCPE_NAME="cpe:/o:centos:centos:7"\nHOME_URL="https://www.centos.org/"\nBUG_REPORT_URL="https://bugs.centos.org/"\n`,
    passwd: "root:x:0:0:root:/root:/bin/bash\nbin:x:1:1:bin:/bin:/sbin/nologin\ndaemon:x:2:2:daemon:/sbin:/sbin/nologin\nnobody:x:99:99:Nobody:/:/sbin/nologin\nrpc:x:32:32:Rpcbind Daemon:/var/lib/rpcbind:/sbin/nologin\nrpcuser:x:29:29:RPC Service User:/var/lib/nfs:/sbin/nologin\nnfsnobody:x:65534:65534:Anonymous NFS User:/var/lib/nfs:/sbin/nologin\n",
    group: "root:x:0:\nbin:x:1:\ndaemon:x:2:\nnobody:x:99:\nrpc:x:32:\nrpcuser:x:29:\nnfsnobody:x:65534:\n",
  },
  scratch: {
    tools: new Set(),
    shells: {},
    ps1: {},
    osRelease: "",
    passwd: "root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n",
    group: "root:x:0:\nnonroot:x:65532:\n",
  },
};
