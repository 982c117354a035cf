#!/usr/bin/env bash
# Create .venv and install a requirements file into it. On a fresh Debian/Ubuntu machine
# `python3 -m venv` needs the python3-venv package: installed here when we are root.
set -euo pipefail
requirements=${1:-requirements.txt}
python=${PYTHON:-python3}

if ! command -v "$python" >/dev/null; then
  echo "Python 3.11+ is needed ($python not found)" >&2; exit 1
fi
"$python" - <<'PY' || { echo "Python 3.11 or newer is needed" >&2; exit 1; }
import sys; sys.exit(sys.version_info < (3, 11))
PY

if [ ! -x .venv/bin/python ]; then
  if ! "$python" -m venv .venv 2>/dev/null; then
    rm -rf .venv
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      v=$("$python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq
      apt-get install -y -qq "python$v-venv" || apt-get install -y -qq python3-venv
      "$python" -m venv .venv
    else
      echo "cannot create a virtualenv: install python3-venv" >&2; exit 1
    fi
  fi
  .venv/bin/python -m pip install -q --upgrade pip
fi
.venv/bin/python -m pip install -q -r "$requirements"
