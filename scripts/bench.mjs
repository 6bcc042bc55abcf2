// `npm run bench`: the engine benchmarks, bundled by esbuild as a production build bundles the
// engine, then run. Under tsx every function and class keeps its name through a wrapper made
// each time a closure is created (esbuild's keepNames), which cost a mesh boot 3 % that no
// page or grader pays.
import path from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

const entry = process.argv[2] ?? "bench/index.ts";
const outfile = path.resolve(".bench", `${path.basename(entry, ".ts")}.mjs`);
await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: "node",
  format: "esm",
  target: `node${process.versions.node.split(".")[0]}`,
  // Dependencies load from node_modules as they are; only our own code is bundled.
  packages: "external",
  logLevel: "warning",
});
await import(pathToFileURL(outfile).href);
