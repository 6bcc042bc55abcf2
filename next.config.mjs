/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // Separate build folders let several builds of one checkout (e.g. parallel e2e runs) coexist.
  distDir: process.env.NETLAB_DIST_DIR || ".next",
  poweredByHeader: false,
  // `npm test` typechecks the whole tree (and lib/engine against its own, DOM-free tsconfig)
  // once; the build does not repeat it.
  typescript: { ignoreBuildErrors: true },
  // PGlite ships WebAssembly and data files it loads from its own folder, and mdx-bundler
  // drives esbuild's native binary: both must be required at run time, not bundled.
  serverExternalPackages: ["@electric-sql/pglite", "pglite-prisma-adapter", "mdx-bundler", "esbuild", "pg"],
  outputFileTracingIncludes: { "/**": ["./content/**/*", "./prisma/migrations/**/*"] },
};
export default nextConfig;
