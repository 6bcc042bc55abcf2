import { describe, expect, it } from "vitest";
import { isIncomplete } from "@/lib/engine";
import { LineEditor, formatColumns, tokenize, type Completion } from "@/lib/terminal/line-editor";
import { layoutText } from "@/lib/terminal/text-width";
import { Screen } from "./screen";

const K = {
  LEFT: "\x1b[D",
  RIGHT: "\x1b[C",
  UP: "\x1b[A",
  DOWN: "\x1b[B",
  HOME: "\x1b[H",
  END: "\x1b[F",
  HOME_SS3: "\x1bOH",
  DEL: "\x1b[3~",
  BS: "\x7f",
  CA: "\x01",
  CB: "\x02",
  CC: "\x03",
  CD: "\x04",
  CE: "\x05",
  CF: "\x06",
  CK: "\x0b",
  CL: "\x0c",
  CG: "\x07",
  CR_SEARCH: "\x12",
  CT: "\x14",
  CU: "\x15",
  CW: "\x17",
  CY: "\x19",
  ALT_B: "\x1bb",
  ALT_F: "\x1bf",
  ALT_D: "\x1bd",
  ALT_BS: "\x1b\x7f",
  ALT_DOT: "\x1b.",
  CTRL_LEFT: "\x1b[1;5D",
  TAB: "\t",
  ENTER: "\r",
};
const paste = (text: string) => `\x1b[200~${text}\x1b[201~`;

const COMMANDS = ["hostname", "kubeadm", "kubectl", "kubelet", "ls", "cat"];

function completer(line: string, cursor: number): Completion {
  const before = line.slice(0, cursor);
  const start = before.lastIndexOf(" ") + 1;
  const word = before.slice(start);
  if (start === 0) return { candidates: COMMANDS.filter((c) => c.startsWith(word)).sort(), replaceFrom: 0, replaceTo: cursor };
  if (word === "/e") return { candidates: ["/etc/"], replaceFrom: start, replaceTo: cursor };
  if (word.startsWith("/etc/ap")) return { candidates: ["/etc/apparmor.d/", "/etc/apt/"], replaceFrom: start, replaceTo: cursor };
  if (word === "many") return { candidates: Array.from({ length: 150 }, (_, i) => `many${String(i).padStart(3, "0")}`), replaceFrom: start, replaceTo: cursor };
  return { candidates: [], replaceFrom: cursor, replaceTo: cursor };
}

function setup(options: { columns?: number; history?: string[]; async?: boolean; prompt?: string } = {}) {
  let out = "";
  const submitted: string[] = [];
  const screen = new Screen(options.columns ?? 80);
  const editor = new LineEditor(
    {
      write: (data) => {
        out += data;
        screen.write(data);
      },
      submit: (input) => void submitted.push(input),
      complete: (line, cursor) => (options.async ? Promise.resolve(completer(line, cursor)) : completer(line, cursor)),
      isIncomplete: (input) => (options.async ? Promise.resolve(isIncomplete(input)) : isIncomplete(input)),
    },
    { columns: options.columns ?? 80, history: options.history },
  );
  editor.start(options.prompt ?? "$ ");
  const feed = (...keys: string[]) => keys.forEach((k) => editor.feed(k));
  return {
    editor,
    feed,
    submitted,
    screen,
    out: () => out,
    take: () => {
      const text = out;
      out = "";
      return text;
    },
  };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("LineEditor: editing keys", () => {
  it.each<[string, string[], string, number]>([
    ["typing inserts at the cursor", ["abc"], "abc", 3],
    ["← and insert in the middle", ["abc", K.LEFT, K.LEFT, "X"], "aXbc", 2],
    ["→ moves right, not past the end", ["abc", K.HOME, K.RIGHT, K.RIGHT, K.RIGHT, K.RIGHT], "abc", 3],
    ["Home (CSI) then insert", ["abc", K.HOME, "X"], "Xabc", 1],
    ["Home (SS3, application mode)", ["abc", K.HOME_SS3, "X"], "Xabc", 1],
    ["Ctrl-A / Ctrl-E", ["abc", K.CA, K.CE, "Y"], "abcY", 4],
    ["Ctrl-B / Ctrl-F", ["abc", K.CB, K.CB, K.CF], "abc", 2],
    ["Backspace", ["abc", K.BS], "ab", 2],
    ["Backspace at the start does nothing", ["abc", K.HOME, K.BS], "abc", 0],
    ["Delete under the cursor", ["abc", K.HOME, K.DEL], "bc", 0],
    ["Ctrl-D deletes on a non-empty line", ["abc", K.HOME, K.CD], "bc", 0],
    ["Ctrl-K kills to the end", ["hello world", ...Array(5).fill(K.LEFT), K.CK], "hello ", 6],
    ["Ctrl-U kills to the start", ["hello world", ...Array(5).fill(K.LEFT), K.CU], "world", 0],
    ["Ctrl-W kills the previous word (by spaces)", ["kubectl get pods/x", K.CW], "kubectl get ", 12],
    ["Ctrl-W twice, then Ctrl-Y yanks both", ["a b c", K.CW, K.CW, K.CY], "a b c", 5],
    ["Ctrl-U then Ctrl-Y", ["abc def", K.CU, K.CY], "abc def", 7],
    ["Alt-B moves a word left", ["kubectl get pods", K.ALT_B], "kubectl get pods", 12],
    ["Alt-B twice", ["kubectl get pods", K.ALT_B, K.ALT_B], "kubectl get pods", 8],
    ["Alt-F moves to the end of the word", ["kubectl get pods", K.HOME, K.ALT_F], "kubectl get pods", 7],
    ["Ctrl-← is a word left too", ["ip netns add red", K.CTRL_LEFT], "ip netns add red", 13],
    ["Alt-B stops at punctuation words", ["cat /etc/hosts", K.ALT_B], "cat /etc/hosts", 9],
    ["Alt-D kills the next word", ["kubectl get pods", K.HOME, K.ALT_D], " get pods", 0],
    ["Alt-Backspace kills the previous word", ["cat /etc/hosts", K.ALT_BS], "cat /etc/", 9],
    ["Ctrl-T transposes", ["sl", K.CT], "ls", 2],
    ["wide characters move as one", ["日本語", K.LEFT, K.BS], "日語", 1],
    ["emoji (surrogate pairs) move as one", ["a😀b", K.LEFT, K.LEFT, K.BS], "a😀b".replace("a", ""), 0],
  ])("%s", (_name, keys, buffer, cursor) => {
    const t = setup();
    t.feed(...keys);
    expect(t.editor.state).toMatchObject({ buffer, cursor });
  });

  it("echoes a typed character as just that character", () => {
    const t = setup();
    t.take();
    t.feed("a");
    expect(t.take()).toBe("a");
  });

  it("redraws only the tail on an insertion in the middle", () => {
    const t = setup();
    t.feed("ab");
    t.take();
    t.feed(K.LEFT);
    expect(t.take()).toBe("\x1b[4G");
    t.feed("X");
    expect(t.take()).toBe("\x1b[JXb\x1b[5G");
  });

  it("erases with one clear on Backspace at the end", () => {
    const t = setup();
    t.feed("ab");
    t.take();
    t.feed(K.BS);
    expect(t.take()).toBe("\x1b[4G\x1b[J");
  });

  it("rings the bell where there is nothing to do", () => {
    const t = setup();
    t.take();
    t.feed(K.BS);
    expect(t.take()).toBe("\x07");
  });

  it("Alt-. inserts the last word of the previous command", () => {
    const t = setup({ history: ["cat /etc/hosts"] });
    t.feed("vi ", K.ALT_DOT);
    expect(t.editor.state.buffer).toBe("vi /etc/hosts");
  });
});

describe("LineEditor: lines, ^C, ^D, ^L", () => {
  it("submits the line on Enter and waits for it", () => {
    const t = setup();
    t.feed("hostname", K.ENTER);
    expect(t.submitted).toEqual(["hostname"]);
    expect(t.editor.state.mode).toBe("busy");
    // The line feed goes out with the output (one frame for the browser to draw).
    expect(t.out()).toBe("$ hostname");
    t.take();
    t.editor.finish("controlplane\n", "controlplane:~$ ");
    expect(t.take()).toBe("\r\ncontrolplane\r\ncontrolplane:~$ ");
    expect(t.editor.state).toMatchObject({ mode: "edit", buffer: "", prompt: "controlplane:~$ " });
  });

  it("writes the held-back line feed when the host flushes (a slow input)", () => {
    const t = setup();
    t.feed("sleep 5", K.ENTER);
    t.editor.flush();
    expect(t.out()).toBe("$ sleep 5\r\n");
    t.editor.finish("", "$ ");
    expect(t.out()).toBe("$ sleep 5\r\n$ ");
  });

  it("prints a new prompt for an empty line without running anything", () => {
    const t = setup();
    t.feed(K.ENTER);
    expect(t.submitted).toEqual([]);
    expect(t.out()).toBe("$ \r\n$ ");
  });

  it("starts the prompt after output that does not end in a newline", () => {
    const t = setup({ columns: 20 });
    t.feed("printf foo", K.ENTER);
    t.take();
    t.editor.finish("foo", "$ ");
    t.feed("x", K.LEFT);
    expect(t.take()).toBe("\r\nfoo$ x\x1b[6G");
  });

  it("starts the prompt at the top after clear", () => {
    const t = setup();
    t.feed("ls", K.ENTER);
    t.editor.finish("a b\n", "$ ");
    t.feed("clear", K.ENTER);
    t.editor.finish("\x1b[H\x1b[2J\x1b[3J", "$ ");
    t.feed("x");
    expect(t.screen.lines()).toEqual(["$ x"]);
    expect(t.screen.cursor).toEqual({ row: 0, col: 3 });
  });

  it("Ctrl-C abandons the line with ^C", () => {
    const t = setup();
    t.feed("abc", K.LEFT, K.CC);
    expect(t.out()).toBe("$ abc\x1b[5G\x1b[6G^C\r\n$ ");
    expect(t.editor.state.buffer).toBe("");
    expect(t.submitted).toEqual([]);
  });

  it("Ctrl-D on an empty line logs out (runs exit), without adding it to history", () => {
    const t = setup();
    t.feed(K.CD);
    expect(t.submitted).toEqual(["exit"]);
    t.editor.flush();
    expect(t.out()).toBe("$ exit\r\n");
    expect(t.editor.entries).toEqual([]);
  });

  it("Ctrl-L clears the screen and redraws the line at the top", () => {
    const t = setup();
    t.feed("abc", K.LEFT);
    t.take();
    t.feed(K.CL);
    expect(t.take()).toBe("\x1b[H\x1b[2J$ abc\x1b[5G");
  });

  it("keeps typeahead while an input runs, and drops it on ^C", () => {
    const t = setup();
    t.feed("sleep 1", K.ENTER, "ls");
    t.editor.finish("", "$ ");
    expect(t.editor.state.buffer).toBe("ls");
    t.feed(K.ENTER, "whoami", K.CC);
    t.editor.finish("a b\n", "$ ");
    expect(t.editor.state.buffer).toBe("");
    expect(t.out()).toContain("^C\r\na b\r\n$ ");
  });

  it("types text from a code block into the line without running it", () => {
    const t = setup();
    t.editor.type("ip netns add red\n");
    expect(t.editor.state).toMatchObject({ buffer: "ip netns add red", cursor: 16, mode: "edit" });
    expect(t.submitted).toEqual([]);
  });

  it("replaces a half-typed line with the code block's text (Ctrl-Y brings it back)", () => {
    const t = setup();
    t.feed("kubectl ge");
    t.editor.type("hostname");
    expect(t.editor.state).toMatchObject({ buffer: "hostname", cursor: 8 });
    expect(t.screen.lines()).toEqual(["$ hostname"]);
    t.feed(K.CY);
    expect(t.editor.state.buffer).toBe("hostnamekubectl ge");
  });

  it("runs a multi-line block typed from a code block as one input", () => {
    const t = setup();
    t.editor.type("ip netns add red\nip netns add blue");
    t.feed(K.ENTER);
    expect(t.submitted).toEqual(["ip netns add red\nip netns add blue"]);
  });
});

describe("LineEditor: continuation and paste", () => {
  it("continues an open quote with the > prompt", () => {
    const t = setup();
    t.feed("echo 'a", K.ENTER, "b'", K.ENTER);
    expect(t.submitted).toEqual(["echo 'a\nb'"]);
    expect(t.out()).toBe("$ echo 'a\r\n> b'");
  });

  it("runs each pasted line in order", () => {
    const t = setup();
    t.feed(paste("echo a\recho b\r"));
    expect(t.submitted).toEqual(["echo a"]);
    t.editor.finish("a\n", "$ ");
    expect(t.submitted).toEqual(["echo a", "echo b"]);
    t.editor.finish("b\n", "$ ");
    expect(t.editor.state).toMatchObject({ mode: "edit", buffer: "" });
  });

  it("runs a pasted here-document as one input", () => {
    const t = setup();
    t.feed(paste("cat <<EOF > /tmp/x\nhello\nEOF\n"));
    expect(t.submitted).toEqual(["cat <<EOF > /tmp/x\nhello\nEOF"]);
    expect(t.out()).toBe("$ cat <<EOF > /tmp/x\r\n> hello\r\n> EOF");
  });

  it("leaves a pasted last line without newline in the buffer", () => {
    const t = setup();
    t.feed(paste("echo a\r\necho b"));
    t.editor.finish("a\n", "$ ");
    expect(t.submitted).toEqual(["echo a"]);
    expect(t.editor.state.buffer).toBe("echo b");
  });

  it("joins a paste split across two data events", () => {
    const t = setup();
    t.feed("\x1b[200~echo hel", "lo\x1b[201~");
    expect(t.editor.state.buffer).toBe("echo hello");
  });

  it("asks an asynchronous isIncomplete and queues keys meanwhile", async () => {
    const t = setup({ async: true });
    t.feed("cat <<EOF", K.ENTER, "hi", K.ENTER, "EOF", K.ENTER);
    await flush();
    await flush();
    await flush();
    expect(t.submitted).toEqual(["cat <<EOF\nhi\nEOF"]);
  });

  it("^C in a continuation abandons the whole input", () => {
    const t = setup();
    t.feed("echo 'a", K.ENTER, "b", K.CC);
    expect(t.editor.state).toMatchObject({ continuation: null, buffer: "", prompt: "$ " });
    expect(t.out().endsWith("> b^C\r\n$ ")).toBe(true);
  });
});

describe("LineEditor: history", () => {
  const history = ["kubectl get pods", "ls", "kubectl get nodes"];

  it("↑/↓ walk the history and come back to the line being typed", () => {
    const t = setup({ history });
    t.feed("draft", K.UP);
    expect(t.editor.state.buffer).toBe("kubectl get nodes");
    t.feed(K.UP, K.UP);
    expect(t.editor.state.buffer).toBe("kubectl get pods");
    t.feed(K.UP);
    expect(t.out().endsWith("\x07")).toBe(true);
    t.feed(K.DOWN, K.DOWN, K.DOWN);
    expect(t.editor.state).toMatchObject({ buffer: "draft", cursor: 5 });
  });

  it("keeps edits to a recalled line until a line is accepted", () => {
    const t = setup({ history });
    t.feed(K.UP, " -A", K.UP, K.DOWN);
    expect(t.editor.state.buffer).toBe("kubectl get nodes -A");
    t.feed(K.ENTER);
    t.editor.finish("", "$ ");
    t.feed(K.UP, K.UP);
    expect(t.editor.state.buffer).toBe("kubectl get nodes");
  });

  it("records entries as bash with ignoreboth does", () => {
    const t = setup();
    for (const line of ["ls", "ls", " secret", "pwd"]) {
      t.feed(line, K.ENTER);
      t.editor.finish("", "$ ");
    }
    expect(t.editor.entries).toEqual(["ls", "pwd"]);
  });

  it("Ctrl-R searches backwards incrementally and Enter runs the match", () => {
    const t = setup({ history });
    t.feed(K.CR_SEARCH);
    expect(t.screen.lines()).toEqual(["(reverse-i-search)`':"]);
    t.feed("kub");
    expect(t.screen.lines()).toEqual(["(reverse-i-search)`kub': kubectl get nodes"]);
    t.feed(K.CR_SEARCH);
    expect(t.screen.lines()).toEqual(["(reverse-i-search)`kub': kubectl get pods"]);
    t.feed(K.ENTER);
    expect(t.submitted).toEqual(["kubectl get pods"]);
    expect(t.screen.lines()).toEqual(["$ kubectl get pods"]);
    t.editor.flush();
    expect(t.screen.cursor).toEqual({ row: 1, col: 0 });
  });

  it("Ctrl-R puts the cursor on the match", () => {
    const t = setup({ history });
    t.feed(K.CR_SEARCH, "get");
    const prompt = "(reverse-i-search)`get': ";
    expect(t.screen.lines()).toEqual([`${prompt}kubectl get nodes`]);
    expect(t.screen.cursor).toEqual({ row: 0, col: prompt.length + "kubectl ".length });
  });

  it("a movement key leaves the search with the match in the line", () => {
    const t = setup({ history });
    t.feed(K.CR_SEARCH, "ls", K.RIGHT);
    expect(t.editor.state).toMatchObject({ mode: "edit", buffer: "ls", cursor: 1 });
    expect(t.screen.lines()).toEqual(["$ ls"]);
    expect(t.screen.cursor).toEqual({ row: 0, col: 3 });
  });

  it("a failed search says so and keeps the last match", () => {
    const t = setup({ history });
    t.feed(K.CR_SEARCH, "nodes", "zz");
    expect(t.screen.lines()).toEqual(["(failed reverse-i-search)`nodeszz': kubectl get nodes"]);
    expect(t.screen.bells).toBe(1);
  });

  it("Ctrl-G leaves the search and restores the line", () => {
    const t = setup({ history });
    t.feed("draft", K.CR_SEARCH, "kub", K.CG);
    expect(t.editor.state).toMatchObject({ mode: "edit", buffer: "draft", cursor: 5 });
  });

  it("Esc (leaveSearch) keeps the match without running it", () => {
    const t = setup({ history });
    t.feed(K.CR_SEARCH, "pods");
    expect(t.editor.leaveSearch()).toBe(true);
    expect(t.editor.state).toMatchObject({ mode: "edit", buffer: "kubectl get pods" });
    expect(t.submitted).toEqual([]);
  });
});

describe("LineEditor: completion", () => {
  it("completes a single candidate and adds a space", () => {
    const t = setup();
    t.feed("hostn", K.TAB);
    expect(t.editor.state).toMatchObject({ buffer: "hostname ", cursor: 9 });
  });

  it("completes a directory without a space", () => {
    const t = setup();
    t.feed("ls /e", K.TAB);
    expect(t.editor.state.buffer).toBe("ls /etc/");
  });

  it("inserts the common prefix, then lists the candidates on a second Tab", () => {
    const t = setup();
    t.feed("ku", K.TAB);
    expect(t.editor.state.buffer).toBe("kube");
    t.feed(K.TAB);
    expect(t.out().endsWith("\x07")).toBe(true);
    t.take();
    t.feed(K.TAB);
    expect(t.take()).toBe("\r\nkubeadm  kubectl  kubelet\r\n$ kube");
  });

  it("lists file names without the directory typed so far", () => {
    const t = setup();
    t.feed("ls /etc/ap", K.TAB);
    expect(t.editor.state.buffer).toBe("ls /etc/ap");
    t.take();
    t.feed(K.TAB);
    expect(t.take()).toBe("\r\napparmor.d/  apt/\r\n$ ls /etc/ap");
  });

  it("asks before listing more than 100 candidates", () => {
    const t = setup();
    t.feed("ls many", K.TAB);
    expect(t.editor.state.buffer).toBe("ls many");
    t.feed(K.TAB);
    expect(t.out()).toContain("\r\nDisplay all 150 possibilities? (y or n)");
    t.take();
    t.feed("n");
    expect(t.take()).toBe("\r\n$ ls many");
    t.feed(K.TAB, K.TAB, "y");
    expect(t.out()).toContain("many149");
    expect(t.editor.state).toMatchObject({ mode: "edit", buffer: "ls many" });
  });

  it("waits for asynchronous candidates and keeps what was typed meanwhile", async () => {
    const t = setup({ async: true });
    t.feed("hostn", K.TAB, "-f");
    expect(t.editor.state.mode).toBe("completing");
    await flush();
    expect(t.editor.state).toMatchObject({ mode: "edit", buffer: "hostname -f" });
  });

  it("lays out columns down then across, like readline", () => {
    expect(formatColumns(["a", "b", "c", "d", "e"], 10)).toEqual(["a  c  e", "b  d"]);
    // A row exactly as wide as the screen would wrap: one column fewer (readline's rule).
    expect(formatColumns(["a", "b", "c", "d", "e"], 9)).toEqual(["a  d", "b  e", "c"]);
    expect(formatColumns(["alpha", "beta"], 80)).toEqual(["alpha  beta"]);
    expect(formatColumns(["x".repeat(100)], 80)).toEqual(["x".repeat(100)]);
  });
});

describe("LineEditor: wrapped lines", () => {
  it("forces the wrap when the line ends at the right margin", () => {
    const t = setup({ columns: 10 });
    t.feed("abcdefgh");
    expect(t.out()).toBe("$ abcdefgh \b");
    expect(t.screen.wrapped.slice(0, 2)).toEqual([false, true]);
  });

  it("moves the cursor across rows", () => {
    const t = setup({ columns: 10 });
    t.feed("abcdefgh");
    expect(t.screen.cursor).toEqual({ row: 1, col: 0 });
    t.take();
    t.feed(K.LEFT);
    expect(t.take()).toBe("\x1b[1A\x1b[10G");
    expect(t.screen.cursor).toEqual({ row: 0, col: 9 });
    t.feed(K.HOME);
    expect(t.take()).toBe("\x1b[3G");
    t.feed(K.END);
    expect(t.take()).toBe("\x1b[1B\r");
  });

  it("redraws from the changed character across rows", () => {
    const t = setup({ columns: 10 });
    t.feed("abcdefghijkl", K.HOME);
    t.take();
    t.feed("X");
    // From (0,2): clear, rewrite the line, then back to just after the X.
    expect(t.take()).toBe("\x1b[JXabcdefghijkl\x1b[1A\x1b[4G");
    expect(t.screen.lines()).toEqual(["$ Xabcdefg", "hijkl"]);
    expect(t.screen.cursor).toEqual({ row: 0, col: 3 });
  });

  it("keeps screen and cursor right through edits on a long wrapped line", () => {
    const t = setup({ columns: 12 });
    const keys = ["kubectl get pods -A -o wide", K.HOME, K.ALT_F, K.ALT_F, "X", K.END, K.BS, K.BS, K.CW, K.CA, K.CK, "ls -la /etc", K.LEFT, K.LEFT, K.CU];
    for (const key of keys) {
      t.feed(key);
      const { buffer, cursor } = t.editor.state;
      const full = "$ " + buffer;
      const expected: string[] = [];
      for (let i = 0; i < full.length; i += 12) expected.push(full.slice(i, i + 12));
      expect(t.screen.lines()).toEqual(expected.map((l) => l.replace(/\s+$/, "")).filter((l, i, a) => l !== "" || i < a.length - 1));
      const at = 2 + cursor;
      expect(t.screen.cursor).toEqual({ row: Math.floor(at / 12), col: at % 12 });
      // Every row after the first continues the line, so xterm keeps them together on a resize.
      const rows = Math.ceil((full.length + 1) / 12);
      expect(t.screen.wrapped.slice(0, rows)).toEqual(Array.from({ length: rows }, (_, i) => i > 0));
    }
    expect(t.editor.state.buffer).toBe("tc");
  });

  it("keeps the cursor right when a multi-line buffer is edited", () => {
    const t = setup({ columns: 20 });
    t.editor.type("echo one\necho two");
    expect(t.screen.lines()).toEqual(["$ echo one", "echo two"]);
    t.feed(K.HOME, K.DEL, "E");
    expect(t.screen.lines()).toEqual(["$ Echo one", "echo two"]);
    expect(t.screen.cursor).toEqual({ row: 0, col: 3 });
    t.feed(K.END, K.BS, "O");
    expect(t.screen.lines()).toEqual(["$ Echo one", "echo twO"]);
    expect(t.screen.cursor).toEqual({ row: 1, col: 8 });
  });

  it("Enter moves to the end of a wrapped line first", () => {
    const t = setup({ columns: 10 });
    t.feed("echo abcdefghij", K.HOME);
    t.take();
    t.feed(K.ENTER);
    t.editor.flush();
    expect(t.take()).toBe("\x1b[1B\x1b[8G\r\n");
  });

  it("redraws the line for a new width", () => {
    const t = setup({ columns: 10 });
    t.feed("abcdefghijkl");
    t.take();
    t.editor.resize(40);
    expect(t.take()).toBe("\x1b[1A\r\x1b[J$ abcdefghijkl");
  });

  it("lays out wide characters that do not fit on the next row", () => {
    const starts = layoutText("abc日", 0, 4);
    expect(starts[3]).toEqual({ row: 1, col: 0 });
    expect(starts[4]).toEqual({ row: 1, col: 2 });
  });
});

describe("tokenize", () => {
  it("splits keys, text and pastes", () => {
    expect(tokenize("ab\x1b[Dc\r\x1bb\x7f").tokens).toEqual([
      { kind: "text", text: "ab" },
      { kind: "key", seq: "\x1b[D" },
      { kind: "text", text: "c" },
      { kind: "key", seq: "\r" },
      { kind: "key", seq: "\x1bb" },
      { kind: "key", seq: "\x7f" },
    ]);
    expect(tokenize(paste("a\tb\r\nc")).tokens).toEqual([{ kind: "text", text: "a\tb" }, { kind: "enter" }, { kind: "text", text: "c" }]);
  });
});
