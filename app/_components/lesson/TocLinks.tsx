"use client";

import { useEffect, useState } from "react";
import styles from "./TocLinks.module.css";

export type TocItem = { depth: 2 | 3; id: string; text: string };

/** The list of section links; marks the section being read (aria-current="location"). */
export function TocLinks({ items }: { items: TocItem[] }) {
  const [active, setActive] = useState<string | null>(null);

  useEffect(() => {
    const headings = items
      .map((item) => document.getElementById(item.id))
      .filter((el): el is HTMLElement => el !== null);
    if (headings.length === 0) return;

    let frame = 0;
    const update = () => {
      frame = 0;
      const offset = parseFloat(getComputedStyle(document.documentElement).scrollPaddingTop) || 80;
      let current: string | null = null;
      for (const heading of headings) {
        if (heading.getBoundingClientRect().top - offset <= 8) current = heading.id;
        else break;
      }
      const atBottom =
        window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 2;
      if (atBottom) current = headings[headings.length - 1].id;
      setActive(current);
    };
    const schedule = () => {
      if (!frame) frame = requestAnimationFrame(update);
    };

    schedule();
    window.addEventListener("scroll", schedule, { passive: true });
    window.addEventListener("resize", schedule);
    return () => {
      window.removeEventListener("scroll", schedule);
      window.removeEventListener("resize", schedule);
      if (frame) cancelAnimationFrame(frame);
    };
  }, [items]);

  return (
    <ol className={styles.list}>
      {items.map((item) => (
        <li key={item.id} className={item.depth === 3 ? styles.sub : undefined}>
          <a
            href={`#${item.id}`}
            className={styles.link}
            aria-current={active === item.id ? "location" : undefined}
          >
            {item.text}
          </a>
        </li>
      ))}
    </ol>
  );
}
