"use client";

import * as React from "react";
import * as ReactDOM from "react-dom";
import * as _jsx_runtime from "react/jsx-runtime";
import { getMDXComponent } from "mdx-bundler/client";
import { mdxComponents } from "./components";
import styles from "./Prose.module.css";

/**
 * Renders a lesson compiled by mdx-bundler. It runs on the client side of the RSC boundary
 * (and is pre-rendered from there) so the MDX shares the app's React instead of a second copy.
 */
export function MdxContent({ code }: { code: string }) {
  // Memoised on `code`: the lesson component's identity (and any state inside it, such as a
  // terminal) only changes when the lesson itself changes.
  const Content = React.useMemo(
    () => getMDXComponent(code, { React, ReactDOM, _jsx_runtime }),
    [code],
  );
  return (
    <div className={styles.prose}>
      {/* eslint-disable-next-line react-hooks/static-components -- memoised on `code`, see above */}
      <Content components={mdxComponents} />
    </div>
  );
}
