import next from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...next,
  ...nextTs,
  { ignores: [".next/**", ".next-*/**", ".scratch/**", ".bench/**", "node_modules/**", "lib/db/generated/**", "test-results/**", ".data/**", "next-env.d.ts"] },
  {
    // The engine runs in a Web Worker and on the server, replayed for grading: it must be
    // deterministic and must not reach into the app, the DOM or the database.
    files: ["lib/engine/**/*.ts"],
    rules: {
      "no-restricted-globals": ["error",
        { name: "setTimeout", message: "The engine uses a virtual clock." },
        { name: "setInterval", message: "The engine uses a virtual clock." },
        { name: "performance", message: "The engine uses a virtual clock." },
        { name: "window", message: "The engine has no DOM." },
        { name: "document", message: "The engine has no DOM." },
      ],
      "no-restricted-properties": ["error",
        { object: "Math", property: "random", message: "Use the seeded PRNG from the engine context." },
        { object: "Date", property: "now", message: "Use the virtual clock from the engine context." },
      ],
      "no-restricted-syntax": ["error",
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: "Use the virtual clock from the engine context." },
      ],
      "no-restricted-imports": ["error", { patterns: [
        { group: ["@/app/*", "@/lib/terminal*", "@/lib/content*", "@/lib/grading*", "@/lib/db*", "@/lib/auth*", "react", "react-dom", "next", "next/*", "@prisma/*", "node:*"], message: "lib/engine imports nothing from the rest of the project, React, Next, Prisma or Node." },
      ] }],
    },
  },
];
export default config;
