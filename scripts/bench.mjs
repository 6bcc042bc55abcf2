// `npm run bench`: the engine benchmarks, bundled by esbuild into one scope as the production
// build bundles the engine, then run. Under tsx each module's imports are reached through
// getters and every closure is wrapped to keep its name (esbuild's keepNames): a mesh boot's
// median was up to a fifth slower, a cost no page or grader pays.
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
