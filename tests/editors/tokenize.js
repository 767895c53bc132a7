// Tokenizes files with the TextMate grammar through vscode-textmate and
// vscode-oniguruma (the engine VS Code uses) and prints, as JSON, each
// file's tokens: [line, start, end, scopes] (columns in UTF-16 units).
//   node tokenize.js NODE_MODULES GRAMMAR FILE...
const fs = require('fs');
const path = require('path');
const [modules, grammarPath, ...files] = process.argv.slice(2);
const vsctm = require(path.join(modules, 'vscode-textmate'));
const oniguruma = require(path.join(modules, 'vscode-oniguruma'));

async function main() {
    const wasm = fs.readFileSync(path.join(modules, 'vscode-oniguruma/release/onig.wasm')).buffer;
    await oniguruma.loadWASM(wasm);
    const registry = new vsctm.Registry({
        onigLib: Promise.resolve({
            createOnigScanner: (p) => new oniguruma.OnigScanner(p),
            createOnigString: (s) => new oniguruma.OnigString(s),
        }),
        loadGrammar: async () => vsctm.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath),
    });
    const grammar = await registry.loadGrammar('source.mvd');
    const out = {};
    for (const file of files) {
        const lines = fs.readFileSync(file, 'utf8').split('\n');
        let state = vsctm.INITIAL;
        const tokens = [];
        lines.forEach((line, i) => {
            const r = grammar.tokenizeLine(line, state);
            for (const t of r.tokens)
                tokens.push([i, t.startIndex, Math.min(t.endIndex, line.length), t.scopes.join(' ')]);
            state = r.ruleStack;
        });
        out[file] = tokens;
    }
    process.stdout.write(JSON.stringify(out));
}
main().catch((e) => { console.error(e); process.exit(1); });
