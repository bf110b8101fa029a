// Prints the atomic-weight table of src/elements/data.ts as JSON, for the Python reference
// script. Transpiles the data module in memory, so no build is needed.
import { readFileSync } from 'node:fs';
import ts from 'typescript';

const source = readFileSync(new URL('../src/elements/data.ts', import.meta.url), 'utf8');
const { outputText } = ts.transpileModule(source, {
  compilerOptions: {
    module: ts.ModuleKind.ESNext,
    target: ts.ScriptTarget.ES2022,
    verbatimModuleSyntax: false,
  },
});
const { ATOMIC_WEIGHTS_SOURCE, ELEMENTS } = await import(
  `data:text/javascript;base64,${Buffer.from(outputText).toString('base64')}`
);
process.stdout.write(
  `${JSON.stringify({ source: ATOMIC_WEIGHTS_SOURCE, elements: ELEMENTS }, null, 1)}\n`,
);
