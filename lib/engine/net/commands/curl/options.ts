/**
 * curl's command line as curl's own parser reads it: short options bundle (`-sSL`, `-so FILE`),
 * a short option's value may be attached (`-m5`), long options take their value as the next
 * word (`--max-time 5`; curl has no `--opt=value`), and every other word is a URL. Errors are
 * curl's: `curl: option --foo: is unknown`, `curl: option -o: requires parameter`, exit 2.
 *
 * @example
 * parseCurl(["-sS", "-o", "/dev/null", "-w", "%{http_code}", "http://web"]); // { ok: { silent: true, showError: true, output: "/dev/null", … } }
 */

export interface CurlOptions {
  urls: string[];
  verbose: boolean;
  silent: boolean;
  showError: boolean;
  head: boolean;
  include: boolean;
  location: boolean;
  fail: boolean;
  insecure: boolean;
  /** `--cacert`, `--cert` (`-E`), `--key`: PEM files. */
  cacert?: string;
  cert?: string;
  key?: string;
  output?: string;
  /** `-D`/`--dump-header`: where the response headers go (`-`: standard output). */
  dumpHeader?: string;
  writeOut?: string;
  maxTimeMs?: number;
  connectTimeoutMs?: number;
  headers: string[];
  method?: string;
  data?: string;
  userAgent?: string;
  resolve: { host: string; port: number; address: string }[];
  iface?: string;
  version: boolean;
  help: boolean;
}

export type Parsed = { ok: CurlOptions } | { error: string };

const TRY = "curl: try 'curl --help' or 'curl --manual' for more information";

type Key = keyof CurlOptions;

/** Flags (no value): short letter and long names → the option they set. */
const FLAGS: Record<string, Key> = {
  v: "verbose", "-verbose": "verbose", s: "silent", "-silent": "silent", S: "showError", "-show-error": "showError",
  I: "head", "-head": "head", i: "include", "-include": "include", L: "location", "-location": "location",
  f: "fail", "-fail": "fail", k: "insecure", "-insecure": "insecure", V: "version", "-version": "version", h: "help", "-help": "help",
};

/** Options with a value. */
const VALUES: Record<string, string> = {
  o: "output", "-output": "output", D: "dumpHeader", "-dump-header": "dumpHeader", w: "writeOut", "-write-out": "writeOut", m: "maxTime", "-max-time": "maxTime",
  "-connect-timeout": "connectTimeout", H: "header", "-header": "header", X: "method", "-request": "method",
  d: "data", "-data": "data", "-data-raw": "data", "-data-binary": "data", A: "userAgent", "-user-agent": "userAgent",
  "-resolve": "resolve", "-interface": "iface", e: "referer", "-referer": "referer",
  "-cacert": "cacert", E: "cert", "-cert": "cert", "-key": "key",
};

/** Options curl has that change nothing here (IP version, HTTP/1.1, compression negotiation is not modelled: refused below). */
const ACCEPTED = new Set(["4", "-ipv4", "-http1.1", "-no-progress-meter", "-tcp-nodelay", "N", "-no-buffer"]);

/** Real curl options this lab does not simulate: refused by name rather than ignored. */
const NOT_SIMULATED = new Set(["-compressed", "-http2", "-http3", "-proxy", "x", "u", "-user", "T", "-upload-file", "F", "-form", "O", "-remote-name", "-retry", "-trace", "-trace-ascii", "-unix-socket", "6", "-ipv6", "c", "b", "-cookie", "-limit-rate", "-http1.0", "0"]);

function seconds(text: string, option: string): number | { error: string } {
  const n = Number(text);
  if (!/^\d*\.?\d+$/.test(text) || !Number.isFinite(n)) return { error: `curl: option ${option}: expected a proper numerical parameter\n${TRY}\n` };
  return Math.round(n * 1000);
}

function apply(opts: CurlOptions, name: string, value: string, option: string): string | undefined {
  switch (name) {
    case "output":
      opts.output = value;
      return undefined;
    case "writeOut":
      opts.writeOut = value;
      return undefined;
    case "dumpHeader":
      opts.dumpHeader = value;
      return undefined;
    case "maxTime":
    case "connectTimeout": {
      const ms = seconds(value, option);
      if (typeof ms !== "number") return ms.error;
      if (name === "maxTime") opts.maxTimeMs = ms;
      else opts.connectTimeoutMs = ms;
      return undefined;
    }
    case "header":
      opts.headers.push(value);
      return undefined;
    case "method":
      opts.method = value;
      return undefined;
    case "data":
      opts.data = opts.data === undefined ? value : `${opts.data}&${value}`;
      return undefined;
    case "userAgent":
      opts.userAgent = value;
      return undefined;
    case "referer":
      opts.headers.push(`Referer: ${value}`);
      return undefined;
    case "iface":
      opts.iface = value;
      return undefined;
    case "cacert":
    case "cert":
    case "key":
      opts[name] = value;
      return undefined;
    case "resolve": {
      const m = /^([^:]+):(\d+):(.+)$/.exec(value);
      if (!m) return `Couldn't parse CURLOPT_RESOLVE entry '${value}'!\n`;
      opts.resolve.push({ host: m[1], port: Number(m[2]), address: m[3].replace(/^\[|\]$/g, "") });
      return undefined;
    }
  }
  return undefined;
}

export function parseCurl(argv: readonly string[]): Parsed {
  const opts: CurlOptions = {
    urls: [], verbose: false, silent: false, showError: false, head: false, include: false, location: false, fail: false, insecure: false,
    headers: [], resolve: [], version: false, help: false,
  };
  const set = (key: Key) => ((opts as unknown as Record<string, boolean>)[key] = true);
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    if (word.startsWith("--")) {
      const name = word.slice(1);
      if (name === "-") {
        opts.urls.push(...argv.slice(i + 1));
        break;
      }
      if (FLAGS[name]) set(FLAGS[name]);
      else if (VALUES[name]) {
        const value = argv[++i];
        if (value === undefined) return { error: `curl: option ${word}: requires parameter\n${TRY}\n` };
        const bad = apply(opts, VALUES[name], value, word);
        if (bad) return { error: bad };
      } else if (NOT_SIMULATED.has(name)) return { error: `curl: option ${word}: is not simulated in this lab\n` };
      else if (!ACCEPTED.has(name)) return { error: `curl: option ${word}: is unknown\n${TRY}\n` };
      continue;
    }
    if (!word.startsWith("-") || word === "-") {
      opts.urls.push(word);
      continue;
    }
    for (let j = 1; j < word.length; j++) {
      const letter = word[j];
      if (FLAGS[letter]) set(FLAGS[letter]);
      else if (VALUES[letter]) {
        const value = word.slice(j + 1) || argv[++i];
        if (value === undefined) return { error: `curl: option -${letter}: requires parameter\n${TRY}\n` };
        const bad = apply(opts, VALUES[letter], value, `-${letter}`);
        if (bad) return { error: bad };
        break;
      } else if (NOT_SIMULATED.has(letter)) return { error: `curl: option -${letter}: is not simulated in this lab\n` };
      else if (!ACCEPTED.has(letter)) return { error: `curl: option -${word.slice(j)}: is unknown\n${TRY}\n` };
    }
  }
  return { ok: opts };
}

export { TRY as CURL_TRY };
