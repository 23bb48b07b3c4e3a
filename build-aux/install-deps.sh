#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# install-deps.sh LIST: install every Debian package named in LIST that is
# not installed yet.  Runs `apt-get update` once, and only when something is
# missing; prints what it installs; a no-op when everything is present.
set -euo pipefail
list=${1:?usage: install-deps.sh PACKAGE-LIST}
[ -r "$list" ] || { echo "install-deps: cannot read $list" >&2; exit 2; }

missing=()
while read -r pkg _; do
    case $pkg in ''|'#'*) continue ;; esac
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    [ "$status" = "install ok installed" ] || missing+=("$pkg")
done < "$list"

if [ ${#missing[@]} -eq 0 ]; then
    echo "deps: all $(grep -cEv '^\s*(#|$)' "$list") packages present"
    exit 0
fi
echo "deps: installing ${missing[*]}"
if [ "$(id -u)" != 0 ]; then
    echo "deps: need root to install packages (run: sudo make deps)" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "deps: installed ${#missing[@]} package(s)"
