#!/usr/bin/env bash
# Install the Debian packages the portal needs, when run as root on Debian; otherwise say what
# is missing and carry on (the parts that need them are skipped or degrade with a message).
#   scripts/system-deps.sh run   WeasyPrint's libraries and a CJK font
#   scripts/system-deps.sh test  the same, plus Chromium for the browser journeys and poppler
set -euo pipefail

python=${PYTHON:-python3}
packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk)
if [ "${1:-run}" = "test" ]; then
  packages+=(chromium poppler-utils)
fi
# Debian's own Python needs python3-venv for `python3 -m venv`.
if ! "$python" -c "import ensurepip, venv" 2>/dev/null; then
  packages+=(python3-venv)
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "system-deps: not a Debian system; install the equivalents of: ${packages[*]}" >&2
  exit 0
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "system-deps: missing Debian packages: ${missing[*]}" >&2
  echo "system-deps: run as root, or: sudo apt-get install -y ${missing[*]}" >&2
  exit 0
fi
echo "system-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
