/**
 * A container's root file system and the files the kubelet and containerd put into it:
 * the image's flavor skeleton and its own files, then bind mounts of `/etc/hosts` (the
 * kubelet's `etc-hosts`), `/etc/hostname` and `/etc/resolv.conf` (containerd's sandbox
 * files), `/dev/termination-log` and every volumeMount. The node-side files are real files on
 * the node, written here too.
 *
 * @example
 * const hosts = writeEtcHosts(node.fs, pod, "10.244.1.5", false, "cluster.local");
 * const fs = buildContainerFs({ clock, image, container, nodeFs: node.fs, volumes, hosts, hostname, resolv });
 * fs.readFile("/etc/hosts").startsWith("# Kubernetes-managed hosts file."); // true
 */
import type { Container, Pod, Stored } from "../../api";
import { FileSystem } from "../../shell";
import { VirtualClock } from "../../util/clock";
import type { CatalogImage } from "../images/catalog";
import { podDir } from "../kubelet/volumes";
import { FLAVORS } from "./flavors";
import { imageBuildTime, imageFiles } from "./image-files";
import { MountedFileSystem } from "./mounted-fs";

const SANDBOXES = "/var/lib/containerd/io.containerd.grpc.v1.cri/sandboxes";

/** The kubelet's managed `/etc/hosts` for a pod, written to `<pod dir>/etc-hosts`; returns its path. */
export function writeEtcHosts(nodeFs: FileSystem, pod: Stored<Pod>, podIP: string, hostNetwork: boolean, clusterDomain: string): string {
  const path = `${podDir(pod.metadata.uid)}/etc-hosts`;
  let text: string;
  if (hostNetwork) {
    text = `# Kubernetes-managed hosts file (host network).\n${nodeFs.isFile("/etc/hosts") ? nodeFs.readFile("/etc/hosts") : ""}`;
  } else {
    const name = pod.spec.hostname ?? pod.metadata.name;
    const fqdn = pod.spec.subdomain ? `${name}.${pod.spec.subdomain}.${pod.metadata.namespace}.svc.${clusterDomain}\t` : "";
    text = "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n";
    text += `${podIP}\t${fqdn}${name}\n`;
  }
  const aliases = (pod.spec as { hostAliases?: { ip: string; hostnames?: string[] }[] }).hostAliases ?? [];
  if (aliases.length > 0) {
    text += "\n# Entries added by HostAliases.\n" + aliases.map((a) => `${a.ip}\t${(a.hostnames ?? []).join("\t")}\n`).join("");
  }
  nodeFs.writeFile(path, text, { parents: true });
  return path;
}

/** The resolv.conf the kubelet computes for the pod's dnsPolicy. */
export function resolvConf(pod: Stored<Pod>, nodeResolv: string, clusterDNS: string, clusterDomain: string): string {
  const spec = pod.spec;
  const policy = spec.dnsPolicy ?? "ClusterFirst";
  const cluster = policy === "ClusterFirstWithHostNet" || (policy === "ClusterFirst" && !spec.hostNetwork);
  const hostNameservers = [...nodeResolv.matchAll(/^nameserver\s+(\S+)/gm)].map((m) => m[1]);
  const hostSearch = (/^search\s+(.+)$/m.exec(nodeResolv)?.[1] ?? "").split(/\s+/).filter((s) => s && s !== ".");
  let nameservers: string[] = [];
  let searches: string[] = [];
  let options: string[] = [];
  if (cluster) {
    const ns = pod.metadata.namespace ?? "default";
    nameservers = [clusterDNS];
    searches = [`${ns}.svc.${clusterDomain}`, `svc.${clusterDomain}`, clusterDomain, ...hostSearch];
    options = ["ndots:5"];
  } else if (policy !== "None") {
    nameservers = hostNameservers;
    searches = hostSearch;
  }
  const config = spec.dnsConfig;
  nameservers = [...nameservers, ...(config?.nameservers ?? [])];
  searches = [...searches, ...(config?.searches ?? [])];
  for (const o of config?.options ?? []) {
    options = options.filter((x) => x.split(":")[0] !== o.name);
    options.push(o.value !== undefined ? `${o.name}:${o.value}` : o.name);
  }
  const lines = [];
  if (searches.length > 0) lines.push(`search ${searches.join(" ")}`);
  for (const n of nameservers) lines.push(`nameserver ${n}`);
  if (options.length > 0) lines.push(`options ${options.join(" ")}`);
  return lines.join("\n") + "\n";
}

/** containerd's per-sandbox `hostname` and `resolv.conf`; returns their paths. */
export function writeSandboxFiles(nodeFs: FileSystem, sandboxId: string, hostname: string, resolv: string): { hostname: string; resolv: string } {
  const dir = `${SANDBOXES}/${sandboxId}`;
  nodeFs.writeFile(`${dir}/hostname`, `${hostname}\n`, { parents: true });
  nodeFs.writeFile(`${dir}/resolv.conf`, resolv, { parents: true });
  return { hostname: `${dir}/hostname`, resolv: `${dir}/resolv.conf` };
}

/** Removes containerd's sandbox directory. */
export function sandboxDir(sandboxId: string): string {
  return `${SANDBOXES}/${sandboxId}`;
}

/** The image's file system with the pod's mounts on top. */
export function buildContainerFs(init: {
  clock: VirtualClock;
  image: CatalogImage;
  container: Container;
  nodeFs: FileSystem;
  tools: ReadonlySet<string>;
  volumes: ReadonlyMap<string, string>;
  hosts: string;
  hostname: string;
  resolv: string;
}): MountedFileSystem {
  const { nodeFs } = init;
  const fs = new MountedFileSystem(init.clock);
  fs.shareTree(imageRootfs(init.image, init.tools));
  // /dev is the container's own (a tmpfs in real runtimes): made now.
  fs.defineVirtualFile("/dev/null", { read: () => "", write: () => undefined }, { mode: 0o666 });
  fs.mount("/etc/hosts", nodeFs, init.hosts);
  fs.mount("/etc/hostname", nodeFs, init.hostname);
  fs.mount("/etc/resolv.conf", nodeFs, init.resolv);
  fs.writeFile(init.container.terminationMessagePath ?? "/dev/termination-log", "", { parents: true, mode: 0o666 });
  for (const m of init.container.volumeMounts ?? []) {
    const source = init.volumes.get(m.name);
    if (source === undefined) continue;
    const from = m.subPath ? `${source}/${m.subPath}` : source;
    // The kubelet creates a missing subPath as a directory in the volume.
    if (!nodeFs.exists(from)) nodeFs.mkdirp(from);
    fs.mount(m.mountPath, nodeFs, from);
  }
  return fs;
}

/** When an image whose build time the catalog does not know was built: its files' mtime. */
const UNKNOWN_BUILD_TIME = Date.UTC(2025, 0, 15, 8, 0, 0);

/** Each image's sealed root file system, built once and shared by its containers. */
const rootfsByImage = new Map<string, FileSystem>();

/**
 * The image's layers as a sealed file system: the flavor's skeleton, its tools, its own files,
 * every entry dated when the image was built (as in a real container, where only what the
 * runtime adds is new). A pure function of the image, so one built by any cluster serves all.
 */
function imageRootfs(image: CatalogImage, tools: ReadonlySet<string>): FileSystem {
  const key = `${image.repository}\u0000${image.flavor}\u0000${[...tools].join(" ")}\u0000${image.binaries.join(" ")}\u0000${image.workdir}`;
  const cached = rootfsByImage.get(key);
  if (cached) return cached;
  const fs = new FileSystem(new VirtualClock(imageBuildTime(image) ?? UNKNOWN_BUILD_TIME));
  const flavor = FLAVORS[image.flavor];
  for (const dir of ["/dev", "/etc", "/proc", "/sys", "/root", "/tmp", "/var/log", "/var/run", "/usr/local/bin", "/home"]) fs.mkdirp(dir);
  fs.chmod("/tmp", 0o1777);
  fs.chmod("/root", 0o700);
  if (image.flavor !== "scratch") {
    const usrMerged = image.flavor === "debian" || image.flavor === "ubuntu" || image.flavor === "oracle" || image.flavor === "centos";
    fs.mkdirp(usrMerged ? "/usr/bin" : "/bin");
    if (usrMerged) for (const name of ["bin", "sbin", "lib"]) if (!fs.exists(`/${name}`)) fs.symlink(`usr/${name}`, `/${name}`);
    if (!usrMerged) fs.mkdirp("/usr/bin");
    const binDir = usrMerged ? "/usr/bin" : "/bin";
    // BusyBox's applets are links to one binary (hard links in the busybox image, symlinks in
    // Alpine); a program the image ships itself (netshoot's iproute2 `ip`) is its own file.
    const busybox = image.flavor === "busybox" || image.flavor === "alpine";
    if (busybox) fs.writeFile("/bin/busybox", "", { mode: 0o755 });
    for (const tool of tools) {
      const path = `${binDir}/${tool}`;
      if (!busybox || !FLAVORS.busybox.tools.has(tool) || image.binaries.includes(tool)) fs.writeFile(path, "", { mode: 0o755 });
      else if (image.flavor === "busybox") fs.link("/bin/busybox", path);
      else fs.symlink("/bin/busybox", path);
    }
    if (flavor.osRelease) fs.writeFile(usrMerged ? "/usr/lib/os-release" : "/etc/os-release", flavor.osRelease, { parents: true });
    if (usrMerged && flavor.osRelease) fs.symlink("../usr/lib/os-release", "/etc/os-release");
  } else {
    for (const tool of tools) fs.writeFile(`/${tool}`, "", { mode: 0o755 });
  }
  fs.writeFile("/etc/passwd", flavor.passwd);
  fs.writeFile("/etc/group", flavor.group);
  const extra = imageFiles(image);
  for (const dir of extra.dirs) fs.mkdirp(dir);
  for (const [path, text] of Object.entries(extra.files)) {
    fs.writeFile(path, text, { parents: true, mode: path.endsWith(".sh") || image.binaries.includes(path.replace(/^.*\//, "")) ? 0o755 : 0o644 });
  }
  if (image.workdir !== "/") fs.mkdirp(image.workdir);
  fs.seal();
  rootfsByImage.set(key, fs);
  return fs;
}
