import { describe, expect, it } from "vitest";
import { copyGraph, GraphCopyError } from "@/lib/engine/util/graph-copy";

class Counter {
  count = 0;
  constructor(readonly name: string) {}
  bump(): number {
    return ++this.count;
  }
}

describe("copyGraph", () => {
  it("copies objects, arrays, Maps and Sets so that changing the copy leaves the original alone", () => {
    const original = { list: [1, { a: 2 }], byName: new Map([["x", { n: 1 }]]), tags: new Set(["t"]), when: new Date(5) };
    const copy = copyGraph(original);
    copy.list.push(3);
    (copy.list[1] as { a: number }).a = 9;
    copy.byName.get("x")!.n = 7;
    copy.byName.set("y", { n: 0 });
    copy.tags.add("u");
    copy.when.setTime(6);
    expect(original).toEqual({ list: [1, { a: 2 }], byName: new Map([["x", { n: 1 }]]), tags: new Set(["t"]), when: new Date(5) });
    expect(copy.byName.get("x")).toEqual({ n: 7 });
    expect([...copy.byName.keys()]).toEqual(["x", "y"]);
  });

  it("keeps prototypes (methods work on the copy, on the copy's fields)", () => {
    const counter = new Counter("c");
    counter.bump();
    const copy = copyGraph(counter);
    expect(copy).toBeInstanceOf(Counter);
    expect(copy.bump()).toBe(2);
    expect(counter.count).toBe(1);
  });

  it("keeps aliasing and cycles: an object reached twice is copied once", () => {
    const shared = { n: 1 };
    const root: { a: typeof shared; b: typeof shared; self?: unknown; index: Map<string, typeof shared> } = { a: shared, b: shared, index: new Map([["s", shared]]) };
    root.self = root;
    const copy = copyGraph(root);
    expect(copy.a).toBe(copy.b);
    expect(copy.index.get("s")).toBe(copy.a);
    expect(copy.self).toBe(copy);
    expect(copy.a).not.toBe(shared);
  });

  it("shares frozen objects and functions, which cannot carry per-copy state", () => {
    const frozen = Object.freeze({ kind: "Pod" });
    const action = (n: number) => n + 1;
    const copy = copyGraph({ frozen, action, inner: { frozen } });
    expect(copy.frozen).toBe(frozen);
    expect(copy.inner.frozen).toBe(frozen);
    expect(copy.action).toBe(action);
  });

  it("keeps the prototype and fields of a Map subclass", () => {
    class Index extends Map<string, number> {
      hits = 0;
    }
    const index = new Index([["a", 1]]);
    index.hits = 3;
    const copy = copyGraph(index);
    expect(copy).toBeInstanceOf(Index);
    expect(copy.hits).toBe(3);
    expect(copy.get("a")).toBe(1);
  });

  it("refuses what hides state it cannot reach: generators, promises, weak maps", () => {
    function* steps() {
      yield 1;
    }
    expect(() => copyGraph({ run: steps() })).toThrow(GraphCopyError);
    expect(() => copyGraph({ p: Promise.resolve(1) })).toThrow(/cannot copy a Promise/);
    expect(() => copyGraph({ w: new WeakMap() })).toThrow(/cannot copy a WeakMap/);
  });
});

describe("copyGraph's prepare", () => {
  it("sees each class instance once before its fields are copied, so what it freezes is shared", () => {
    class Box {
      constructor(public inner: { x: number }) {}
    }
    const box = new Box({ x: 1 });
    const root = { a: box, b: [box], plain: { y: 2 } };
    const seen: object[] = [];
    const copy = copyGraph(root, (o) => {
      seen.push(o);
      if (o instanceof Box) Object.freeze(o.inner);
    });
    expect(seen).toEqual([box]);
    expect(copy.a).not.toBe(box);
    expect(copy.a.inner).toBe(box.inner);
    expect(copy.b[0]).toBe(copy.a);
    expect(copy.plain).not.toBe(root.plain);
  });
});
