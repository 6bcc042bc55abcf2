/**
 * The registry the lab's nodes pull from, as data: which images exist, under which tags,
 * how big they are and how long a pull takes, what file system they carry (Debian, Alpine,
 * busybox, distroless), and how their process is started (entrypoint, cmd, workdir, env,
 * stop signal). Anything not listed here does not exist, and pulling it fails as containerd
 * does against the real registry.
 *
 * @example
 * const catalog = new ImageCatalog("v1.32.4");
 * catalog.find(parseRef("nginx:1.27"))?.version; // "1.27.5"
 */
import { stableHex } from "../format";
import type { ImageRef } from "./reference";

/** The base file system an image carries, which decides its shell, tools and prompt. */
export type Flavor = "debian" | "ubuntu" | "alpine" | "busybox" | "oracle" | "centos" | "scratch";

export type StopSignal = "SIGTERM" | "SIGQUIT" | "SIGINT";

/** One image (one digest) of the catalog. */
export interface CatalogImage {
  /** `docker.io/library/nginx`. */
  repository: string;
  tags: readonly string[];
  /** The software version the image's program reports (`nginx/1.27.5`). */
  version: string;
  /** Compressed size, what the kubelet's `Pulled` event and `crictl images` report. */
  size: number;
  /** A pull on the lab's network, before jitter. */
  pullMs: number;
  flavor: Flavor;
  entrypoint: readonly string[];
  cmd: readonly string[];
  workdir: string;
  env: Readonly<Record<string, string>>;
  /** uid the process runs as (root when absent). */
  user?: number;
  stopSignal: StopSignal;
  /** Programs the image ships beyond its flavor's base tools. */
  binaries: readonly string[];
  /** Pulled before the scenario starts (kubeadm's `config images pull`, the join). */
  preload?: "all" | "control-plane";
  /** `sha256:…` of the manifest list (repo digest) and of the config (image id). */
  digest: string;
  id: string;
}

const DEBIAN_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
const ALPINE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

type Entry = Omit<CatalogImage, "digest" | "id" | "binaries" | "workdir" | "env" | "stopSignal" | "cmd" | "entrypoint"> &
  Partial<Pick<CatalogImage, "binaries" | "workdir" | "env" | "stopSignal" | "cmd" | "entrypoint">>;

const nginx = (tags: string[], flavor: Flavor, size: number): Entry => ({
  repository: "docker.io/library/nginx", tags, version: "1.27.5", size, pullMs: 2500, flavor,
  entrypoint: ["/docker-entrypoint.sh"], cmd: ["nginx", "-g", "daemon off;"], stopSignal: "SIGQUIT",
  env: { PATH: DEBIAN_PATH, NGINX_VERSION: "1.27.5", NJS_VERSION: "0.8.10", NJS_RELEASE: flavor === "alpine" ? "1" : "1~bookworm", PKG_RELEASE: flavor === "alpine" ? "1" : "1~bookworm", DYNPKG_RELEASE: flavor === "alpine" ? "1" : "1~bookworm" },
  binaries: ["nginx", "curl"],
});

function applications(): Entry[] {
  return [
    nginx(["1.27.5", "1.27", "1", "latest", "mainline", "bookworm"], "debian", 72950530),
    nginx(["1.27.5-alpine", "1.27-alpine", "alpine", "mainline-alpine"], "alpine", 20525640),
    { repository: "docker.io/library/busybox", tags: ["1.37.0", "1.37", "latest", "stable"], version: "1.37.0", size: 2166802, pullMs: 900, flavor: "busybox", cmd: ["sh"] },
    { repository: "docker.io/library/busybox", tags: ["1.36.1", "1.36"], version: "1.36.1", size: 2152262, pullMs: 900, flavor: "busybox", cmd: ["sh"] },
    { repository: "docker.io/library/alpine", tags: ["3.21.0", "3.21", "3", "latest"], version: "3.21.0", size: 3641715, pullMs: 1000, flavor: "alpine", cmd: ["/bin/sh"] },
    { repository: "docker.io/library/alpine", tags: ["3.20.3", "3.20"], version: "3.20.3", size: 3625904, pullMs: 1000, flavor: "alpine", cmd: ["/bin/sh"] },
    { repository: "docker.io/library/ubuntu", tags: ["24.04", "noble", "latest"], version: "24.04", size: 29754422, pullMs: 1800, flavor: "ubuntu", cmd: ["/bin/bash"] },
    { repository: "docker.io/library/ubuntu", tags: ["22.04", "jammy"], version: "22.04", size: 29534055, pullMs: 1800, flavor: "ubuntu", cmd: ["/bin/bash"] },
    { repository: "docker.io/library/debian", tags: ["12", "bookworm", "latest"], version: "12", size: 48490897, pullMs: 2100, flavor: "debian", cmd: ["bash"] },
    {
      repository: "docker.io/curlimages/curl", tags: ["8.11.1", "latest"], version: "8.11.1", size: 11967213, pullMs: 1300, flavor: "alpine",
      entrypoint: ["/entrypoint.sh"], cmd: ["curl"], user: 100, workdir: "/home/curl_user", binaries: ["curl"],
    },
    {
      repository: "registry.k8s.io/e2e-test-images/agnhost", tags: ["2.53"], version: "2.53", size: 50786522, pullMs: 2300, flavor: "alpine",
      entrypoint: ["/agnhost"], cmd: ["pause"], binaries: ["agnhost", "curl"],
    },
    { repository: "docker.io/hashicorp/http-echo", tags: ["1.0.0", "1.0", "latest"], version: "1.0.0", size: 3657590, pullMs: 900, flavor: "scratch", entrypoint: ["/http-echo"], binaries: ["http-echo"] },
    { repository: "docker.io/traefik/whoami", tags: ["v1.10.3", "v1.10", "latest"], version: "1.10.3", size: 3313264, pullMs: 900, flavor: "scratch", entrypoint: ["/whoami"], binaries: ["whoami"] },
    {
      repository: "docker.io/library/redis", tags: ["7.4.1", "7.4", "7", "latest", "bookworm"], version: "7.4.1", size: 45011430, pullMs: 2200, flavor: "debian",
      entrypoint: ["docker-entrypoint.sh"], cmd: ["redis-server"], workdir: "/data", binaries: ["redis-server", "redis-cli"],
    },
    {
      repository: "docker.io/library/postgres", tags: ["17.2", "17", "latest", "bookworm"], version: "17.2", size: 153883404, pullMs: 5200, flavor: "debian",
      entrypoint: ["docker-entrypoint.sh"], cmd: ["postgres"], stopSignal: "SIGINT", binaries: ["postgres", "psql", "pg_ctl"],
      env: { PATH: `${DEBIAN_PATH}:/usr/lib/postgresql/17/bin`, PG_MAJOR: "17", PG_VERSION: "17.2-1.pgdg120+1", PGDATA: "/var/lib/postgresql/data" },
    },
    {
      repository: "docker.io/library/postgres", tags: ["16.6", "16"], version: "16.6", size: 151632123, pullMs: 5100, flavor: "debian",
      entrypoint: ["docker-entrypoint.sh"], cmd: ["postgres"], stopSignal: "SIGINT", binaries: ["postgres", "psql", "pg_ctl"],
      env: { PATH: `${DEBIAN_PATH}:/usr/lib/postgresql/16/bin`, PG_MAJOR: "16", PG_VERSION: "16.6-1.pgdg120+1", PGDATA: "/var/lib/postgresql/data" },
    },
    {
      repository: "docker.io/library/mysql", tags: ["8.4.3", "8.4", "8", "lts", "latest"], version: "8.4.3", size: 172947040, pullMs: 6400, flavor: "oracle",
      entrypoint: ["docker-entrypoint.sh"], cmd: ["mysqld"], binaries: ["mysqld", "mysql"], env: { PATH: DEBIAN_PATH, MYSQL_MAJOR: "8.4", MYSQL_VERSION: "8.4.3-1.el9", MYSQL_SHELL_VERSION: "8.4.3-1.el9" },
    },
    {
      repository: "docker.io/library/httpd", tags: ["2.4.62", "2.4", "2", "latest"], version: "2.4.62", size: 58196213, pullMs: 2600, flavor: "debian",
      cmd: ["httpd-foreground"], workdir: "/usr/local/apache2", stopSignal: "SIGTERM", binaries: ["httpd", "httpd-foreground"],
      env: { PATH: `/usr/local/apache2/bin:${DEBIAN_PATH}`, HTTPD_PREFIX: "/usr/local/apache2", HTTPD_VERSION: "2.4.62" },
    },
    {
      // The upstream example's in-cluster NFS server (kubernetes/examples staging/volumes/nfs): CentOS 7 + nfs-utils.
      repository: "registry.k8s.io/volume-nfs", tags: ["0.8"], version: "0.8", size: 94736518, pullMs: 4100, flavor: "centos",
      entrypoint: ["/usr/local/bin/run_nfs.sh"], cmd: ["/exports", "/"], binaries: ["run_nfs.sh", "rpcbind", "rpcinfo", "rpc.mountd", "rpc.nfsd", "rpc.statd", "exportfs", "showmount"],
    },
    {
      repository: "docker.io/nicolaka/netshoot", tags: ["v0.13", "latest"], version: "0.13", size: 166036234, pullMs: 6000, flavor: "alpine", cmd: ["zsh"],
      binaries: ["curl", "dig", "nslookup", "ip", "ping", "tcpdump", "nc", "iptables", "ss", "zsh", "bash", "traceroute"],
    },
  ];
}

function system(k8s: string): Entry[] {
  const kube = (name: string, size: number): Entry => ({
    repository: `registry.k8s.io/${name}`, tags: [k8s], version: k8s, size, pullMs: 2400, flavor: "scratch", preload: name === "kube-proxy" ? "all" : "control-plane",
    binaries: name === "kube-proxy" ? [name, "iptables", "iptables-save", "ipvsadm"] : [name],
  });
  return [
    { repository: "registry.k8s.io/pause", tags: ["3.10"], version: "3.10", size: 320368, pullMs: 500, flavor: "scratch", entrypoint: ["/pause"], preload: "all", binaries: ["pause"] },
    kube("kube-apiserver", 28671624), kube("kube-controller-manager", 26259392), kube("kube-scheduler", 20657536), kube("kube-proxy", 30907858),
    { repository: "registry.k8s.io/etcd", tags: ["3.5.16-0"], version: "3.5.16", size: 57680541, pullMs: 3100, flavor: "scratch", preload: "control-plane", binaries: ["etcd", "etcdctl"] },
    { repository: "registry.k8s.io/coredns/coredns", tags: ["v1.11.3"], version: "1.11.3", size: 18562039, pullMs: 1500, flavor: "scratch", entrypoint: ["/coredns"], preload: "control-plane", binaries: ["coredns"] },
    { repository: "docker.io/flannel/flannel", tags: ["v0.26.1", "v0.26.4"], version: "0.26.4", size: 32231446, pullMs: 2400, flavor: "alpine", entrypoint: ["/opt/bin/flanneld"], binaries: ["flanneld", "iptables"] },
    { repository: "ghcr.io/flannel-io/flannel", tags: ["v0.26.1", "v0.26.4"], version: "0.26.4", size: 32231446, pullMs: 2400, flavor: "alpine", entrypoint: ["/opt/bin/flanneld"], binaries: ["flanneld", "iptables"] },
    { repository: "docker.io/flannel/flannel-cni-plugin", tags: ["v1.6.0-flannel1", "v1.6.2-flannel1"], version: "1.6.2", size: 4653428, pullMs: 800, flavor: "alpine", binaries: ["flannel"] },
    { repository: "ghcr.io/flannel-io/flannel-cni-plugin", tags: ["v1.6.0-flannel1", "v1.6.2-flannel1"], version: "1.6.2", size: 4653428, pullMs: 800, flavor: "alpine", binaries: ["flannel"] },
    { repository: "docker.io/calico/node", tags: ["v3.29.1"], version: "3.29.1", size: 142531122, pullMs: 5600, flavor: "ubuntu", entrypoint: ["start_runit"], binaries: ["calico-node", "bird", "confd"] },
    { repository: "docker.io/calico/cni", tags: ["v3.29.1"], version: "3.29.1", size: 94484329, pullMs: 4200, flavor: "scratch", binaries: ["install", "calico", "calico-ipam"] },
    { repository: "docker.io/calico/kube-controllers", tags: ["v3.29.1"], version: "3.29.1", size: 35137402, pullMs: 2000, flavor: "scratch", entrypoint: ["/usr/bin/kube-controllers"], binaries: ["kube-controllers", "check-status"] },
    { repository: "registry.k8s.io/ingress-nginx/controller", tags: ["v1.12.0"], version: "1.12.0", size: 105613459, pullMs: 4300, flavor: "alpine", entrypoint: ["/usr/bin/dumb-init", "--"], cmd: ["/nginx-ingress-controller"], user: 101, workdir: "/etc/nginx", binaries: ["nginx-ingress-controller", "nginx", "dumb-init", "curl"] },
    { repository: "docker.io/istio/proxyv2", tags: ["1.24.2"], version: "1.24.2", size: 95263515, pullMs: 4100, flavor: "ubuntu", entrypoint: ["/usr/local/bin/pilot-agent"], user: 1337, binaries: ["pilot-agent", "envoy", "iptables", "iptables-save", "iptables-restore", "curl"] },
    { repository: "docker.io/istio/pilot", tags: ["1.24.2"], version: "1.24.2", size: 72468941, pullMs: 3300, flavor: "ubuntu", entrypoint: ["/usr/local/bin/pilot-discovery"], user: 1337, binaries: ["pilot-discovery"] },
    { repository: "registry.k8s.io/metrics-server/metrics-server", tags: ["v0.7.2"], version: "0.7.2", size: 19495040, pullMs: 1500, flavor: "scratch", entrypoint: ["/metrics-server"], binaries: ["metrics-server"] },
  ];
}

function complete(entry: Entry): CatalogImage {
  const seed = `${entry.repository}@${entry.version}/${entry.flavor}`;
  return {
    entrypoint: [], cmd: [], workdir: "/", stopSignal: "SIGTERM", binaries: [],
    ...entry,
    env: entry.env ?? { PATH: entry.flavor === "alpine" || entry.flavor === "busybox" ? ALPINE_PATH : DEBIAN_PATH },
    digest: `sha256:${stableHex(`digest:${seed}`, 64)}`,
    id: `sha256:${stableHex(`config:${seed}`, 64)}`,
  };
}

/** The images that exist for a cluster of this Kubernetes version. */
export class ImageCatalog {
  readonly images: readonly CatalogImage[];

  constructor(kubernetesVersion: string) {
    this.images = [...applications(), ...system(kubernetesVersion)].map(complete);
  }

  /** The image a reference names, by tag or by digest. */
  find(ref: ImageRef): CatalogImage | undefined {
    return this.images.find((img) => img.repository === ref.repository && (ref.digest ? img.digest === ref.digest : img.tags.includes(ref.tag ?? "")));
  }

  /** Whether the repository exists at all (an unknown tag is NotFound, an unknown repository access-denied). */
  hasRepository(repository: string): boolean {
    return this.images.some((img) => img.repository === repository);
  }

  /** The image an image id (`sha256:…`, or a unique prefix of its hex) names. */
  byId(id: string): CatalogImage | undefined {
    const hex = id.replace(/^sha256:/, "");
    return this.images.find((img) => img.id.slice(7).startsWith(hex));
  }
}
