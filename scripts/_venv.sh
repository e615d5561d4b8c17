# Shared by scripts/run and scripts/test: create .venv with Python >= 3.11 and install the project.
# Usage: . scripts/_venv.sh [extras]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-}"
if [ -z "$PYTHON" ]; then
  for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
      PYTHON="$candidate"; break
    fi
  done
fi
if [ -z "$PYTHON" ]; then
  echo "IMVO Monitor needs Python 3.11 or newer; none was found on PATH." >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  echo "==> creating virtual environment in .venv ($("$PYTHON" --version))"
  "$PYTHON" -m venv .venv
fi
# Reinstall only when pyproject.toml changed since the last install.
STAMP=".venv/.imvo-installed-${1:-base}"
if [ ! -f "$STAMP" ] || [ pyproject.toml -nt "$STAMP" ]; then
  echo "==> installing IMVO Monitor${1:+ with extras [$1]}"
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e ".${1:+[$1]}"
  touch "$STAMP"
fi
export PATH="$ROOT/.venv/bin:$PATH"
