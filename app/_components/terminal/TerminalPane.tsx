"use client";

import dynamic from "next/dynamic";
import { createContext, useContext, useEffect } from "react";
import { abandonEngine, prepareEngine, warmEngine } from "@/lib/terminal/prepare";
import type { ScenarioSpecInput } from "@/lib/terminal/protocol";
import { TerminalFrame } from "./TerminalFrame";
import { Workbench } from "./Workbench";

export interface TerminalPaneProps {
  /** A built-in scenario name (the lesson's frontmatter `scenario`). */
  scenario: string;
  seed?: number;
  /** The lesson whose session this is (kept in IndexedDB under `lesson:<slug>`). */
  lessonSlug?: string;
  /** Overrides the storage key (the playground keeps one session per scenario and seed). */
  sessionKey?: string;
  /** The lesson's scenario.yaml, when it has one. */
  spec?: ScenarioSpecInput;
  className?: string;
}

const Props = createContext<TerminalPaneProps>({ scenario: "" });

/** The frame with "Loading terminal…", while xterm and the engine's client code download. */
function Loading() {
  const { scenario, seed = 1 } = useContext(Props);
  return <TerminalFrame scenario={scenario} seed={seed} state="loading" message="Loading terminal…" hint={<span>Loading…</span>} />;
}

// The engine's worker starts as soon as this module runs in the browser: loading and compiling
// the engine is the longest part of the way to a prompt.
if (typeof window !== "undefined") warmEngine();

// xterm needs the DOM, and its code (and the engine's worker) must not weigh on the lesson's
// first load: a separate chunk, fetched after the page is interactive.
const XtermTerminal = dynamic(() => import("./XtermTerminal"), { ssr: false, loading: Loading });

/**
 * The terminal beside a lesson (or in the playground): logged in to a cluster from `scenario`
 * and `seed` that runs in a Web Worker. Its session survives reloads. The live diagram of that
 * cluster is a click away (Workbench).
 */
export function TerminalPane(props: TerminalPaneProps) {
  const { scenario, seed = 1, lessonSlug, sessionKey, spec, className } = props;
  const key = sessionKey ?? `lesson:${lessonSlug ?? scenario}`;
  const specKey = spec ? JSON.stringify(spec) : "";

  // Boot the cluster now, in its worker, while xterm's code is still on its way.
  useEffect(() => {
    const options = { key, scenario, seed, spec: specKey ? (JSON.parse(specKey) as ScenarioSpecInput) : undefined };
    prepareEngine(options);
    // Left before the terminal took it (a fast navigation away): stop that worker.
    return () => abandonEngine(options);
  }, [key, scenario, seed, specKey]);

  return (
    <Props.Provider value={props}>
      <Workbench sessionKey={key} className={className} terminal={<XtermTerminal scenario={scenario} seed={seed} sessionKey={key} spec={spec} />} />
    </Props.Provider>
  );
}
