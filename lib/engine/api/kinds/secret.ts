/**
 * The Secret kind: `stringData` folded into base64 `data` and bad base64 rejected as decoding
 * does, type Opaque by default, `ValidateSecret`'s per-type required keys, an immutable type,
 * and the NAME TYPE DATA AGE table.
 *
 * @example
 * store.create({ apiVersion: "v1", kind: "Secret", metadata: { name: "s" }, stringData: { pw: "hi" } });
 * // data: { pw: "aGk=" }, type: "Opaque", no stringData
 */
import { decodeBase64, encodeBase64 } from "../../util/base64";
import { badRequestError } from "../errors";
import type { Secret } from "../types/core";
import { age } from "../tables/common";
import { col } from "../tables/types";
import { type FieldError, fieldPath, invalid, required, tooLong } from "../validation/field";
import { nameIsDNSSubdomain, validateImmutable } from "../validation/meta";
import { isConfigMapKey } from "../validation/strings";
import { MAX_DATA_SIZE, validateImmutableData } from "./configmap";
import { defineKind } from "./strategy";

/** Conversion: base64 must decode (else a BadRequest), `stringData` overwrites `data`. */
function decodeSecret(secret: Secret): void {
  for (const value of Object.values(secret.data ?? {})) {
    const r = decodeBase64(String(value));
    if (!r.ok) {
      throw badRequestError(`Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte ${r.offset}`);
    }
  }
  if (secret.stringData) {
    secret.data = { ...secret.data };
    for (const [k, v] of Object.entries(secret.stringData)) secret.data[k] = encodeBase64(v);
    delete secret.stringData;
  }
}

function requireKeys(secret: Secret, keys: string[], all: boolean): FieldError[] {
  const has = (k: string) => Object.hasOwn(secret.data ?? {}, k);
  const missing = keys.filter((k) => !has(k));
  if (all ? missing.length === 0 : missing.length < keys.length) return [];
  return missing.map((k) => required(fieldPath("data").key(k)));
}

/** `ValidateSecret` minus ObjectMeta. */
function validateSecretData(secret: Secret): FieldError[] {
  const errs: FieldError[] = [];
  let size = 0;
  for (const [k, v] of Object.entries(secret.data ?? {})) {
    for (const m of isConfigMapKey(k)) errs.push(invalid(fieldPath("data").key(k), k, m));
    size += Math.floor((String(v).length * 3) / 4);
  }
  if (size > MAX_DATA_SIZE) errs.push(tooLong(fieldPath("data"), MAX_DATA_SIZE));
  switch (secret.type) {
    case "kubernetes.io/service-account-token":
      if (!secret.metadata.annotations?.["kubernetes.io/service-account.name"]) {
        errs.push(required(fieldPath("metadata", "annotations").key("kubernetes.io/service-account.name")));
      }
      break;
    case "kubernetes.io/dockercfg":
      errs.push(...requireKeys(secret, [".dockercfg"], true));
      break;
    case "kubernetes.io/dockerconfigjson":
      errs.push(...requireKeys(secret, [".dockerconfigjson"], true));
      break;
    case "kubernetes.io/basic-auth":
      errs.push(...requireKeys(secret, ["username", "password"], false));
      break;
    case "kubernetes.io/ssh-auth":
      if (!secret.data?.["ssh-privatekey"]) errs.push(required(fieldPath("data").key("ssh-privatekey")));
      break;
    case "kubernetes.io/tls":
      errs.push(...requireKeys(secret, ["tls.crt", "tls.key"], true));
      break;
  }
  return errs;
}

/** The Secret registry strategy. */
export const secretStrategy = defineKind<Secret>({
  kind: "Secret",
  nameValidator: nameIsDNSSubdomain,
  decode: decodeSecret,
  defaults(secret) {
    if (!secret.type) secret.type = "Opaque";
  },
  validateSpec: validateSecretData,
  validateUpdate: (secret, old) => [
    ...validateImmutable(secret.type, old.type, fieldPath("type"), secret.type ?? ""),
    ...validateImmutableData(secret, old, ["data"]),
  ],
  customFieldConversion: true,
  fieldLabels: ["type"],
  selectableFields: (secret) => ({ type: secret.type ?? "" }),
  table: {
    columns: [col("Name"), col("Type"), col("Data", "integer"), col("Age")],
    cells: (s, now) => [s.metadata.name ?? "", s.type ?? "", Object.keys(s.data ?? {}).length, age(s.metadata.creationTimestamp, now)],
  },
});
