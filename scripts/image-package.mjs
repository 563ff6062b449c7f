#!/usr/bin/env node
// Used by the Dockerfile: rewrites package.json for the image, which holds the compiled bot (dist/)
// and production dependencies only, no sources and no tsx. Every user-facing script that runs
// `tsx src/X.ts` runs `node dist/X.js` instead; development scripts (build, test, lint, bench) go.
//   node scripts/image-package.mjs [package.json]
import { readFileSync, writeFileSync } from "node:fs";

const file = process.argv[2] ?? "package.json";
const pkg = JSON.parse(readFileSync(file, "utf8"));
const scripts = {};
for (const [name, command] of Object.entries(pkg.scripts ?? {})) {
  const source = /^tsx src\/(\S+)\.ts(.*)$/.exec(command);
  if (source) scripts[name] = `node dist/${source[1]}.js${source[2]}`;
}
pkg.scripts = scripts;
delete pkg.devDependencies;
writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
console.log(
  `Image scripts: ${Object.entries(scripts)
    .map(([n, c]) => `${n} = ${c}`)
    .join("; ")}`,
);
