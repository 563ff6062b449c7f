#!/usr/bin/env node
// Part of `npm run build`: compiles the memory strategies in examples/ and plugins/ (TypeScript, tests
// left out) into dist/examples/ and dist/plugins/, so the compiled bot and the image load them. A
// relative import of the bot's own source (`../../src/index.js`) is pointed at its compiled twin in
// dist, so a strategy may use the bot's helpers as well as its types.
//   node scripts/build-plugins.mjs [--out DIR]   (default: dist)
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { parseArgs } from "node:util";
import ts from "typescript";

const ROOT = resolve(import.meta.dirname, "..");
/** The folders whose strategies are compiled, each into the same path under the output folder. */
const PLUGIN_FOLDERS = ["examples", "plugins"];

const { values } = parseArgs({ options: { out: { type: "string", default: "dist" } } });
const out = resolve(ROOT, values.out);
// The package is ESM ("type": "module"); transpiling one file at a time cannot see that, so say it.
const compilerOptions = {
  module: ts.ModuleKind.ES2022,
  target: ts.ScriptTarget.ES2022,
  verbatimModuleSyntax: true,
};

function sources(folder) {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter(
      (e) =>
        e.isFile() && e.name.endsWith(".ts") && !e.name.endsWith(".test.ts") && !e.name.endsWith(".d.ts"),
    )
    .map((e) => join(e.parentPath, e.name));
}

/** `../../src/x.js` seen from `file` -> the same module in the output folder, seen from the output file. */
function retarget(specifier, file, outFile) {
  if (!specifier.startsWith(".")) return specifier;
  const target = resolve(dirname(file), specifier);
  const src = join(ROOT, "src") + sep;
  if (!target.startsWith(src)) return specifier;
  const moved = relative(dirname(outFile), join(out, target.slice(src.length)))
    .split(sep)
    .join("/");
  return moved.startsWith(".") ? moved : `./${moved}`;
}

function retargetImports(file, outFile) {
  return (context) => (root) => {
    const visit = (node) => {
      const f = context.factory;
      if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
        const to = f.createStringLiteral(retarget(node.moduleSpecifier.text, file, outFile));
        return f.updateImportDeclaration(node, node.modifiers, node.importClause, to, node.attributes);
      }
      if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
        const to = f.createStringLiteral(retarget(node.moduleSpecifier.text, file, outFile));
        return f.updateExportDeclaration(
          node,
          node.modifiers,
          node.isTypeOnly,
          node.exportClause,
          to,
          node.attributes,
        );
      }
      return ts.visitEachChild(node, visit, context);
    };
    return ts.visitNode(root, visit);
  };
}

let built = 0;
for (const folder of PLUGIN_FOLDERS) {
  for (const file of sources(join(ROOT, folder))) {
    const outFile = join(out, relative(ROOT, file)).replace(/\.ts$/, ".js");
    const result = ts.transpileModule(readFileSync(file, "utf8"), {
      compilerOptions,
      fileName: file,
      transformers: { before: [retargetImports(file, outFile)] },
    });
    mkdirSync(dirname(outFile), { recursive: true });
    writeFileSync(outFile, result.outputText);
    built++;
  }
}
console.log(
  `Compiled ${built} strategy module${built === 1 ? "" : "s"} from ${PLUGIN_FOLDERS.join("/, ")}/ into ${relative(ROOT, out) || "."}/`,
);
