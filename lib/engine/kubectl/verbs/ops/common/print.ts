/**
 * `-o` for the verbs here that print objects (`rollout undo|restart|pause|resume|history`,
 * `config view`), through the shared printers: `name`, `json`, `yaml`, `jsonpath=…`. The
 * verb's own message is printed when `-o` is absent.
 *
 * @example
 * const format = outputFormat(args);                 // undefined without -o
 * if (format) out.out(printObject(deployment, format));
 */
import { KubectlError } from "../../../errors";
import { type OutputFormat, type PrintableObject, parseOutputFormat, printObjects } from "../../../printers";
import type { KubectlArgs } from "../../../types";

/** The resolved `-o`, or undefined when the verb prints its own message; kubectl's error otherwise. */
export function outputFormat(args: KubectlArgs, fallback = ""): Exclude<OutputFormat, { type: "human" | "wide" }> | undefined {
  const format = parseOutputFormat(args.string("output") || fallback, { command: "generic" });
  if ("error" in format) throw new KubectlError(format.error, 1, true);
  if (format.type === "human" || format.type === "wide" || format.type === "custom-columns") return undefined;
  return format;
}

/** One object in `format`, as kubectl prints a single object. */
export function printObject(object: PrintableObject, format: OutputFormat, typedOrder = false): string {
  const printed = printObjects([object], format, { list: false, typedOrder });
  if (!printed.ok) throw new KubectlError(printed.message, 1, true);
  return printed.text;
}
