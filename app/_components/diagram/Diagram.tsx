"use client";

import dynamic from "next/dynamic";
import { useLesson } from "@/app/_components/lesson/LessonContext";
import { useClusterView } from "./live";
import styles from "./Diagram.module.css";

/** The frame the drawing arrives in, so nothing shifts when its code does. */
function Loading() {
  return (
    <div className={styles.diagram} data-fill="">
      <div className={styles.toolbar}>
        <p className={styles.summary}>Loading the diagram…</p>
      </div>
      <div className={styles.empty} />
    </div>
  );
}

// The drawing's code is a chunk of its own, fetched only when a diagram is shown.
const DiagramView = dynamic(() => import("./DiagramView"), { ssr: false, loading: Loading });

/**
 * The live diagram of one terminal session's cluster (the panel beside the terminal).
 * `sessionKey` is the terminal's (`lesson:<slug>`, `playground:<scenario>:<seed>`).
 */
export function LiveDiagram({ sessionKey, fill = true }: { sessionKey?: string; fill?: boolean }) {
  const view = useClusterView(sessionKey);
  return <DiagramView view={view} fill={fill} />;
}

/**
 * `<Diagram/>` in a lesson's MDX: the lesson's cluster, live, inline in the prose (the same
 * picture as the panel beside the terminal). An optional `caption` says what to look for.
 */
export function Diagram({ caption }: { caption?: string }) {
  const lesson = useLesson();
  return (
    <figure className={styles.inline}>
      <LiveDiagram sessionKey={lesson?.sessionKey} fill={false} />
      {caption ? <figcaption className={styles.figcaption}>{caption}</figcaption> : null}
    </figure>
  );
}
