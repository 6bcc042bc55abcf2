// Generates the Prisma client offline. `prisma generate` never runs the schema engine, but the
// CLI tries to download it unless PRISMA_SCHEMA_ENGINE_BINARY names an existing file; the
// registries here do not serve that binary, so we point the variable at node itself.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

if (!existsSync("prisma/schema.prisma")) process.exit(0);
const env = { ...process.env };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;
env.PRISMA_HIDE_UPDATE_MESSAGE = "1";
env.CHECKPOINT_DISABLE = "1";
const r = spawnSync(process.execPath, ["node_modules/prisma/build/index.js", "generate"], { env, stdio: "inherit" });
process.exit(r.status ?? 1);
