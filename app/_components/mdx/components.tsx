/**
 * The one map of components available to lesson MDX. Lessons may use:
 * <Callout/>, <Exercise id="…"/>, <Quiz/>, <Diagram/>,
 * plus the HTML elements overridden below for prose (headings, links, code, tables).
 */
import type { MDXContentProps } from "mdx-bundler/client";
import { Callout } from "./Callout";
import { CodeBlock } from "./CodeBlock";
import { Heading2, Heading3 } from "./Heading";
import { ProseLink } from "./ProseLink";
import { Table } from "./Table";
import { Diagram } from "@/app/_components/diagram/Diagram";
import { Exercise } from "@/app/_components/exercise/Exercise";
import { Quiz } from "@/app/_components/quiz/Quiz";

type MDXComponents = NonNullable<MDXContentProps["components"]>;

export const mdxComponents: MDXComponents = {
  // Lesson components
  Callout,
  Exercise,
  Quiz,
  Diagram,
  // Prose elements
  h2: Heading2,
  h3: Heading3,
  a: ProseLink,
  pre: CodeBlock,
  table: Table,
};
