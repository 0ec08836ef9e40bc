#!/usr/bin/env bash
# Installs the Debian packages the full test suite needs and that are missing (as root, or through a sudo that needs
# no password); otherwise names the one command that installs them. scripts/test.sh calls it; so does CI, through it.
set -euo pipefail
command -v dotnet >/dev/null || { echo "the .NET 10 SDK is required: https://dotnet.microsoft.com/download" >&2; exit 1; }

need_apt=()
command -v dotnet >/dev/null || { echo ".ci/run: the .NET 10 SDK is required" >&2; exit 1; }
command -v npm >/dev/null || need_apt+=(npm)
# The judge's sandbox: bubblewrap, Debian's own Python under /usr (the only tree the sandbox sees), util-linux.
command -v bwrap >/dev/null || need_apt+=(bubblewrap)
[ -x /usr/bin/python3 ] || need_apt+=(python3-minimal)
{ command -v prlimit >/dev/null && command -v setpriv >/dev/null; } || need_apt+=(util-linux)
# The bus tests' broker (scripts/test.sh starts it).
command -v rabbitmq-server >/dev/null || need_apt+=(rabbitmq-server)
# The local cluster's test has a real Prometheus scrape the services and answers a PromQL query.
[ -x /usr/bin/prometheus ] || need_apt+=(prometheus)
# The model's parity tests compare logits with an independent PyTorch forward pass and the chat formats with the
# templates the tokenizers ship (tests/reference/*.py, run by Debian's python3).
/usr/bin/python3 -c "import torch, numpy" 2>/dev/null || need_apt+=(python3-torch python3-numpy)
/usr/bin/python3 -c "import jinja2" 2>/dev/null || need_apt+=(python3-jinja2)
# The dashboard's browser tests drive Debian's headless Chromium through its chromedriver.
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
[ -x /usr/bin/chromedriver ] || need_apt+=(chromium-driver)
[ "${#need_apt[@]}" -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then as_root=(); elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then as_root=(sudo -n); else
  echo "the tests need Debian packages that are not installed; run: sudo apt-get install -y ${need_apt[*]}" >&2
  exit 1
fi
echo "installing what the tests need: ${need_apt[*]}" >&2
"${as_root[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq "${need_apt[@]}"

