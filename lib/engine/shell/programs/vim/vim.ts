/**
 * A small, honest Vim 8.2 (Ubuntu 22.04's, with its defaults.vim: ruler, showcmd, scrolloff=5,
 * backspace over everything; YAML files get the yaml ftplugin's 2-space indent): normal,
 * insert and command-line modes, counts and the d/c/y/>/< operators over motions and text
 * objects, undo and redo, `.`, `/` and `?` search, `:s`, and writing through the location's
 * file system. What is not built says so on the command line instead of doing something else.
 *
 * This file is the `Program` face; the editor's state is data (`VimState`, state.ts) and each
 * concern is a module of functions over it: keys.ts (normal mode), cursor-motion.ts,
 * operators.ts, insert.ts, cmdline.ts, ex.ts, search.ts, substitute.ts, undo.ts, files.ts,
 * layout.ts, scroll.ts, render.ts.
 *
 * @example
 * const vim = new Vim({ fs, clock, resolve: (p) => joinPath(cwd, p), home: "/root", file: "notes.txt" });
 * await ctx.session.startProgram(vim);   // the command waits until :wq
 */
import type { Program, ProgramStep, Screen } from "../../types";
import { splitKeys } from "../screen";
import { openFile } from "./files";
import { handleKey } from "./keys";
import { moveTo } from "./layout";
import { firstNonBlank } from "./motions";
import { render } from "./render";
import { search } from "./search";
import { isModified, type VimOptions, VimState } from "./state";

export class Vim implements Program {
  private readonly state: VimState;

  constructor(options: VimOptions) {
    this.state = new VimState(options);
  }

  start(screen: Screen): ProgramStep {
    const vim = this.state;
    const { options } = vim;
    vim.screen = screen;
    vim.opts.readonly = options.readonly === true;
    if (options.file === undefined) vim.intro = true;
    else openFile(vim, options.file);
    if (options.line !== undefined) {
      const line = options.line === "last" ? vim.lines.length - 1 : Math.min(Math.max(options.line, 1), vim.lines.length) - 1;
      moveTo(vim, { line, col: firstNonBlank(vim.lines[line]) });
    }
    if (options.search !== undefined) search(vim, options.search, true, false);
    return { output: render(vim) };
  }

  key(data: string): ProgramStep {
    const vim = this.state;
    for (const key of splitKeys(data)) {
      if (vim.done) break;
      handleKey(vim, key);
    }
    if (vim.done) return { output: "", done: vim.done };
    return { output: render(vim) };
  }

  resize(screen: Screen): ProgramStep {
    const vim = this.state;
    vim.screen = screen;
    vim.frame.reset();
    return { output: render(vim) };
  }

  /** Whether the buffer differs from the file (Vim's 'modified'). */
  get modified(): boolean {
    return isModified(this.state);
  }
}
