import type { ComponentPropsWithoutRef } from "react";
import styles from "./Prose.module.css";

type HeadingProps = ComponentPropsWithoutRef<"h2">;

/** Section headings carry the ids the table of contents links to, plus a hover anchor. */
export function Heading2({ id, children, ...rest }: HeadingProps) {
  return (
    <h2 id={id} {...rest}>
      {children}
      {id ? <Anchor id={id} /> : null}
    </h2>
  );
}

export function Heading3({ id, children, ...rest }: ComponentPropsWithoutRef<"h3">) {
  return (
    <h3 id={id} {...rest}>
      {children}
      {id ? <Anchor id={id} /> : null}
    </h3>
  );
}

function Anchor({ id }: { id: string }) {
  // A convenience for copying a section's address with the mouse; the table of contents is
  // the keyboard and screen-reader route, so this stays out of the tab order and the a11y tree.
  return (
    <a href={`#${id}`} className={styles.anchor} aria-hidden="true" tabIndex={-1}>
      #
    </a>
  );
}
