#!/bin/sh
# make uninstall: remove every file that `make install` recorded in
# install_manifest.txt (with the same DESTDIR), then nothing else.
set -eu
manifest=$1
if [ ! -f "$manifest" ]; then
  echo "uninstall: $manifest not found (run make install first)" >&2
  exit 1
fi
while IFS= read -r f || [ -n "$f" ]; do
  [ -n "$f" ] || continue
  if [ -e "${DESTDIR:-}$f" ] || [ -L "${DESTDIR:-}$f" ]; then
    rm -f -- "${DESTDIR:-}$f"
    echo "-- Removed ${DESTDIR:-}$f"
  fi
done < "$manifest"
