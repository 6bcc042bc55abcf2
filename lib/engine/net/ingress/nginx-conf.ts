/**
 * /etc/nginx/nginx.conf as ingress-nginx v1.12's template writes it, cut to what routing shows:
 * the http block's logging and upstream balancer, one `server` per host between `## start
 * server` / `## end server` comments (the catch-all `_` first, `default_server`), and in each
 * the locations in the order nginx reads them, with the `set $namespace …` lines the template
 * writes, the allowlist's `allow`/`deny all`, a rewrite's `rewrite … break`, the TLS
 * certificate, and the HTTP → HTTPS redirect.
 *
 * @example
 * renderNginxConf(model); // "\n# Configuration checksum: …\n\n# setup custom paths that do not require root access\npid /tmp/nginx/nginx.pid;\n…"
 */
import { fnv1a32 } from "../../util/hash";
import { CATCH_ALL, DEFAULT_UPSTREAM, type IngressModel, type Location, type Server } from "./types";

const HEAD = `# setup custom paths that do not require root access
pid /tmp/nginx/nginx.pid;

daemon off;

worker_processes 2;

worker_rlimit_nofile 1047552;

worker_shutdown_timeout 240s ;

events {
	multi_accept        on;
	worker_connections  16384;
	use                 epoll;
}

http {
	lua_package_path "/etc/nginx/lua/?.lua;;";

	init_by_lua_block {
		collectgarbage("collect")
		-- init modules
		local ok, res
		ok, res = pcall(require, "lua_ingress")
		ok, res = pcall(require, "configuration")
		ok, res = pcall(require, "balancer")
	}

	real_ip_header      X-Forwarded-For;
	real_ip_recursive   on;
	set_real_ip_from    0.0.0.0/0;

	aio                 threads;
	aio_write           on;

	tcp_nopush          on;
	tcp_nodelay         on;

	keepalive_timeout  75s;
	keepalive_requests 1000;

	client_body_temp_path           /tmp/nginx/client-body;
	proxy_temp_path                 /tmp/nginx/proxy-temp;

	server_tokens off;

	more_clear_headers Server;

	log_format upstreaminfo '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" $request_length $request_time [$proxy_upstream_name] [$proxy_alternative_upstream_name] $upstream_addr $upstream_response_length $upstream_response_time $upstream_status $req_id';

	access_log /var/log/nginx/access.log upstreaminfo  if=$loggable;

	error_log  /var/log/nginx/error.log notice;

	ssl_protocols TLSv1.2 TLSv1.3;

	# turn on session caching to drastically improve performance
	ssl_session_cache shared:SSL:10m;
	ssl_session_timeout 10m;

	# PEM sha: default
	ssl_certificate     /etc/ingress-controller/ssl/default-fake-certificate.pem;
	ssl_certificate_key /etc/ingress-controller/ssl/default-fake-certificate.pem;

	proxy_ssl_session_reuse on;

	upstream upstream_balancer {
		### Attention!!!
		#
		# We no longer create "upstream" section for every backend.
		# Backends are handled dynamically using Lua. If you would like to debug
		# and see what backends ingress-nginx has in its memory you can
		# install our kubectl plugin https://kubernetes.github.io/ingress-nginx/kubectl-plugin.
		# Once you have the plugin you can use "kubectl ingress-nginx backends" command to
		# inspect current backends.
		#
		###

		server 0.0.0.1; # placeholder

		balancer_by_lua_block {
			balancer.balance()
		}

		keepalive 320;
		keepalive_time 1h;
		keepalive_timeout  60s;
		keepalive_requests 10000;
	}
`;

const TAIL = `
	# backend for when default-backend-service is not configured or it does not have endpoints
	server {
		listen 8181 default_server reuseport backlog=4096;

		set $proxy_upstream_name "internal";

		access_log off;

		location / {
			return 404;
		}
	}

	# default server, used for NGINX healthcheck and access to nginx stats
	server {
		# Ensure that modsecurity will not run on an internal location as this is not accessible from outside

		listen 127.0.0.1:10246;
		set $proxy_upstream_name "internal";

		keepalive_timeout 0;
		gzip off;

		access_log off;

		location /healthz {
			return 200;
		}

		location /nginx_status {
			stub_status on;
		}
	}
}

stream {
	lua_package_path "/etc/nginx/lua/?.lua;/etc/nginx/lua/vendor/?.lua;;";

	lua_shared_dict tcp_udp_configuration_data 5M;

	error_log  /var/log/nginx/error.log notice;

	upstream upstream_balancer {
		server 0.0.0.1:1234; # placeholder

		balancer_by_lua_block {
			tcp_udp_balancer.balance()
		}
	}
}
`;

/** How the template writes a location's match: `= /x`, `/x`, or `~* "^/x"`. */
function locationMatch(l: Location): string {
  if (l.kind === "exact") return `= ${l.path}`;
  if (l.kind === "regex") return `~* "^${l.path}"`;
  return l.path;
}

/** ingress-nginx's `server_name` for a wildcard host: one label, captured. */
function serverName(host: string): string {
  if (!host.startsWith("*.")) return host;
  return `~^(?<subdomain>[\\w-]+)\\.${host.slice(2).replace(/\./g, "\\.")}$`;
}

function location(l: Location, server: Server): string[] {
  const [namespace, ingress] = l.ingress ? [l.ingress.namespace, l.ingress.name] : ["", ""];
  const service = l.upstream === DEFAULT_UPSTREAM ? "" : l.upstream.slice(namespace.length + 1).replace(/-[^-]+$/, "");
  const port = l.upstream === DEFAULT_UPSTREAM ? "" : l.upstream.slice(l.upstream.lastIndexOf("-") + 1);
  const out = [
    `\t\tlocation ${locationMatch(l)} {`,
    "",
    `\t\t\tset $namespace      "${namespace}";`,
    `\t\t\tset $ingress_name   "${ingress}";`,
    `\t\t\tset $service_name   "${service}";`,
    `\t\t\tset $service_port   "${port}";`,
    `\t\t\tset $location_path  "${l.ingressPath}";`,
    "",
  ];
  if (l.allow) out.push(...l.allow.map((a) => `\t\t\tallow ${a};`), "\t\t\tdeny all;", "");
  if (server.tls && l.sslRedirect) out.push("\t\t\tif ($scheme = http) {", "\t\t\t\treturn 308 https://$host$request_uri;", "\t\t\t}", "");
  out.push(`\t\t\tset $proxy_upstream_name "${l.upstream}";`, "");
  if (l.upstream === DEFAULT_UPSTREAM) out.push("\t\t\t# Custom code snippet configured for the default backend", "\t\t\tproxy_pass http://upstream_balancer;", "");
  else {
    out.push("\t\t\tproxy_set_header Host                   $best_http_host;", "\t\t\tproxy_set_header X-Request-ID           $req_id;", "\t\t\tproxy_set_header X-Real-IP              $remote_addr;", "\t\t\tproxy_set_header X-Forwarded-For        $remote_addr;", "");
    if (l.rewriteTarget !== undefined) out.push(`\t\t\trewrite "(?i)${l.path}" ${l.rewriteTarget} break;`);
    out.push("\t\t\tproxy_pass http://upstream_balancer;", "");
  }
  out.push("\t\t}", "");
  return out;
}

function server(s: Server): string[] {
  const name = s.host === CATCH_ALL ? "_" : s.host;
  const def = s.host === CATCH_ALL ? " default_server reuseport backlog=4096" : "";
  const out = [`\t## start server ${name}`, "\tserver {", `\t\tserver_name ${serverName(s.host)} ;`, "", `\t\tlisten 80${def} ;`, `\t\tlisten [::]:80${def} ;`, `\t\tlisten 443${def} ssl ;`, `\t\tlisten [::]:443${def} ssl ;`, "", "\t\tset $proxy_upstream_name \"-\";", ""];
  if (s.tls?.secret) out.push(`\t\t# PEM sha: ${fnv1a32(s.tls.secret).toString(16)}`, `\t\tssl_certificate     /etc/ingress-controller/ssl/${s.tls.secret.replace("/", "-")}.pem;`, `\t\tssl_certificate_key /etc/ingress-controller/ssl/${s.tls.secret.replace("/", "-")}.pem;`, "");
  else out.push("\t\tssl_certificate_by_lua_block {", "\t\t\tcertificate.call()", "\t\t}", "");
  for (const l of s.locations) out.push(...location(l, s));
  out.push("\t}", `\t## end server ${name}`, "");
  return out;
}

/** The whole file for a configuration. */
export function renderNginxConf(model: IngressModel): string {
  const body = model.servers.flatMap(server).join("\n");
  const checksum = fnv1a32(body).toString(10);
  return `\n# Configuration checksum: ${checksum}\n\n${HEAD}\n${body}${TAIL}`;
}
