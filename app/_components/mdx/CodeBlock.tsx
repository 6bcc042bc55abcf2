import { isValidElement, type ComponentPropsWithoutRef, type ReactNode } from "react";
import { CopyButton } from "./CopyButton";
import { RunButton } from "./RunButton";
import styles from "./Prose.module.css";

/** Blocks of shell commands: these get a "Run in terminal" button. */
const SHELL_LANGUAGES = new Set(["sh", "bash", "shell", "zsh", "console", "shell-session"]);

const LANGUAGE_LABEL: Record<string, string> = {
  sh: "shell",
  bash: "bash",
  shell: "shell",
  console: "terminal",
  "shell-session": "terminal",
  yaml: "yaml",
  yml: "yaml",
  json: "json",
  text: "text",
  txt: "text",
  plaintext: "text",
  ts: "typescript",
  js: "javascript",
  ini: "ini",
  conf: "config",
  diff: "diff",
};

/** Fenced code: a dark terminal-like panel with its language, a copy button and sideways scroll. */
export function CodeBlock({ children, className, ...rest }: ComponentPropsWithoutRef<"pre">) {
  const code = isValidElement<{ className?: string; children?: ReactNode }>(children)
    ? children
    : null;
  const language = /(?:^|\s)language-([\w-]+)/.exec(code?.props.className ?? "")?.[1] ?? "";
  const label = LANGUAGE_LABEL[language] ?? language;
  const text = textOf(code?.props.children ?? children).replace(/\n$/, "");
  const isConsole = language === "console" || language === "shell-session";
  const copyText = isConsole ? commandsOf(text) : text;

  return (
    <figure className={styles.code}>
      <figcaption className={styles.codeBar}>
        <span className={styles.codeLang}>
          <span className="visually-hidden">Code, </span>
          {label || "code"}
        </span>
        <span className={styles.codeActions}>
          {SHELL_LANGUAGES.has(language) && copyText.trim() ? <RunButton text={copyText} /> : null}
          <CopyButton text={copyText} />
        </span>
      </figcaption>
      {/* Scrollable, so reachable by keyboard; the figcaption names it. */}
      <pre className={[styles.pre, className].filter(Boolean).join(" ")} tabIndex={0} {...rest}>
        {isConsole && code ? (
          <code className={code.props.className}>{consoleLines(text)}</code>
        ) : (
          children
        )}
      </pre>
    </figure>
  );
}

function textOf(node: ReactNode): string {
  if (node == null || typeof node === "boolean") return "";
  if (typeof node === "string" || typeof node === "number") return String(node);
  if (Array.isArray(node)) return node.map(textOf).join("");
  if (isValidElement<{ children?: ReactNode }>(node)) return textOf(node.props.children);
  return "";
}

/**
 * A shell prompt at the start of a console line: `$ `, `# ` (root), optionally preceded by
 * `user@host:dir` or a bare host such as `node-1`. Output lines like `1: lo: <LOOPBACK>` don't match.
 */
const PROMPT = /^(?:[\w.-]+@)?[\w.-]*(?::[~\w/.-]*)?[$#] /;

/** A console transcript with its prompts marked (and left out of a manual text selection). */
function consoleLines(transcript: string): ReactNode[] {
  return transcript.split("\n").map((line, i) => {
    const prompt = PROMPT.exec(line)?.[0];
    return prompt ? (
      <span key={i} className={styles.cmdLine}>
        <span className={styles.prompt}>{prompt}</span>
        {line.slice(prompt.length)}
        {"\n"}
      </span>
    ) : (
      <span key={i} className={styles.outLine}>
        {line}
        {"\n"}
      </span>
    );
  });
}

/** In a console transcript, copy only the commands (the lines after a prompt, without it). */
function commandsOf(transcript: string): string {
  const commands = transcript.split("\n").flatMap((line) => {
    const prompt = PROMPT.exec(line)?.[0];
    return prompt ? [line.slice(prompt.length)] : [];
  });
  return commands.length > 0 ? commands.join("\n") : transcript;
}
