#!/usr/bin/env bash
# Build the Debian packages (sra, libsra0, libsra-dev) with dpkg-buildpackage
# from a copy of the sources, so that nothing is written beside the checkout:
#   scripts/build-deb.sh OUTDIR
# OUTDIR receives the .deb, .buildinfo and .changes files; lintian runs on
# them and any error fails the build.
set -euo pipefail
out=$(realpath -m "${1:?usage: build-deb.sh OUTDIR}")
top=$(cd "$(dirname "$0")/.." && pwd)
version=$(sed -n 's/^#define SRA_VERSION "\(.*\)"$/\1/p' "$top/include/sra/common.h")
deb_version=$(dpkg-parsechangelog -l "$top/debian/changelog" -S Version)
if [ "$deb_version" != "$version" ]; then
  echo "build-deb: debian/changelog says $deb_version but SRA_VERSION is $version" >&2
  exit 1
fi
work=$(mktemp -d -t sra-deb.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/sra-$version" "$out"
# the files git tracks (and new ones not ignored), without build trees
if git -C "$top" rev-parse --git-dir >/dev/null 2>&1; then
  (cd "$top" && git ls-files -co --exclude-standard -z | grep -zv '^build' |
     xargs -0 cp --parents -t "$work/sra-$version")
else
  tar -C "$top" --exclude='./build*' -cf - . | tar -C "$work/sra-$version" -xf -
fi
(cd "$work/sra-$version" && dpkg-buildpackage -us -uc -b -j2 >"$work/build.log" 2>&1) || {
  tail -40 "$work/build.log" >&2
  echo "build-deb: dpkg-buildpackage failed" >&2
  exit 1
}
cp "$work"/*.deb "$work"/*.changes "$work"/*.buildinfo "$out"/
# lintian: errors fail the build, warnings are shown
lintian --fail-on error "$out"/sra_"$deb_version"_*.changes >&2
ls "$out"/*.deb
