/**
 * curl's `-w/--write-out` format: `%{variable}` for what the transfer measured, `%%`, and the
 * backslash escapes `\n`, `\r`, `\t`. Times are seconds with six decimals, as curl prints them.
 *
 * @example
 * writeOut("%{http_code} %{remote_ip}\n", info); // "200 10.96.0.12\n"
 */

export interface TransferInfo {
  httpCode: number;
  remoteIp: string;
  remotePort: number;
  localIp: string;
  localPort: number;
  connectMs: number;
  totalMs: number;
  sizeDownload: number;
  urlEffective: string;
  contentType: string;
  redirects: number;
  scheme: string;
  exitcode: number;
  errormsg: string;
}

const seconds = (ms: number) => (ms / 1000).toFixed(6);

function variable(name: string, t: TransferInfo): string | undefined {
  switch (name) {
    case "http_code":
    case "response_code":
      return String(t.httpCode).padStart(3, "0");
    case "remote_ip":
      return t.remoteIp;
    case "remote_port":
      return t.remotePort ? String(t.remotePort) : "0";
    case "local_ip":
      return t.localIp;
    case "local_port":
      return t.localPort ? String(t.localPort) : "0";
    case "time_namelookup":
      return seconds(0.02);
    case "time_connect":
      return seconds(t.connectMs);
    case "time_appconnect":
      return seconds(t.scheme === "HTTPS" ? t.connectMs : 0);
    case "time_pretransfer":
      return seconds(t.connectMs);
    case "time_starttransfer":
      return seconds(t.httpCode ? Math.max(t.connectMs, t.totalMs * 0.9) : 0);
    case "time_total":
      return seconds(t.totalMs);
    case "size_download":
      return String(t.sizeDownload);
    case "url_effective":
      return t.urlEffective;
    case "content_type":
      return t.contentType;
    case "num_redirects":
      return String(t.redirects);
    case "scheme":
      return t.scheme;
    case "exitcode":
      return String(t.exitcode);
    case "errormsg":
      return t.errormsg;
    default:
      return undefined;
  }
}

/** The write-out text, and curl's warnings for variables it does not know. */
export function writeOut(format: string, info: TransferInfo): { text: string; warnings: string } {
  let text = "";
  let warnings = "";
  for (let i = 0; i < format.length; i++) {
    const ch = format[i];
    if (ch === "%" && format[i + 1] === "%") {
      text += "%";
      i++;
    } else if (ch === "%" && format[i + 1] === "{" && format.indexOf("}", i) > 0) {
      const end = format.indexOf("}", i);
      const name = format.slice(i + 2, end);
      const value = variable(name, info);
      if (value === undefined) warnings += `curl: unknown --write-out variable: '${name}'\n`;
      else text += value;
      i = end;
    } else if (ch === "\\" && i + 1 < format.length && "nrt\\".includes(format[i + 1])) {
      text += { n: "\n", r: "\r", t: "\t", "\\": "\\" }[format[i + 1]]!;
      i++;
    } else text += ch;
  }
  return { text, warnings };
}
