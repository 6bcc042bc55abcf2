/**
 * What `config delete-context`, `delete-cluster` and `delete-user` share: without a name they
 * print their help and succeed (as kubectl does); otherwise the stanza is removed from the
 * file it came from, and that file is named in the message.
 *
 * @example
 * deleteStanza(out, files, "clusters", "staging"); // "deleted cluster staging from /root/.kube/config"
 */
import type { Output } from "../../../../shell";
import { KubectlError } from "../../../errors";
import type { KubeconfigFiles } from "./files";
import { type Section, cloneConfig } from "./model";

const SINGULAR: Record<Section, string> = { clusters: "cluster", users: "user", contexts: "context" };

/** Removes `name` from `section` and prints kubectl's confirmation. */
export function deleteStanza(out: Output, files: KubeconfigFiles, section: Section, name: string): void {
  const origin = files.originOf(section, name);
  if (!files.merged[section].has(name)) throw new KubectlError(`cannot delete ${SINGULAR[section]} ${name}, not in ${origin}`);
  const next = cloneConfig(files.merged);
  next[section].delete(name);
  files.save(next);
  out.out(`deleted ${SINGULAR[section]} ${name} from ${origin}\n`);
}
