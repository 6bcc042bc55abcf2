interface Entry {
  /** Undefined for a name that is exported but was never given a value (`export FOO`). */
  value: string | undefined;
  exported: boolean;
}

/** A valid shell variable name (`NAME`, `_x1`), as bash checks for `export` and `for`. */
export function isName(text: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(text);
}

/**
 * A shell's variables, each with its export flag (exported ones are the environment that
 * commands like `env` see).
 *
 * @example
 * const vars = new Variables({ HOME: "/root" }); // initial entries are exported
 * vars.set("X", "1");
 * vars.exportName("X");
 * vars.environment(); // [["HOME", "/root"], ["X", "1"]]
 */
export class Variables {
  private readonly entries = new Map<string, Entry>();

  constructor(environment: Record<string, string> = {}) {
    for (const [name, value] of Object.entries(environment)) this.entries.set(name, { value, exported: true });
  }

  get(name: string): string | undefined {
    return this.entries.get(name)?.value;
  }

  has(name: string): boolean {
    return this.entries.get(name)?.value !== undefined;
  }

  /** Sets a value, keeping the export flag it had; `exported: true` also exports it. */
  set(name: string, value: string, options: { exported?: boolean } = {}): void {
    const exported = options.exported === true || (this.entries.get(name)?.exported ?? false);
    this.entries.set(name, { value, exported });
  }

  unset(name: string): void {
    this.entries.delete(name);
  }

  /** Marks a name for export; an unset name stays unset until it gets a value, as in bash. */
  exportName(name: string): void {
    const entry = this.entries.get(name);
    if (entry) entry.exported = true;
    else this.entries.set(name, { value: undefined, exported: true });
  }

  /** Removes the export flag (`export -n`). */
  unexport(name: string): void {
    const entry = this.entries.get(name);
    if (entry) entry.exported = false;
  }

  isExported(name: string): boolean {
    return this.entries.get(name)?.exported ?? false;
  }

  /** Every name that has a value, sorted. */
  names(): string[] {
    return [...this.entries.keys()].filter((name) => this.has(name)).sort(byteOrder);
  }

  /** Exported names, sorted, with their value (undefined when exported but unset). */
  exports(): [string, string | undefined][] {
    return [...this.entries.entries()]
      .filter(([, entry]) => entry.exported)
      .map(([name, entry]): [string, string | undefined] => [name, entry.value])
      .sort((a, b) => byteOrder(a[0], b[0]));
  }

  /** Exported variables that have a value: the environment a child process gets. */
  environment(): [string, string][] {
    return this.exports().flatMap(([name, value]): [string, string][] => (value === undefined ? [] : [[name, value]]));
  }

  /** The environment a child process starts with: exported variables only, all exported. */
  exportedOnly(): Variables {
    return new Variables(Object.fromEntries(this.environment()));
  }

  /** An independent copy (for subshells and prefix assignments). */
  clone(): Variables {
    const copy = new Variables();
    for (const [name, entry] of this.entries) copy.entries.set(name, { ...entry });
    return copy;
  }
}

/** Compares strings by code unit, the order of `sort` and `ls` under LC_ALL=C. */
export function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
