import type { ITheme } from "@xterm/xterm";

/**
 * The terminal's colours, from the site's custom properties (app/globals.css): code surfaces are
 * dark in both themes, so the terminal is too; only the surface shade follows the colour scheme.
 * The ANSI palette is the site's status and accent colours, tuned for that dark surface.
 */
export function terminalTheme(root: Element = document.documentElement): ITheme {
  const css = getComputedStyle(root);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  const background = v("--code-bg", "#0c1526");
  return {
    background,
    foreground: v("--code-text", "#dbe5f3"),
    cursor: "#5eead4",
    cursorAccent: background,
    selectionBackground: "rgba(94, 234, 212, 0.28)",
    selectionInactiveBackground: "rgba(147, 164, 191, 0.22)",
    scrollbarSliderBackground: "rgba(147, 164, 191, 0.2)",
    scrollbarSliderHoverBackground: "rgba(147, 164, 191, 0.35)",
    scrollbarSliderActiveBackground: "rgba(147, 164, 191, 0.45)",
    black: "#1f2d48",
    red: "#f87171",
    green: "#4ade80",
    yellow: "#fbbf24",
    blue: "#7aa2ff",
    magenta: "#c4a1ff",
    cyan: "#2dd4bf",
    white: "#dbe5f3",
    brightBlack: v("--code-muted", "#93a4bf"),
    brightRed: "#fca5a5",
    brightGreen: "#86efac",
    brightYellow: "#fde68a",
    brightBlue: "#a5c0ff",
    brightMagenta: "#ddc7ff",
    brightCyan: "#5eead4",
    brightWhite: "#f8fafc",
  };
}
