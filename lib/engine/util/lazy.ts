/**
 * A value made on first use, held as data: a module-level function and its arguments, frozen.
 * State may hold one (see `../CONTEXT.md`, "State is data": the function captures nothing and
 * the arguments never change, so a template and its forks share it), and whoever forces it
 * first makes the value for all of them; later forces answer the remembered value. The
 * function must be pure: the same arguments, the same value (a boot and its replay agree).
 *
 * @example
 * const pem = lazy(signedCertificatePem, root, "apiserver"); // nothing signed yet
 * force(pem); // signs once; every fork sharing `pem` reads the same text
 */
export interface Lazy<T> {
  readonly make: (...args: never) => T;
  readonly args: readonly unknown[];
}

/** `make(...args)`, deferred. `make` must be module-level and `args` immutable data. */
export function lazy<A extends readonly unknown[], T>(make: (...args: A) => T, ...args: A): Lazy<T> {
  return Object.freeze({ make, args: Object.freeze(args) });
}

// A cache beside the state (a weak map cannot be copied, so state never holds it): made values by their recipe.
const made = new WeakMap<Lazy<unknown>, unknown>();

/** The value of `value`, made now if nothing has forced it before. */
export function force<T>(value: Lazy<T>): T {
  if (made.has(value)) return made.get(value) as T;
  const result = (value.make as (...args: readonly unknown[]) => T)(...value.args);
  made.set(value, result);
  return result;
}
