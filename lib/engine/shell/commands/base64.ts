import { done, localeQuote, readOperand, tryHelpText } from "../command-kit";
import { utf8Decode, utf8Encode } from "../text/utf8";
import type { Command } from "../types";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

function encode(bytes: number[]): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const [a, b, c] = [bytes[i], bytes[i + 1], bytes[i + 2]];
    const n = (a << 16) | ((b ?? 0) << 8) | (c ?? 0);
    out += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63];
    out += b === undefined ? "=" : ALPHABET[(n >> 6) & 63];
    out += c === undefined ? "=" : ALPHABET[n & 63];
  }
  return out;
}

/** Decoded bytes, and whether the input was valid base64 (GNU stops at the first bad character). */
function decode(text: string, ignoreGarbage: boolean): { bytes: number[]; valid: boolean } {
  const bytes: number[] = [];
  let bits = 0;
  let count = 0;
  let padding = false;
  for (const c of text) {
    if (c === "\n") continue;
    if (c === "=") {
      padding = true;
      continue;
    }
    const value = ALPHABET.indexOf(c);
    if (value < 0 || padding) {
      if (ignoreGarbage && value < 0) continue;
      return { bytes, valid: false };
    }
    bits = (bits << 6) | value;
    count += 6;
    if (count >= 8) {
      count -= 8;
      bytes.push((bits >> count) & 0xff);
    }
  }
  return { bytes, valid: count < 6 };
}

/** `base64`: encode (wrapped at 76 columns) or decode (-d). */
export const base64: Command = {
  name: "base64",
  summary: "base64 encode/decode data and print to standard output",
  usage: "base64 [OPTION]... [FILE]",
  description: "Base64 encode or decode FILE, or standard input, to standard output.\n\nWith no FILE, or when FILE is -, read standard input.",
  spec: {
    flags: [
      { name: "decode", short: "d", long: "decode", help: "decode data" },
      { name: "ignore-garbage", short: "i", long: "ignore-garbage", help: "when decoding, ignore non-alphabet characters" },
      { name: "wrap", short: "w", long: "wrap", value: "required", valueName: "COLS", help: "wrap encoded lines after COLS character (default 76).\nUse 0 to disable line wrapping" },
    ],
  },
  run(args, ctx) {
    if (args.operands.length > 1) return done("", `base64: extra operand ${localeQuote(args.operands[1])}\n${tryHelpText("base64")}`, 1);
    const wrapText = args.value("wrap") ?? "76";
    if (!/^\d+$/.test(wrapText)) return done("", `base64: invalid wrap size: ${localeQuote(wrapText)}\n`, 1);
    const operand = args.operands[0] ?? "-";
    const read = readOperand(ctx, operand);
    if ("error" in read) return done("", `base64: ${operand}: ${read.error.reason}\n`, 1);
    if (args.has("decode")) {
      const { bytes, valid } = decode(read.text, args.has("ignore-garbage"));
      return done(utf8Decode(bytes), valid ? "" : "base64: invalid input\n", valid ? 0 : 1);
    }
    const encoded = encode(utf8Encode(read.text));
    const wrap = Number(wrapText);
    if (wrap === 0) return done(encoded);
    const lines = encoded.match(new RegExp(`.{1,${wrap}}`, "g")) ?? [];
    return done(lines.map((l) => l + "\n").join(""));
  },
};
