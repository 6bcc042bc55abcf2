"use client";

import "@xterm/xterm/css/xterm.css";
import { FitAddon } from "@xterm/addon-fit";
import { Terminal } from "@xterm/xterm";
import { useEffect, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from "react";
import {
  claimEngine,
  connectTerminal,
  provideLiveSession,
  releaseEngine,
  TerminalSession,
  type ScenarioSpecInput,
  type SessionStatus,
} from "@/lib/terminal";
import { publishClusterView } from "@/app/_components/diagram/live";
import { TerminalFrame, type FrameState } from "./TerminalFrame";
import { terminalTheme } from "./theme";
import styles from "./Terminal.module.css";

export interface XtermTerminalProps {
  scenario: string;
  seed: number;
  /** Where the session is kept in IndexedDB (one per lesson, or per playground cluster). */
  sessionKey: string;
  spec?: ScenarioSpecInput;
  className?: string;
}

const isMac = () => typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform);

/**
 * The terminal itself: xterm.js with the fit addon, the line editor and the engine worker behind
 * it. Loaded lazily (see TerminalPane), constructed in an effect, disposed with the component.
 */
export default function XtermTerminal({ scenario, seed, sessionKey, spec, className }: XtermTerminalProps) {
  const hostRef = useRef<HTMLDivElement>(null);
  const statusRef = useRef<HTMLDivElement>(null);
  const dialogRef = useRef<HTMLDialogElement>(null);
  const paneRef = useRef<{ session: TerminalSession; term: Terminal } | null>(null);
  const [state, setState] = useState<FrameState>("booting");
  const [message, setMessage] = useState<string | null>("Starting cluster…");
  const [focus, setFocus] = useState<"terminal" | "left" | "none">("none");
  const [flash, setFlash] = useState<string | null>(null);
  const [host, setHost] = useState("controlplane");
  /** vi, nano or watch has the keyboard (then Esc is theirs). */
  const [program, setProgram] = useState(false);
  // The spec arrives as a fresh object on every render of a parent; compare it by value.
  const specKey = spec ? JSON.stringify(spec) : "";

  useEffect(() => {
    performance.mark("netlab:terminal-code");
    const host = hostRef.current!;
    let disposed = false;
    const fontFamily = getComputedStyle(host).fontFamily || "monospace";
    const term = new Terminal({
      fontFamily,
      fontSize: 13.5,
      lineHeight: 1.25,
      cursorBlink: true,
      cursorStyle: "block",
      cursorInactiveStyle: "outline",
      screenReaderMode: true,
      scrollback: 5000,
      rightClickSelectsWord: true,
      theme: terminalTheme(),
    });
    const fit = new FitAddon();
    term.loadAddon(fit);

    const specValue = specKey ? (JSON.parse(specKey) as ScenarioSpecInput) : undefined;
    // Usually booting already: TerminalPane prepared it while this code downloaded.
    const engine = claimEngine({ key: sessionKey, scenario, seed, spec: specValue });
    const client = engine.client;
    // The live diagram (the panel, a lesson's <Diagram/>) draws the views the engine sends.
    const stopViews = client.onView((view) => publishClusterView(sessionKey, view));
    const onStatus = (status: SessionStatus) => {
      if (disposed) return;
      switch (status.state) {
        case "booting":
          setState("booting");
          setMessage("Starting cluster…");
          break;
        case "restoring":
          setState("restoring");
          setMessage(`Restoring your session (${status.commands} ${status.commands === 1 ? "command" : "commands"})…`);
          break;
        case "ready":
          setState("ready");
          setMessage(null);
          break;
        case "failed":
          setState("failed");
          setMessage(`The cluster could not start: ${status.message}`);
          break;
        default:
          break;
      }
    };
    const onPrompt = (prompt: string) => {
      // "node01:~$ " or "root@web-0:/# ": the host the learner is on now.
      const name = /^(?:[^@\s]+@)?([\w.-]+)[:\s]/.exec(prompt)?.[1];
      if (!disposed && name) setHost(name);
    };
    const onProgram = (running: boolean) => {
      if (!disposed) setProgram(running);
    };
    const session = new TerminalSession({ terminal: term, engine, onStatus, onPrompt, onProgram });
    paneRef.current = { session, term };
    client.onfatal = (error) => {
      if (disposed) return;
      term.write(`\r\n\x1b[31mnetlab: the cluster engine stopped (${error.message}). Reload the page to start again.\x1b[0m\r\n`);
      setState("failed");
    };

    term.onData((data) => session.input(data));
    term.onResize(({ cols, rows }) => session.resize(cols, rows));
    term.onBell(() => {
      const pane = host.closest("section");
      pane?.setAttribute("data-bell", "");
      setTimeout(() => pane?.removeAttribute("data-bell"), 150);
    });

    // Copy on selection, as terminals on Linux do.
    let copyTimer: ReturnType<typeof setTimeout> | undefined;
    let flashTimer: ReturnType<typeof setTimeout> | undefined;
    const showFlash = (text: string) => {
      setFlash(text);
      clearTimeout(flashTimer);
      flashTimer = setTimeout(() => setFlash(null), 1500);
    };
    const copySelection = () => {
      const text = term.getSelection();
      if (!text) return;
      navigator.clipboard?.writeText(text).then(
        () => showFlash("Copied"),
        () => undefined,
      );
    };
    term.onSelectionChange(() => {
      clearTimeout(copyTimer);
      if (term.hasSelection()) copyTimer = setTimeout(copySelection, 200);
    });

    term.attachCustomKeyEventHandler((event) => {
      const mod = isMac() ? event.metaKey : event.ctrlKey;
      const key = event.key.toLowerCase();
      // Paste goes through the browser (and xterm's bracketed paste), not as ^V.
      if (mod && key === "v") return false;
      // Copy: Ctrl+Shift+C, or Ctrl+C while text is selected.
      if (mod && key === "c" && (event.shiftKey || term.hasSelection())) {
        if (event.type === "keydown") {
          copySelection();
          term.clearSelection();
          event.preventDefault();
        }
        return false;
      }
      if (event.key === "Escape" && !event.ctrlKey && !event.altKey && !event.metaKey && !event.shiftKey) {
        // In vi, nano or watch, Esc is the program's key.
        if (session.programRunning) return true;
        if (event.type === "keydown" && !session.escape()) {
          // Leave the terminal: focus the status line, from where Tab moves on.
          statusRef.current?.focus();
        }
        event.preventDefault();
        return false;
      }
      return true;
    });

    const textarea = () => term.textarea;
    const onFocus = () => setFocus("terminal");
    const onBlur = () => setFocus((f) => (f === "terminal" ? "none" : f));

    let frame = 0;
    const refit = () => {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        if (disposed || !host.isConnected || host.clientWidth === 0) return;
        try {
          fit.fit();
        } catch {
          // not laid out yet
        }
      });
    };
    const observer = new ResizeObserver(refit);
    window.addEventListener("resize", refit);

    const scheme = window.matchMedia("(prefers-color-scheme: dark)");
    const onScheme = () => {
      term.options.theme = terminalTheme();
    };
    scheme.addEventListener("change", onScheme);

    const disconnect = connectTerminal((text) => {
      session.type(text);
      term.focus();
    });
    // An exercise's Check grades what this session ran.
    const withdrawSession = provideLiveSession(() => ({ key: sessionKey, scenario, seed, entries: session.transcript }));

    // Open once the monospace face is there, so xterm measures the right cell size; the engine
    // boots meanwhile (the worker starts loading now).
    void session.start();
    const fontReady = Promise.race([
      document.fonts?.load(`13.5px ${fontFamily}`).catch(() => undefined) ?? Promise.resolve(),
      new Promise((resolve) => setTimeout(resolve, 500)),
    ]);
    void fontReady.then(() => {
      if (disposed) return;
      term.open(host);
      fit.fit();
      performance.mark("netlab:terminal-open");
      observer.observe(host);
      textarea()?.addEventListener("focus", onFocus);
      textarea()?.addEventListener("blur", onBlur);
      if (textarea()) textarea()!.setAttribute("aria-label", `Terminal input, ${scenario} cluster`);
    });

    return () => {
      disposed = true;
      clearTimeout(copyTimer);
      clearTimeout(flashTimer);
      if (frame) cancelAnimationFrame(frame);
      disconnect();
      stopViews();
      publishClusterView(sessionKey, null);
      withdrawSession();
      observer.disconnect();
      window.removeEventListener("resize", refit);
      scheme.removeEventListener("change", onScheme);
      textarea()?.removeEventListener("focus", onFocus);
      textarea()?.removeEventListener("blur", onBlur);
      session.dispose();
      releaseEngine(engine);
      term.dispose();
      paneRef.current = null;
    };
  }, [scenario, seed, sessionKey, specKey]);

  const focusTerminal = () => paneRef.current?.term.focus();

  const onStatusKeyDown = (event: ReactKeyboardEvent<HTMLDivElement>) => {
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      focusTerminal();
    }
  };

  const confirmReset = async () => {
    dialogRef.current?.close();
    const pane = paneRef.current;
    if (!pane) return;
    await pane.session.reset();
    pane.term.focus();
  };

  const ready = state === "ready" || state === "running";
  const hint =
    focus === "terminal" && program ? (
      <>
        <span className={styles.hintGroup}>Full-screen program: every key goes to it</span>
        {flash ? <span className={styles.flash}>{flash}</span> : null}
      </>
    ) : focus === "terminal" ? (
      <>
        <span className={styles.hintGroup}>
          <kbd>Esc</kbd> leave terminal
        </span>
        <span className={styles.hintGroup}>
          <kbd>Tab</kbd> complete
        </span>
        <span className={styles.hintGroup}>
          <kbd>Ctrl</kbd>+<kbd>R</kbd> search history
        </span>
        {flash ? <span className={styles.flash}>{flash}</span> : null}
      </>
    ) : (
      <>
        <span>{focus === "left" ? "Left the terminal: Tab moves on, Enter goes back" : "Click the terminal to type · select text to copy"}</span>
        {flash ? <span className={styles.flash}>{flash}</span> : null}
      </>
    );

  return (
    <>
      <TerminalFrame
        host={host}
        scenario={scenario}
        seed={seed}
        state={state}
        message={message}
        className={className}
        statusRef={statusRef}
        statusProps={{
          onKeyDown: onStatusKeyDown,
          onFocus: () => setFocus("left"),
          onBlur: () => setFocus((f) => (f === "left" ? "none" : f)),
        }}
        screenProps={{
          // A click on the padding around the screen focuses the terminal too.
          onMouseUp: () => {
            if (!paneRef.current?.term.hasSelection()) focusTerminal();
          },
        }}
        hint={hint}
        actions={
          <>
            <button
              type="button"
              className={styles.action}
              disabled={!ready}
              onClick={() => {
                paneRef.current?.session.clearScreen();
                focusTerminal();
              }}
            >
              Clear
            </button>
            <button type="button" className={styles.action} disabled={state === "booting" || state === "restoring"} onClick={() => dialogRef.current?.showModal()}>
              <ResetIcon /> Reset
            </button>
          </>
        }
      >
        <div ref={hostRef} className={styles.xterm} />
      </TerminalFrame>
      <dialog ref={dialogRef} className={styles.dialog} aria-labelledby="reset-title" aria-describedby="reset-desc">
        <h2 id="reset-title">Reset the cluster?</h2>
        <p id="reset-desc">
          You get a fresh <strong>{scenario}</strong> cluster (seed {seed}). Everything you did in this terminal is lost.
        </p>
        <form method="dialog" className={styles.dialogActions}>
          <button type="submit" className={styles.button} autoFocus>
            Cancel
          </button>
          <button
            type="button"
            className={`${styles.button} ${styles.danger}`}
            onClick={() => void confirmReset()}
          >
            Reset cluster
          </button>
        </form>
      </dialog>
    </>
  );
}

function ResetIcon() {
  return (
    <svg width="13" height="13" viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
      <path d="M2.75 8a5.25 5.25 0 1 0 1.6-3.77" />
      <path d="M2.5 2.75v2.5H5" />
    </svg>
  );
}
