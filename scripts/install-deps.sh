#!/usr/bin/env bash
# Install every Debian 12 package sra needs to build, test, benchmark and
# run its demo (platform.md: "Install everything, every time").  Run as root,
# or with sudo available.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
PKGS=(
  gcc make cmake ninja-build pkgconf valgrind
  libpq-dev postgresql-15 postgresql-client-15 libsqlite3-dev sqlite3 libpg-query-dev
  libjansson-dev libcsv-dev libzip-dev libexpat1-dev uuid-dev nettle-dev libcmocka-dev
  libxlsxwriter-dev pgbouncer hyperfine jq time
  scdoc debhelper dpkg-dev lintian fakeroot groff-base man-db bash-completion binutils
  chromium python3
  clang libfuzzer-15-dev
)
# Skip the network when everything is already there (a developer rerunning make).
missing=$(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' "${PKGS[@]}" 2>/dev/null | awk '$1 != "ii" {print $2}' || true)
count=$(dpkg-query -W -f='${db:Status-Abbrev}\n' "${PKGS[@]}" 2>/dev/null | grep -c '^ii' || true)
if [ "${SRA_FORCE_APT:-0}" = 1 ] || [ -n "$missing" ] || [ "$count" -ne "${#PKGS[@]}" ]; then
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${PKGS[@]}"
fi
