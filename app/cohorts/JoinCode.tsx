import { CopyButton } from "../_components/mdx/CopyButton";
import styles from "./cohorts.module.css";

/** A join code on the dark "terminal" surface, easy to read aloud and to copy. */
export function JoinCode({ code }: { code: string }) {
  return (
    <span className={styles.joinCode}>
      <span className="visually-hidden">Join code </span>
      <code>{code}</code>
      <CopyButton text={code} />
    </span>
  );
}
