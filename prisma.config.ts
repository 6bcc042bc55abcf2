// Configuration for the Prisma CLI (generate; and migrate status on machines that have the
// schema engine). The app itself never reads this file: lib/db picks its driver adapter.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/netlab" },
});
