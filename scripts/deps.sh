#!/usr/bin/env bash
# Install the Debian 12 packages lede needs to build and test, if missing.
# Safe to run repeatedly; uses sudo when not root.
set -euo pipefail
pkgs=(g++ make cmake ninja-build pkg-config curl xz-utils uuid-dev zlib1g-dev libxapian-dev libicu-dev libcli11-dev doctest-dev
      nlohmann-json3-dev libxxhash-dev libxml2-dev libzstd-dev xapian-tools python3 jq dpkg-dev file lintian)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "deps: installing ${missing[*]}" >&2
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq >/dev/null || true
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
