#!/usr/bin/env bash
# One-step set-up for a fresh Debian or Ubuntu machine (as root, or a user with sudo).
#   bash setup.sh run    install everything, then run the main job (callsim demo)
#   bash setup.sh test   install everything, then run lint and the test suite
#   bash setup.sh install   just install
# Idempotent: system packages and the virtual environment (.venv) are installed only when missing
# or when pyproject.toml changed.
set -euo pipefail
cd "$(dirname "$0")"

APT_PACKAGES=(python3 python3-venv python3-pip espeak-ng libportaudio2 alsa-utils sox
              pulseaudio pulseaudio-utils libasound2-plugins chromium)

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

install_system_packages() {
  local missing=()
  for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$pkg")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "setup: installing system packages: ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      "${missing[@]}" >/dev/null
  fi
}

install_python_packages() {
  local python=${PYTHON:-python3}
  [ -x .venv/bin/python ] || "$python" -m venv .venv
  local stamp=".venv/.callsim-installed-$(sha256sum pyproject.toml | cut -c1-16)"
  if [ ! -f "$stamp" ]; then
    echo "setup: installing Python packages into .venv"
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q -e '.[voice,whisper,dev]'
    rm -f .venv/.callsim-installed-* && touch "$stamp"
  fi
}

install_system_packages
install_python_packages

case "${1:-install}" in
  run)
    # A whole spoken call with no microphone: the prospect speaks, a synthesized trainee
    # answers through speech recognition, then the scorecard.
    exec .venv/bin/callsim demo ;;
  test)
    .venv/bin/ruff check simulator tests benchmarks
    exec .venv/bin/python -m pytest -q ;;
  install)
    echo "setup: done. Try: .venv/bin/callsim --help" ;;
  *)
    echo "usage: bash setup.sh [run|test|install]" >&2; exit 2 ;;
esac
