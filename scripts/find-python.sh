#!/usr/bin/env bash
# Prints the path of a Python 3.8-3.10 interpreter (Rasa 3.6 needs one), or fails with a hint.
# Order: $PYTHON, python3.10/3.9/3.8 on PATH (pyenv shims included), pyenv's versions, python3.
set -u
pyenv_root=${PYENV_ROOT:-$HOME/.pyenv}
# pyenv shims only run a version that is selected: select the newest installed 3.10 for them
PYENV_VERSION=$(ls "$pyenv_root/versions" 2>/dev/null | grep -E '^3\.10\.' | sort -V | tail -n1)
export PYENV_VERSION
candidates=()
[ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
candidates+=(python3.10 python3.9 python3.8)
for p in "$pyenv_root"/versions/3.10*/bin/python3 "$pyenv_root"/versions/3.9*/bin/python3; do
  [ -x "$p" ] && candidates+=("$p")
done
candidates+=(python3)
for c in "${candidates[@]}"; do
  path=$(command -v "$c" 2>/dev/null) || continue
  # print the real interpreter (not a shim) so the virtualenv never depends on PYENV_VERSION
  "$path" -c 'import sys; assert (3, 8) <= sys.version_info[:2] <= (3, 10); print(sys.executable)' 2>/dev/null && exit 0
done
echo "No Python 3.8-3.10 found (Rasa 3.6 needs one): install python3.10 or run make PYTHON=/path/to/python3.10" >&2
exit 1
