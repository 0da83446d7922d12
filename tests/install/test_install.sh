#!/usr/bin/env bash
# sra as an installed C tool (issue 13): `make install DESTDIR PREFIX=/usr`
# puts every file in place, the example builds against it with pkg-config
# (shared and static), the man pages render without warnings and document
# every command and option that --help lists, bash completion works, the
# version is one string everywhere, `make uninstall` removes what was
# installed, and `make deb` builds packages that lintian passes and that run
# from a scratch root (dpkg -x).  Runs in the ordinary build only (not under
# the sanitizers: it builds the tree twice more, without them).
source "$(dirname "$0")/../cli/lib.sh"
set -o pipefail
# never `cmd | grep -q`: grep -q leaves at the first match, cmd gets SIGPIPE and
# pipefail makes the pipeline fail (it did, for ldd, on a loaded machine)
ARCH=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
ROOT=$TMP/root
LIBDIR=$ROOT/usr/lib/$ARCH
VERSION=$(sed -n 's/^#define SRA_VERSION "\(.*\)"$/\1/p' "$SRC/include/sra/common.h")

echo "# make install PREFIX=/usr DESTDIR=$ROOT (a build of its own)"
make -s -C "$SRC" install BUILD="$TMP/build" PREFIX=/usr DESTDIR="$ROOT" \
     CMAKE_FLAGS="-DSRA_BUILD_TESTS=OFF" >"$TMP/install.log" 2>&1 \
  || { tail -30 "$TMP/install.log" >&2; echo "FAIL: make install"; exit 1; }

case_files_in_place() {
  local f h
  for f in usr/bin/sra "usr/lib/$ARCH/libsra.a" "usr/lib/$ARCH/libsra.so" \
           "usr/lib/$ARCH/libsra.so.0" "usr/lib/$ARCH/libsra.so.$VERSION" \
           "usr/lib/$ARCH/pkgconfig/libsra.pc" usr/share/bash-completion/completions/sra \
           usr/share/man/man1/sra.1 usr/share/man/man1/sra-db.1 usr/share/man/man1/sra-review.1 \
           usr/share/man/man1/sra-import.1 usr/share/man/man1/sra-benchmark.1 \
           usr/share/man/man1/sra-metrics.1 usr/share/man/man1/sra-demo.1; do
    [ -e "$ROOT/$f" ] || fail "not installed: /$f"
  done
  # every public header, sys/ included, and nothing else
  for h in $(cd "$SRC/include" && find sra -name '*.h' | sort); do
    cmp -s "$SRC/include/$h" "$ROOT/usr/include/$h" || fail "header not installed as it is: $h"
  done
  assert_eq "$(cd "$ROOT/usr/include" && find sra -type f | sort)" \
            "$(cd "$SRC/include" && find sra -name '*.h' | sort)" "installed headers"
  assert_eq "$(readlink "$LIBDIR/libsra.so.0")" "libsra.so.$VERSION" "libsra.so.0 link"
  assert_eq "$(objdump -p "$LIBDIR/libsra.so.$VERSION" | awk '$1 == "SONAME" {print $2}')" \
            "libsra.so.0" "soname"
  # only the sra_ API is exported
  local other
  other=$(nm -D --defined-only "$LIBDIR/libsra.so.$VERSION" | awk '$2 ~ /[TDB]/ {print $3}' | grep -v '^sra_' | head -3)
  assert_eq "$other" "" "symbols exported besides sra_*"
}

case_one_version() {
  local pc tool
  pc=$(PKG_CONFIG_PATH=$LIBDIR/pkgconfig pkg-config --modversion libsra)
  tool=$("$ROOT/usr/bin/sra" --version | sed -n '1s/^sra //p')
  assert_eq "$pc" "$VERSION" "libsra.pc Version"
  assert_eq "$tool" "$VERSION" "sra --version"
  assert_eq "$(dpkg-parsechangelog -l "$SRC/debian/changelog" -S Version)" "$VERSION" "debian/changelog"
  grep -qE '^SQLite 3\.[0-9]+\.[0-9]+$' <<<"$("$ROOT/usr/bin/sra" --version)" || fail "no SQLite version line"
  # libpq is not loaded for --version; `version --libpq` loads and names it
  grep -q libpq <<<"$("$ROOT/usr/bin/sra" --version)" && fail "--version loaded libpq"
  grep -qE '^libpq [0-9]+\.[0-9]+$' <<<"$("$ROOT/usr/bin/sra" version --libpq)" \
    || fail "version --libpq: $("$ROOT/usr/bin/sra" version --libpq)"
}

# the example, against the staged tree (its prefix moved under DESTDIR), shared and static
case_example_builds() {
  local pcenv=(env PKG_CONFIG_PATH="$LIBDIR/pkgconfig")
  local cflags libs static out
  cflags=$("${pcenv[@]}" pkg-config --define-variable=prefix="$ROOT/usr" --cflags libsra) || { fail "pkg-config --cflags"; return; }
  libs=$("${pcenv[@]}" pkg-config --define-variable=prefix="$ROOT/usr" --libs libsra)
  cc -Wall -Wextra -Werror "$SRC/examples/metrics_json.c" $cflags $libs -o "$TMP/ex_shared" \
    || { fail "the example does not build with pkg-config"; return; }
  ldd "$TMP/ex_shared" >/dev/null
  out=$(LD_LIBRARY_PATH=$LIBDIR "$TMP/ex_shared" 40 60 10 890) || { fail "the example failed"; return; }
  grep -q "$LIBDIR/libsra.so.0" <<<"$(LD_LIBRARY_PATH=$LIBDIR ldd "$TMP/ex_shared")" || fail "not linked to the staged libsra.so.0"
  # independent values: 40/50, 890/950, 40/100, 930/1000 (benchmark.md's formulas)
  assert_eq "$(jq -r '.counts.n' <<<"$out")" 1000 "n"
  assert_eq "$(jq -r '.metrics.sensitivity.value == 0.8' <<<"$out")" true "sensitivity"
  assert_eq "$(jq -r '(.metrics.specificity.value - 890/950 | fabs) < 1e-12' <<<"$out")" true "specificity"
  assert_eq "$(jq -r '.metrics.ppv.value == 0.4' <<<"$out")" true "ppv"
  assert_eq "$(jq -r '.metrics.accuracy.value == 0.93' <<<"$out")" true "accuracy"
  # static: libsra.a plus Requires.private / Libs.private
  static=$("${pcenv[@]}" pkg-config --define-variable=prefix="$ROOT/usr" --static --libs libsra | sed 's/-lsra\b//')
  cc "$SRC/examples/metrics_json.c" $cflags "$LIBDIR/libsra.a" $static -o "$TMP/ex_static" \
    || { fail "the example does not link statically with pkg-config --static"; return; }
  grep -q libsra <<<"$(ldd "$TMP/ex_static")" && fail "the static example needs libsra.so"
  assert_eq "$("$TMP/ex_static" 40 60 10 890)" "$out" "static and shared outputs"

}

case_man_pages_render() {
  local p w
  for p in "$ROOT"/usr/share/man/man1/*.1; do
    w=$(groff -man -ww -z "$p" 2>&1)
    [ -z "$w" ] || fail "groff warns on $(basename "$p"): $w"
    MANWIDTH=80 man -l "$p" 2>/dev/null >"$TMP/page.txt" || fail "man -l $(basename "$p")"
    for s in NAME SYNOPSIS DESCRIPTION ENVIRONMENT FILES "EXIT STATUS" EXAMPLES "SEE ALSO"; do
      grep -q "^$s" "$TMP/page.txt" || fail "$(basename "$p") has no $s section"
    done
  done
}

# options of one --help text: from its usage lines and its option list
help_options() {
  awk '/^usage:/ {u = 1} u && /^$/ {u = 0} u || /^ +-/ {print}' |
    grep -oE '(^|[][ |,(])--?[A-Za-z][A-Za-z0-9-]*' | sed 's/^[][ |,(]//' | sort -u
}
help_commands() {
  awk '/^Commands of / {i = 1; next} i && /^  [a-z]/ {print $1; next} i {i = 0}'
}

# every command and option --help lists is in the man pages (sources)
case_man_pages_cover_help() {
  local sra=$ROOT/usr/bin/sra g s o page subs
  for g in $("$sra" --help | help_commands); do
    [ "$g" = help ] || [ "$g" = version ] && continue
    grep -q "^\*$g\*" "$SRC/man/sra.1.scd" || fail "sra(1) does not describe the command '$g'"
    page=$SRC/man/sra-$g.1.scd
    [ -f "$page" ] || { fail "no man page for 'sra $g' (man/sra-$g.1.scd)"; continue; }
    subs=$("$sra" "$g" --help | help_commands)
    for o in $("$sra" "$g" --help | help_options); do
      grep -qF -- "*$o*" "$page" || fail "sra-$g(1) does not document '$o' (sra $g --help lists it)"
    done
    for s in $subs; do
      grep -qE "^\*$s\*" "$page" || fail "sra-$g(1) does not describe 'sra $g $s'"
      for o in $("$sra" "$g" "$s" --help | help_options); do
        grep -qF -- "*$o*" "$page" || fail "sra-$g(1) does not document '$o' of 'sra $g $s'"
      done
    done
  done
  for o in $("$sra" --help | help_options) --version -V; do
    grep -qF -- "*$o*" "$SRC/man/sra.1.scd" || fail "sra(1) does not document '$o'"
  done
}

# bash completion, in a real bash with bash-completion loaded
case_completion() {
  local db=$TMP/comp.db run
  run=$("$ROOT/usr/bin/sra" demo --records 20 --seed 3 --url "sqlite:///$db" 2>/dev/null |
        grep -oE '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}' | head -1)
  run=$(sqlite3 "$db" "select id from benchmark_runs")
  cat >"$TMP/comp.sh" <<SH
source /usr/share/bash-completion/bash_completion
source "$ROOT/usr/share/bash-completion/completions/sra"
PATH=$ROOT/usr/bin:\$PATH
t() { COMP_WORDS=("\$@"); COMP_CWORD=\$((\${#COMP_WORDS[@]} - 1)); COMP_LINE="\$*"
      COMP_POINT=\${#COMP_LINE}; COMPREPLY=(); _sra; echo "\${COMPREPLY[*]}"; }
t sra bench
t sra benchmark ex
t sra db upgrade --lock
t sra benchmark show ""
t sra import records --review x "$TMP/comp."
t sra benchmark export RUN --wh
SH
  SRA_DATABASE_URL="sqlite:///$db" bash "$TMP/comp.sh" >"$TMP/comp.out" 2>"$TMP/comp.err" \
    || fail "completion script failed: $(cat "$TMP/comp.err")"
  mapfile -t got <"$TMP/comp.out"
  assert_eq "${got[0]:-}" benchmark "sra bench<TAB>"
  assert_eq "${got[1]:-}" export "sra benchmark ex<TAB>"
  assert_eq "${got[2]:-}" --lock-timeout "sra db upgrade --lock<TAB>"
  assert_eq "${got[3]:-}" "$run" "sra benchmark show <TAB> (run ids)"
  case "${got[4]:-}" in *"$TMP/comp.db"*) ;; *) fail "no file names after import records: ${got[4]:-}";; esac
  assert_eq "${got[5]:-}" --what "sra benchmark export RUN --wh<TAB>"
}

case_uninstall() {
  make -s -C "$SRC" uninstall BUILD="$TMP/build" DESTDIR="$ROOT" >/dev/null 2>&1 || fail "make uninstall"
  local left
  left=$(find "$ROOT" -type f -o -type l | head -5)
  assert_eq "$left" "" "files left after make uninstall"
}

# make deb: lintian without errors, packages that run from a scratch root
case_deb() {
  local out=$TMP/deb scratch=$TMP/debroot d
  make -s -C "$SRC" deb BUILD="$TMP/debbuild" >"$TMP/deb.log" 2>&1 \
    || { tail -20 "$TMP/deb.log" >&2; fail "make deb"; return; }
  out=$TMP/debbuild/deb
  for d in sra libsra0 libsra-dev; do
    [ -f "$out/${d}_${VERSION}_$(dpkg --print-architecture).deb" ] || { fail "no $d package"; continue; }
    dpkg -x "$out/${d}_${VERSION}_$(dpkg --print-architecture).deb" "$scratch"
  done
  # libpq is loaded on demand: recommended, never required
  grep -q libpq5 <<<"$(dpkg-deb -f "$out/sra_${VERSION}_$(dpkg --print-architecture).deb" Recommends)" \
    || fail "sra does not recommend libpq5"
  grep -q libpq <<<"$(dpkg-deb -f "$out/sra_${VERSION}_$(dpkg --print-architecture).deb" Depends)" \
    && fail "sra depends on libpq"
  assert_eq "$("$scratch/usr/bin/sra" --version | head -1)" "sra $VERSION" "packaged sra --version"
  LD_LIBRARY_PATH=$scratch/usr/lib/$ARCH "$scratch/usr/bin/sra" demo --records 30 \
    --url "sqlite:///$TMP/deb-demo.db" >/dev/null 2>&1 || fail "packaged sra demo"
  assert_eq "$(sqlite3 "$TMP/deb-demo.db" 'select count(*) from benchmark_result_items')" 30 "demo items"
  [ -f "$scratch/usr/share/man/man1/sra.1.gz" ] || fail "no man page in the package"
  [ -f "$scratch/usr/include/sra/sys/backend.h" ] || fail "no sys/ header in libsra-dev"
  [ -f "$scratch/usr/lib/$ARCH/libsra.so.0" ] || fail "no libsra.so.0 in libsra0"
}

run_plain_cases case_files_in_place case_one_version case_example_builds \
  case_man_pages_render case_man_pages_cover_help case_completion case_deb case_uninstall
