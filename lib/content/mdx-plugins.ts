/**
 * The unified plugins lessons are compiled with: one remark plugin that checks what the MDX
 * uses (components, headings, no import/export) and one rehype plugin that reads the heading ids
 * rehype-slug assigned, for the table of contents.
 *
 * The types below are the few fields of mdast/hast/estree nodes these plugins read; the full
 * typings live in transitive packages this project does not depend on directly.
 */
import type { TocEntry } from "./types";

type Point = { line: number; column: number };
type JsxAttribute = {
  type: string; // mdxJsxAttribute | mdxJsxExpressionAttribute
  name?: string;
  value?: string | null | { type: string; value: string; data?: { estree?: unknown } };
  data?: { estree?: unknown };
};
type TreeNode = {
  type: string;
  name?: string | null;
  depth?: number;
  tagName?: string;
  value?: string;
  properties?: Record<string, unknown>;
  attributes?: JsxAttribute[];
  children?: TreeNode[];
  position?: { start: Point };
  data?: { estree?: unknown };
};

/** Components the site provides to every lesson (rendered by the UI, not bundled). */
export const ALLOWED_COMPONENTS = ["Callout", "Exercise", "Quiz", "Diagram"] as const;
export const CALLOUT_TYPES = ["note", "warning", "tip"] as const;

export type CheckIssue = { message: string; line?: number; component?: string };

/** What the check needs to know about the lesson's other files; `issue` is filled by the check. */
export type CheckContext = {
  /** Exercise ids from exercises.yaml, or null when the lesson has none. */
  exerciseIds: ReadonlySet<string> | null;
  hasQuiz: boolean;
  issue?: CheckIssue;
};

const ALLOWED = new Set<string>(ALLOWED_COMPONENTS);
const allowedList = ALLOWED_COMPONENTS.map((c) => `<${c}>`).join(", ");

/** True for names React treats as components rather than HTML elements. */
function isComponentName(name: string): boolean {
  return name.includes(".") || /^[A-Z_$]/.test(name);
}

function literalAttribute(node: TreeNode, name: string): string | undefined | { expression: true } {
  const attr = node.attributes?.find((a) => a.type === "mdxJsxAttribute" && a.name === name);
  if (!attr) return undefined;
  if (attr.value === null || attr.value === undefined) return "";
  return typeof attr.value === "string" ? attr.value : { expression: true };
}

/** JSX element names inside a JavaScript expression (`{cond && <Foo/>}`), with their lines. */
function jsxNamesIn(estree: unknown, out: { name: string; line?: number }[] = []): { name: string; line?: number }[] {
  if (Array.isArray(estree)) {
    for (const item of estree) jsxNamesIn(item, out);
  } else if (estree !== null && typeof estree === "object") {
    const node = estree as { type?: string; name?: unknown; loc?: { start?: { line?: number } } };
    if (node.type === "JSXOpeningElement") {
      const name = jsxName(node.name);
      if (name) out.push({ name, line: node.loc?.start?.line });
    }
    for (const [key, value] of Object.entries(estree)) {
      if (key !== "loc" && key !== "range" && key !== "position") jsxNamesIn(value, out);
    }
  }
  return out;
}

function jsxName(name: unknown): string | undefined {
  if (name === null || typeof name !== "object") return undefined;
  const n = name as { type?: string; name?: unknown; object?: unknown; property?: unknown; namespace?: unknown };
  if (n.type === "JSXIdentifier" && typeof n.name === "string") return n.name;
  if (n.type === "JSXMemberExpression") return `${jsxName(n.object)}.${jsxName(n.property)}`;
  if (n.type === "JSXNamespacedName") return `${jsxName(n.namespace)}:${jsxName(n.name)}`;
  return undefined;
}

function checkNode(node: TreeNode, ctx: CheckContext): CheckIssue | undefined {
  const line = node.position?.start.line;
  if (node.type === "heading" && node.depth === 1) {
    return { line, message: "use ## and ### headings: the page shows the frontmatter title as the only h1" };
  }
  // Only authored import/export: remark-mdx-frontmatter adds a generated one (no position).
  if (node.type === "mdxjsEsm" && node.position) {
    return { line, message: `import and export are not allowed in lessons; use the components the site provides (${allowedList})` };
  }
  const expressions: unknown[] = [];
  if (node.data?.estree) expressions.push(node.data.estree);
  for (const attr of node.attributes ?? []) {
    if (attr.data?.estree) expressions.push(attr.data.estree);
    if (attr.value && typeof attr.value === "object" && attr.value.data?.estree) expressions.push(attr.value.data.estree);
  }
  for (const found of expressions.flatMap((e) => jsxNamesIn(e))) {
    if (isComponentName(found.name) && !ALLOWED.has(found.name)) {
      return { line: found.line ?? line, component: found.name, message: `unknown component <${found.name}> (allowed: ${allowedList})` };
    }
  }
  if ((node.type !== "mdxJsxFlowElement" && node.type !== "mdxJsxTextElement") || !node.name) return undefined;
  const name = node.name;
  if (!isComponentName(name)) return undefined;
  if (!ALLOWED.has(name)) {
    return { line, component: name, message: `unknown component <${name}> (allowed: ${allowedList})` };
  }
  if (name === "Callout") {
    const type = literalAttribute(node, "type");
    const types = CALLOUT_TYPES.map((t) => `"${t}"`).join(", ");
    if (typeof type !== "string" || !(CALLOUT_TYPES as readonly string[]).includes(type)) {
      const got = type === undefined ? "none" : typeof type === "string" ? `"${type}"` : "an expression";
      return { line, component: name, message: `<Callout> type must be one of ${types}, got ${got}` };
    }
  }
  if (name === "Exercise") {
    const id = literalAttribute(node, "id");
    if (typeof id !== "string" || id === "") {
      return { line, component: name, message: `<Exercise> needs an id="…" naming an exercise in exercises.yaml` };
    }
    if (ctx.exerciseIds === null) {
      return { line, component: name, message: `<Exercise id="${id}"> but this lesson has no exercises.yaml` };
    }
    if (!ctx.exerciseIds.has(id)) {
      const known = [...ctx.exerciseIds].map((x) => `"${x}"`).join(", ") || "none";
      return { line, component: name, message: `<Exercise id="${id}">: no such exercise in exercises.yaml (ids: ${known})` };
    }
  }
  if (name === "Quiz" && !ctx.hasQuiz) {
    return { line, component: name, message: "<Quiz/> but this lesson has no quiz.yaml" };
  }
  return undefined;
}

function firstIssue(node: TreeNode, ctx: CheckContext): CheckIssue | undefined {
  const own = checkNode(node, ctx);
  if (own) return own;
  for (const child of node.children ?? []) {
    const issue = firstIssue(child, ctx);
    if (issue) return issue;
  }
  return undefined;
}

/**
 * remark plugin: records the first problem in document order in `ctx.issue` and aborts the
 * compile. The caller turns `ctx.issue` into a LessonContentError with file and line.
 */
export function remarkLessonCheck(ctx: CheckContext) {
  return (tree: TreeNode): void => {
    const issue = firstIssue(tree, ctx);
    if (issue) {
      ctx.issue = issue;
      throw new Error(issue.message);
    }
  };
}

/** Text of a hast node as hast-util-to-string sees it (expressions left out). */
function textOf(node: TreeNode): string {
  if (node.type === "text") return node.value ?? "";
  if (node.type === "mdxTextExpression" || node.type === "mdxFlowExpression") return "";
  return (node.children ?? []).map(textOf).join("");
}

/** rehype plugin, run after rehype-slug: collects h2/h3 with the ids rehype-slug gave them. */
export function rehypeCollectToc(out: TocEntry[]) {
  return (tree: TreeNode): void => {
    out.length = 0;
    const walk = (node: TreeNode) => {
      if (node.type === "element" && (node.tagName === "h2" || node.tagName === "h3")) {
        const id = node.properties?.id;
        if (typeof id === "string") {
          out.push({ depth: node.tagName === "h2" ? 2 : 3, id, text: textOf(node).replace(/\s+/g, " ").trim() });
        }
        return;
      }
      for (const child of node.children ?? []) walk(child);
    };
    walk(tree);
  };
}
