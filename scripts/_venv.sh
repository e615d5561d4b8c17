# Shared by scripts/run and scripts/test: create .venv with Python >= 3.11 and install the project.
# Usage: . scripts/_venv.sh [extras]        e.g. `. scripts/_venv.sh dev` (scripts/test)
#        IMVO_EXTRAS=EXTRAS; . scripts/_venv.sh (scripts/run: IMVO_EXTRAS="" for none)
# `.` hands the caller's own arguments to this file when it is sourced without any, so
# `./scripts/run --port 8080` would arrive here as "--port" "8080": when IMVO_EXTRAS is set
# (even empty) it alone names the extras and the arguments are ignored, and an argument
# that starts with "-" is never an extra.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
if [ -n "${IMVO_EXTRAS+set}" ]; then
  EXTRAS="$IMVO_EXTRAS"
else
  case "${1:-}" in
    -*) EXTRAS="" ;;
    *) EXTRAS="${1:-}" ;;
  esac
fi
case "$EXTRAS" in
  *[!A-Za-z0-9,_-]* | -* | ,*)
    echo "scripts/_venv.sh: '$EXTRAS' is not a list of extras such as 'dev'" >&2
    exit 2
    ;;
esac
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
STAMP=".venv/.imvo-installed-${EXTRAS:-base}"
if [ ! -f "$STAMP" ] || [ pyproject.toml -nt "$STAMP" ]; then
  echo "==> installing IMVO Monitor${EXTRAS:+ with extras [$EXTRAS]}"
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e ".${EXTRAS:+[$EXTRAS]}"
  touch "$STAMP"
fi
export PATH="$ROOT/.venv/bin:$PATH"
