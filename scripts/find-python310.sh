#!/usr/bin/env bash
# Prints the path of a Python 3.10 interpreter for the Rasa environment:
# uv's own discovery, then pyenv, then any pyenv-style install, then uv's download.
set -euo pipefail
uv="${1:?usage: find-python310.sh UV}"

is_310() { [ -x "$1" ] && "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; }

if found=$("$uv" python find --no-python-downloads 3.10 2>/dev/null) && is_310 "$found"; then
  echo "$found"; exit 0
fi
if command -v pyenv >/dev/null 2>&1 && prefix=$(pyenv prefix 3.10 2>/dev/null) && is_310 "$prefix/bin/python3.10"; then
  echo "$prefix/bin/python3.10"; exit 0
fi
for candidate in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.10*/bin/python3.10 /usr/bin/python3.10 /usr/local/bin/python3.10 /opt/homebrew/bin/python3.10; do
  if is_310 "$candidate"; then echo "$candidate"; exit 0; fi
done
echo "No Python 3.10 found: asking uv to install one..." >&2
"$uv" python install 3.10 >&2
"$uv" python find 3.10
