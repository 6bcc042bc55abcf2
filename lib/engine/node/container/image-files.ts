/**
 * Files particular images carry that lessons look at: nginx's configuration and welcome page
 * (what `curl` gets back), Apache's "It works!", the data directories of Redis and PostgreSQL.
 *
 * @example
 * imageFiles(nginxImage)["/usr/share/nginx/html/index.html"]; // "<!DOCTYPE html>\n<html>…"
 */
import type { CatalogImage } from "../images/catalog";

const NGINX_INDEX = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
`;

const NGINX_CONF = `
user  nginx;
worker_processes  auto;

error_log  /var/log/nginx/error.log notice;
pid        /var/run/nginx.pid;


events {
    worker_connections  1024;
}


http {
    include       /etc/nginx/mime.types;
    default_type  application/octet-stream;

    log_format  main  '$remote_addr - $remote_user [$time_local] "$request" '
                      '$status $body_bytes_sent "$http_referer" '
                      '"$http_user_agent" "$http_x_forwarded_for"';

    access_log  /var/log/nginx/access.log  main;

    sendfile        on;
    #tcp_nopush     on;

    keepalive_timeout  65;

    #gzip  on;

    include /etc/nginx/conf.d/*.conf;
}
`;

const NGINX_DEFAULT = `server {
    listen       80;
    listen  [::]:80;
    server_name  localhost;

    #access_log  /var/log/nginx/host.access.log  main;

    location / {
        root   /usr/share/nginx/html;
        index  index.html index.htm;
    }

    #error_page  404              /404.html;

    # redirect server error pages to the static page /50x.html
    #
    error_page   500 502 503 504  /50x.html;
    location = /50x.html {
        root   /usr/share/nginx/html;
    }
}
`;

/**
 * When an image's own files were built (their mtime in every container of it): a web server
 * derives Last-Modified and ETag from it. Epoch ms; absent: the container's creation.
 */
const BUILT: Readonly<Record<string, number>> = {
  "docker.io/library/nginx": Date.UTC(2025, 3, 16, 12, 55, 34),
  "docker.io/library/httpd": Date.UTC(2024, 6, 17, 3, 14, 22),
};

export function imageBuildTime(image: CatalogImage): number | undefined {
  return BUILT[image.repository];
}

/** The files (path → content) and directories an image adds to its base flavor. */
export function imageFiles(image: CatalogImage): { files: Record<string, string>; dirs: string[] } {
  switch (image.repository) {
    case "docker.io/library/nginx":
      return { dirs: ["/var/log/nginx", "/var/cache/nginx", "/docker-entrypoint.d"], files: {
        "/etc/nginx/nginx.conf": NGINX_CONF,
        "/etc/nginx/conf.d/default.conf": NGINX_DEFAULT,
        "/usr/share/nginx/html/index.html": NGINX_INDEX,
        "/usr/share/nginx/html/50x.html": "<!DOCTYPE html>\n<html>\n<head>\n<title>Error</title>\n</head>\n<body>\n<h1>An error occurred.</h1>\n</body>\n</html>\n",
        "/docker-entrypoint.sh": "#!/bin/sh\n# vim:sw=4:ts=4:et\n\nset -e\n",
      } };
    case "docker.io/library/httpd":
      return { dirs: ["/usr/local/apache2/logs"], files: { "/usr/local/apache2/htdocs/index.html": "<html><body><h1>It works!</h1></body></html>\n" } };
    case "docker.io/curlimages/curl":
      return { dirs: ["/home/curl_user"], files: { "/etc/passwd": "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/sbin/nologin\ncurl_user:x:100:101:Linux User,,,:/home/curl_user:/sbin/nologin\n" } };
    case "docker.io/library/redis":
      return { dirs: ["/data"], files: {} };
    case "docker.io/flannel/flannel-cni-plugin":
    case "ghcr.io/flannel-io/flannel-cni-plugin":
      // The plugin binary its init container copies onto the node (`cp -f /flannel /opt/cni/bin/flannel`).
      return { dirs: [], files: { "/flannel": "" } };
    case "registry.k8s.io/volume-nfs":
      // The example's page (copied into each export at start) and nfs-utils' empty exports file.
      return { dirs: ["/exports", "/var/lib/nfs"], files: { "/tmp/index.html": "Hello from NFS!\n", "/etc/exports": "" } };
    case "docker.io/library/postgres":
      return { dirs: ["/var/lib/postgresql/data", "/var/run/postgresql"], files: {} };
    default:
      return { dirs: [], files: {} };
  }
}
