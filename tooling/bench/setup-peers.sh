#!/bin/sh
# Installs the Python peers the benchmarks measure against, from Debian, for /usr/bin/python3.
# Idempotent: packages already present are skipped; apt runs under a shared lock because
# several jobs on this machine may install at once.
set -eu

PACKAGES="python3-torch python3-keras-preprocessing python3-gensim python3-sklearn python3-pandas python3-numpy"
LOCK=/tmp/seqlearn-apt.lock

missing=""
for pkg in $PACKAGES; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $pkg"
  fi
done

if [ -z "$missing" ]; then
  echo "setup-peers: all peers already installed ($PACKAGES)"
else
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  echo "setup-peers: installing$missing"
  # shellcheck disable=SC2086
  flock "$LOCK" sh -c "$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends $missing"
fi

/usr/bin/python3 - <<'PY'
import importlib
for mod in ("torch", "keras_preprocessing", "gensim", "sklearn", "pandas", "numpy"):
    m = importlib.import_module(mod)
    print(f"setup-peers: {mod} {getattr(m, '__version__', '?')}")
PY
