// Replays the `console` blocks of lessons on each lesson's own cluster and prints where the engine
// now prints something else: `npm run console-blocks [-- SLUG…]`. One session per lesson follows
// the prose in order: a `bash` block is typed as the learner would (on the control plane), and
// every prompt line of a `console` block (`host:~$ command`) runs on the host its prompt names
// (the session ssh-es there) and its output is compared. A report for lesson writers after an engine
// change (pod names and addresses that moved, a tool whose output changed), not a test: prose may
// show output a learner reaches later, or on purpose not at all, so it never fails.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { createCluster } from "../lib/engine";
import { getLessonData, listLessons } from "../lib/content";
import { clusterOptions, lessonCluster } from "../lib/grading/lesson-cluster";

const LESSONS = path.join(process.cwd(), "content", "lessons");
const TYPING_MS = 1_000;
const PROMPT = /^([a-z0-9-]+):([^$#]*)[$#] (.*)$/;

interface Step {
  host: string;
  command: string;
  /** What the block shows after the prompt line; undefined for a `bash` block's lines (only typed). */
  expected?: string;
  line: number;
}

/** Each `bash` block whole, and the prompt lines of every `console` block, each with the lines that follow it up to the next prompt. */
function steps(mdx: string, controlPlane: string): Step[] {
  const out: Step[] = [];
  const lines = mdx.split("\n");
  let inBlock = false;
  let script: { line: number; body: string[] } | undefined;
  let current: (Step & { body: string[] }) | undefined;
  const flush = () => {
    if (current) out.push({ host: current.host, command: current.command, expected: current.body.join("\n"), line: current.line });
    current = undefined;
  };
  lines.forEach((text, i) => {
    if (script) {
      if (/^```\s*$/.test(text)) {
        out.push({ host: controlPlane, command: script.body.join("\n"), line: script.line });
        script = undefined;
      } else script.body.push(text);
    } else if (/^```(bash|sh)\s*$/.test(text)) script = { line: i + 2, body: [] };
    else if (/^```console\s*$/.test(text)) inBlock = true;
    else if (inBlock && /^```\s*$/.test(text)) {
      flush();
      inBlock = false;
    } else if (inBlock) {
      const m = PROMPT.exec(text);
      if (m) {
        flush();
        current = { host: m[1], command: m[3], expected: "", line: i + 1, body: [] };
      } else if (current && current.body.length === 0 && (text.startsWith("> ") || openHereDoc(current.command))) {
        // The command goes on: the shell's continuation prompt, or a here-document's body shown bare.
        current.command += `\n${text.startsWith("> ") ? text.slice(2) : text}`;
      } else current?.body.push(text);
    }
  });
  return out;
}

/** A here-document whose terminator line has not come yet. */
function openHereDoc(command: string): boolean {
  const marker = /<<-?\s*['"]?(\w+)['"]?/.exec(command.split("\n")[0])?.[1];
  return marker !== undefined && !command.split("\n").slice(1).some((line) => line.trim() === marker);
}

async function replay(slug: string, folder: string): Promise<number> {
  const meta = (await listLessons()).find((l) => l.slug === slug);
  if (!meta) throw new Error(`no lesson ${slug}`);
  const cluster = createCluster(clusterOptions(lessonCluster(meta, await getLessonData(slug))));
  const sh = cluster.shell();
  const controlPlane = sh.prompt().split(":")[0];
  let differences = 0;
  for (const step of steps(readFileSync(path.join(LESSONS, folder, "lesson.mdx"), "utf8"), controlPlane)) {
    const here = sh.prompt().split(":")[0];
    if (here !== step.host) {
      if (here !== controlPlane) await sh.run("exit");
      if (step.host !== controlPlane) await sh.run(`ssh ${step.host}`);
    }
    if (sh.prompt().split(":")[0] !== step.host) {
      console.log(`  ${folder}/lesson.mdx:${step.line}: cannot reach ${step.host} to run: ${step.command}`);
      differences++;
      continue;
    }
    // A learner takes a moment to type each command: controllers and the dataplane catch up.
    const result = await sh.run(step.command, { elapsedMs: TYPING_MS });
    if (step.expected === undefined) continue;
    // A terminal shows CR LF (curl -i's headers) as a line end.
    const actual = (result.stdout + result.stderr).replace(/\r\n/g, "\n").replace(/\n$/, "");
    if (actual.trimEnd() === step.expected.trimEnd()) continue;
    differences++;
    console.log(`  ${folder}/lesson.mdx:${step.line}: ${step.host}$ ${step.command}`);
    const want = step.expected.split("\n");
    const got = actual.split("\n");
    for (let i = 0; i < Math.max(want.length, got.length); i++) {
      if (want[i] === got[i]) continue;
      if (want[i] !== undefined) console.log(`    - ${want[i]}`);
      if (got[i] !== undefined) console.log(`    + ${got[i]}`);
    }
  }
  return differences;
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const folders = readdirSync(LESSONS).filter((f) => /^\d\d-/.test(f)).sort();
  let total = 0;
  for (const folder of folders) {
    const slug = folder.slice(3);
    if (wanted.length && !wanted.includes(slug)) continue;
    const n = await replay(slug, folder);
    console.log(`${slug}: ${n === 0 ? "every console block matches" : `${n} command(s) print something else`}`);
    total += n;
  }
  console.log(`\n${total} difference(s). Differences are for a writer to judge: output shown out of order, on purpose, or after an exercise is expected.`);
}

void main();
