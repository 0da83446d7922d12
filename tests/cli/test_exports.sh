#!/usr/bin/env bash
# `sra benchmark items` and `export` for people who open them in a
# spreadsheet, on SQLite and PostgreSQL (benchmark.md, "Runs and what comes
# out"; issue 8 item 8, issue 11 item 2):
#  - CSV text cells that start like a formula (= + - @, tab, CR) get a
#    leading ' unless --raw; numbers never do; JSON is unchanged;
#  - --rationale: every reviewer's rationale, quotes and exclusion reasons,
#    compared with the input files the test imported, in full;
#  - --disagreement (with and without --classification): the source ids
#    worked out by hand from the input below;
#  - --format xlsx read back with zipfile + ElementTree (not sra's reader);
#  - bad usage: one stderr line, exit 2.
# Python's csv and json modules read the exports, independently of sra.
. "$(dirname "$0")/lib.sh"

# chr(N) in the backend's SQL
ch() { if [ "$BACKEND" = sqlite ]; then echo "char($1)"; else echo "chr($1)"; fi; }

# The review of every case (written to $TMP; $RUN, $REVIEW set).
#
# record  human  conservative        comprehensive       resolver   final      class  disagree
# f1      Y      include .9          include .95         -          include    TP     no
# f2      N      include .9          exclude .9          exclude    exclude    TN     yes
# f3      Y      exclude .8          uncertain .9        -          uncertain  TP     yes (uncertain is a decision)
# f4      N      exclude .9          exclude .9          -          exclude    TN     no
# f5      Y      include .9          -                   -          uncertain  TP     no (one reviewer missing)
# f6      N      -                   -                   -          uncertain  FP     no (none)
# f7      Y      uncertain .6        include .9          -          uncertain  TP     yes
# f8      N      include .9          exclude .75         -          uncertain  FP     yes
# (no resolver: the final decision is uncertain unless both agree with
# confidence >= 0.7; uncertain counts as include: TP / FP)
make_review() {
  expect_exit 0 "$SRA" db upgrade head --url "$URL" -q || return 1
  REVIEW=$("$SRA" review create --question "Formulas?" --exclusion "No" --url "$URL" -q) || return 1
  cat >"$TMP/recs.csv" <<'EOF'
id,title,human_decision
f1,"=cmd|' /C calc'!A0",Y
f2,+1,N
f3,-2+3,Y
f4,@SUM(1),N
f5,tab title,Y
f6,cr title,N
f7,"Plain, ""quoted"" title",Y
f8,-5,N
EOF
  expect_exit 0 "$SRA" import records --review "$REVIEW" "$TMP/recs.csv" --url "$URL" -q || return 1
  # titles the CSV reader would trim: set through the database's own client
  q "UPDATE search_results SET title = $(ch 9) || 'tab title' WHERE source_id = 'f5'" >/dev/null
  q "UPDATE search_results SET title = $(ch 13) || 'cr title' WHERE source_id = 'f6'" >/dev/null
  python3 - "$TMP/ai.jsonl" <<'PY'
import json, sys
long = ("=HYPERLINK(\"http://x\", \"click\"), then a comma, a \"quote\" and\n"
        "a second line; UTF-8: Größe, naïve, 日本語, emoji \U0001F600. ") * 20   # > 2,000 characters
rows = [
 ("f1", "conservative", "include", .9, long, ["+quote one", "a \"quoted\", comma"], {"population": ["adults"], "a": 1}),
 ("f1", "comprehensive", "include", .95, "-starts with a minus", ["@at"], {}),
 ("f2", "conservative", "include", .9, "@SUM(A1:A2) looks relevant", None, {}),
 ("f2", "comprehensive", "exclude", .9, "\tTab first", ["q"], {"design": "case report"}),
 ("f2", "resolver", "exclude", .8, "=resolver reasoning\nover two lines", None, None),
 ("f3", "conservative", "exclude", .8, "Plain rationale", [], {"z": [], "b": {"y": 2, "x": 1}}),
 ("f3", "comprehensive", "uncertain", .9, "\rCR first", None, {}),
 ("f4", "conservative", "exclude", .9, "four c", None, {}),
 ("f4", "comprehensive", "exclude", .9, "four m", None, {}),
 ("f5", "conservative", "include", .9, "only one reviewer", None, {}),
 ("f7", "conservative", "uncertain", .6, "unsure", None, {}),
 ("f7", "comprehensive", "include", .9, "sure", None, {}),
 ("f8", "conservative", "include", .9, "in", None, {}),
 ("f8", "comprehensive", "exclude", .75, "out", None, {}),
]
with open(sys.argv[1], "w", encoding="utf-8") as f:
    for sid, who, d, c, r, qs, ex in rows:
        o = {"source_id": sid, "reviewer": who, "decision": d, "confidence": c, "rationale": r}
        if qs is not None: o["quotes"] = qs
        if ex is not None: o["exclusion_reasons"] = ex
        f.write(json.dumps(o, ensure_ascii=False) + "\n")
PY
  expect_exit 0 "$SRA" import decisions --review "$REVIEW" "$TMP/ai.jsonl" --url "$URL" || return 1
  expect_exit 0 "$SRA" benchmark run --review "$REVIEW" --url "$URL" -q || return 1
  RUN=$OUT
}

case_formula_injection() {
  make_review || return
  expect_exit 0 "$SRA" benchmark export "$RUN" --what items -o "$TMP/safe.csv" --url "$URL" || return
  expect_exit 0 "$SRA" benchmark export "$RUN" --what items --raw -o "$TMP/raw.csv" --url "$URL" || return
  expect_exit 0 "$SRA" benchmark export "$RUN" --what items --format json -o "$TMP/items.json" --url "$URL" || return
  expect_exit 0 "$SRA" benchmark export "$RUN" --what summary -o "$TMP/summary.csv" --url "$URL" || return
  python3 - "$TMP" <<'PY' || fail "formula-injection-safe CSV"
import csv, json, sys
d = sys.argv[1]
titles = {"f1": "=cmd|' /C calc'!A0", "f2": "+1", "f3": "-2+3", "f4": "@SUM(1)",
          "f5": "\ttab title", "f6": "\rcr title", "f7": 'Plain, "quoted" title', "f8": "-5"}
def rows(name):
    with open(f"{d}/{name}", newline="", encoding="utf-8") as f:
        r = list(csv.reader(f))
    assert all(len(x) == len(r[0]) for x in r), name
    return r[0], {x[0]: dict(zip(r[0], x)) for x in r[1:]}
head, safe = rows("safe.csv")
_, raw = rows("raw.csv")
assert sorted(safe) == sorted(titles), sorted(safe)
for sid, t in titles.items():
    want = t if sid == "f7" else "'" + t     # every other title starts with = + - @ tab CR
    assert safe[sid]["title"] == want, (sid, safe[sid]["title"], want)
    assert raw[sid]["title"] == t, (sid, raw[sid]["title"])
# numbers are numbers, never prefixed; decisions as they are
assert safe["f1"]["conservative_confidence"] == "0.9" and safe["f2"]["resolver_confidence"] == "0.8"
assert safe["f2"]["classification"] == "TN" and safe["f6"]["human_decision"] == "exclude"
items = {o["search_result_source_id"]: o for o in json.load(open(f"{d}/items.json", encoding="utf-8"))}
for sid, t in titles.items():
    assert items[sid]["title"] == t, (sid, items[sid]["title"])      # JSON never changed
# the summary's numbers: a negative kappa or a count stays a number
_, summ = rows("summary.csv")
for m, r in summ.items():
    for k in ("value", "ci_low", "ci_high"):
        if r[k]:
            float(r[k])
assert summ["tp"]["value"] == "4" and summ["fp"]["value"] == "2" and summ["tn"]["value"] == "2", summ["tp"]
PY
  # the raw bytes: RFC 4180 quoting around the prefix of a cell holding a CR
  grep -q $'^f6,"\'\rcr title",' "$TMP/safe.csv" || fail "the CR title is not quoted with its prefix"
}

case_rationale() {
  make_review || return
  expect_exit 0 "$SRA" benchmark export "$RUN" --what items --rationale -o "$TMP/r.csv" --url "$URL" || return
  expect_exit 0 "$SRA" benchmark export "$RUN" --what items --rationale --raw -o "$TMP/rraw.csv" --url "$URL" || return
  expect_exit 0 "$SRA" benchmark items "$RUN" --rationale --json --url "$URL" || return
  printf '%s' "$OUT" >"$TMP/r.json"
  expect_exit 0 "$SRA" benchmark items "$RUN" --rationale --url "$URL" || return
  printf '%s\n' "$OUT" >"$TMP/r.txt"
  python3 - "$TMP" <<'PY' || fail "--rationale does not hold what was imported"
import csv, json, sys
d = sys.argv[1]
want = {}
for line in open(f"{d}/ai.jsonl", encoding="utf-8"):
    o = json.loads(line)
    want[(o["source_id"], o["reviewer"])] = o
cols = ["conservative_rationale", "conservative_quotes", "conservative_exclusion_reasons",
        "comprehensive_rationale", "comprehensive_quotes", "comprehensive_exclusion_reasons",
        "resolver_rationale"]
def expected(sid):
    e = {}
    for who in ("conservative", "comprehensive"):
        o = want.get((sid, who))
        e[who + "_rationale"] = o["rationale"] if o else None
        e[who + "_quotes"] = o.get("quotes") if o else None
        e[who + "_exclusion_reasons"] = o.get("exclusion_reasons", {}) if o else None
    o = want.get((sid, "resolver"))
    e["resolver_rationale"] = o["rationale"] if o else None
    return e
def load(name):
    with open(f"{d}/{name}", newline="", encoding="utf-8") as f:
        r = list(csv.reader(f))
    assert r[0][11:] == cols, r[0]
    return {x[0]: dict(zip(r[0], x)) for x in r[1:]}
raw, safe = load("rraw.csv"), load("r.csv")
js = {o["search_result_source_id"]: o for o in json.load(open(f"{d}/r.json", encoding="utf-8"))}
assert len(raw) == 8 and len(js) == 8
def guard(s):
    return "'" + s if s[:1] in ("=", "+", "-", "@", "\t", "\r") else s
for sid in raw:
    e = expected(sid)
    for c in cols:
        v = e[c]
        if c.endswith("_rationale"):
            cell = "" if v is None else v
            assert raw[sid][c] == cell, (sid, c, raw[sid][c][:80], cell[:80])
            assert safe[sid][c] == guard(cell), (sid, c, safe[sid][c][:80])
        else:
            cell = raw[sid][c]
            assert (json.loads(cell) if cell else None) == v, (sid, c, cell, v)
        assert js[sid][c] == v, (sid, c, js[sid][c], v)
long = want[("f1", "conservative")]["rationale"]
assert len(long) > 2000 and raw["f1"]["conservative_rationale"] == long
# the table: the long rationale whole (its lines indented), nothing cut
txt = open(f"{d}/r.txt", encoding="utf-8").read()
for piece in long.split("\n"):
    assert piece in txt, piece[:60]
assert "resolver rationale: =resolver reasoning\n      over two lines" in txt
PY
}

case_disagreement() {
  make_review || return
  ids() { printf '%s' "$OUT" | python3 -c 'import json,sys; print(" ".join(o["search_result_source_id"] for o in json.load(sys.stdin)))'; }
  expect_exit 0 "$SRA" benchmark items "$RUN" --disagreement --json --url "$URL" || return
  assert_eq "$(ids)" "f2 f3 f7 f8" "--disagreement"
  expect_exit 0 "$SRA" benchmark items "$RUN" --disagreement --classification TP --json --url "$URL" || return
  assert_eq "$(ids)" "f3 f7" "--disagreement --classification TP"
  expect_exit 0 "$SRA" benchmark items "$RUN" --disagreement --classification FP,TN --json --url "$URL" || return
  assert_eq "$(ids)" "f2 f8" "--disagreement --classification FP,TN"
  expect_exit 0 "$SRA" benchmark items "$RUN" --classification FP --json --url "$URL" || return
  assert_eq "$(ids)" "f6 f8" "--classification FP"
  expect_exit 0 "$SRA" benchmark export "$RUN" --what items --disagreement --classification TN --url "$URL" || return
  assert_eq "$(printf '%s' "$OUT" | tr -d '\r' | cut -d, -f1 | tr '\n' ' ')" "search_result_source_id f2 " "export --disagreement"
  expect_exit 0 "$SRA" benchmark items "$RUN" --disagreement --url "$URL" || return
  assert_eq "$(printf '%s\n' "$OUT" | awk 'NR > 1 {print $1}' | tr '\n' ' ')" "f2 f3 f7 f8 " "the table"
}

case_xlsx() {
  make_review || return
  mkdir -p "$TMP/xtmp"
  # what a killed export left (its process is gone) is removed; a live process's workbook is not
  sh -c 'exit 0' & local dead=$!
  wait "$dead"
  printf 'stale' >"$TMP/xtmp/.sra-xlsx.sra-tmp.$dead.AbC123"
  printf 'live' >"$TMP/xtmp/.sra-xlsx.sra-tmp.$$.XyZ789"
  TMPDIR="$TMP/xtmp" expect_exit 0 "$SRA" benchmark export "$RUN" --what items --rationale --format xlsx \
    -o "$TMP/items.xlsx" --url "$URL" || return
  assert_eq "$(ls -A "$TMP/xtmp")" ".sra-xlsx.sra-tmp.$$.XyZ789" "the temporary directory after an xlsx export"
  rm -f "$TMP/xtmp/.sra-xlsx.sra-tmp.$$.XyZ789"
  # to a pipe (not a terminal) is fine
  "$SRA" benchmark export "$RUN" --what summary --format xlsx --url "$URL" | cat >"$TMP/summary.xlsx" \
    || fail "xlsx to a pipe"
  python3 - "$TMP" <<'PY' || fail "the workbooks do not read back"
import json, re, sys, zipfile
import xml.etree.ElementTree as ET
d = sys.argv[1]
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
def sheet(path):
    z = zipfile.ZipFile(path)
    assert z.testzip() is None
    wb = ET.fromstring(z.read("xl/workbook.xml"))
    assert len(wb.findall(".//m:sheet", NS)) == 1
    shared = []
    if "xl/sharedStrings.xml" in z.namelist():
        for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", NS):
            shared.append("".join(t.text or "" for t in si.iter("{%s}t" % NS["m"])))
    rows = []
    for row in ET.fromstring(z.read("xl/worksheets/sheet1.xml")).iter("{%s}row" % NS["m"]):
        cells = {}
        for c in row.findall("m:c", NS):
            col = re.match(r"[A-Z]+", c.get("r")).group(0)
            idx = 0
            for ch in col:
                idx = idx * 26 + ord(ch) - 64
            t = c.get("t")
            if t == "inlineStr":
                v = ("str", "".join(x.text or "" for x in c.iter("{%s}t" % NS["m"])))
            elif t == "s":
                v = ("str", shared[int(c.find("m:v", NS).text)])
            elif t in (None, "n"):
                v = ("num", float(c.find("m:v", NS).text))
            else:
                raise AssertionError(t)
            cells[idx - 1] = v
        rows.append(cells)
    return rows
def unescape(s):      # OOXML's _xHHHH_ escapes of control characters
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), s)
rows = sheet(f"{d}/items.xlsx")
head = [rows[0][i][1] for i in range(len(rows[0]))]
assert head[:3] == ["search_result_source_id", "title", "human_decision"] and head[-1] == "resolver_rationale", head
assert len(head) == 18 and len(rows) == 9
by = {r[0][1]: {head[i]: v for i, v in r.items()} for r in rows[1:]}
ai = {}
for line in open(f"{d}/ai.jsonl", encoding="utf-8"):
    o = json.loads(line); ai[(o["source_id"], o["reviewer"])] = o
f1 = by["f1"]
assert f1["title"] == ("str", "=cmd|' /C calc'!A0"), f1["title"]       # text, no ' prefix
assert f1["conservative_confidence"] == ("num", 0.9), f1["conservative_confidence"]
assert f1["human_decision"] == ("str", "include") and f1["classification"] == ("str", "TP")
long = ai[("f1", "conservative")]["rationale"]
assert f1["conservative_rationale"][0] == "str"
assert unescape(f1["conservative_rationale"][1]).replace("\r\n", "\n") == long
assert json.loads(f1["conservative_quotes"][1]) == ai[("f1", "conservative")]["quotes"]
assert by["f2"]["resolver_confidence"] == ("num", 0.8)
assert unescape(by["f5"]["title"][1]) == "\ttab title", by["f5"]["title"]
assert by["f8"]["title"] == ("str", "-5")
assert "resolver_decision" not in by["f1"]        # an empty cell is left out
s = sheet(f"{d}/summary.xlsx")
assert [s[0][i][1] for i in range(4)] == ["metric", "value", "ci_low", "ci_high"]
summ = {r[0][1]: r for r in s[1:]}
assert summ["tp"][1] == ("num", 4.0) and summ["fp"][1] == ("num", 2.0) and summ["tn"][1] == ("num", 2.0)
assert summ["sensitivity"][1] == ("num", 1.0), summ["sensitivity"]
PY
}

case_bad_usage() {
  make_review || return
  local before; before=$(q "SELECT count(*) FROM benchmark_runs")
  # a terminal on stdout: script(1) gives the command a pty
  if command -v script >/dev/null; then
    script -qec "$SRA benchmark export $RUN --what items --format xlsx --url '$URL'; echo rc=\$?" /dev/null \
      >"$TMP/tty.out" 2>&1
    grep -q 'rc=2' "$TMP/tty.out" || fail "xlsx to a terminal: $(cat "$TMP/tty.out")"
    grep -q 'not for a terminal' "$TMP/tty.out" || fail "xlsx to a terminal: no message"
    [ "$(grep -c . "$TMP/tty.out")" = 2 ] || fail "xlsx to a terminal: more than one line: $(cat "$TMP/tty.out")"
  fi
  expect_exit 2 "$SRA" benchmark export "$RUN" --what items --format json --raw --url "$URL"
  one_line_error "raw applies to CSV only"
  expect_exit 2 "$SRA" benchmark export "$RUN" --what items --format xlsx --raw -o "$TMP/x.xlsx" --url "$URL"
  one_line_error "raw applies to CSV only"
  [ -e "$TMP/x.xlsx" ] && fail "a refused export wrote a file"
  expect_exit 2 "$SRA" benchmark items "$RUN" --raw --url "$URL"
  one_line_error "raw applies to CSV"
  expect_exit 2 "$SRA" benchmark export "$RUN" --what summary --rationale --url "$URL"
  one_line_error "apply to items"
  expect_exit 2 "$SRA" benchmark export "$RUN" --format ris --disagreement --url "$URL"
  one_line_error "apply to items"
  expect_exit 2 "$SRA" benchmark export "$RUN" --what items --format ods --url "$URL"
  one_line_error "format is csv, json or xlsx"
  expect_exit 2 "$SRA" benchmark items "$RUN" --disagreement --classification XX --url "$URL"
  one_line_error "unknown classification 'XX'"
  assert_eq "$(q "SELECT count(*) FROM benchmark_runs")" "$before" "runs after bad usage"
  # a failed xlsx export to a file leaves the old file and no temporary files
  printf 'old' >"$TMP/keep.xlsx"
  expect_exit 1 "$SRA" benchmark export ffffffff --what items --format xlsx -o "$TMP/keep.xlsx" --url "$URL"
  assert_eq "$(cat "$TMP/keep.xlsx")" "old" "a failed xlsx export changed the file"
  ls -a "$TMP" | grep -q '\.sra-tmp\.' && fail "a temporary file was left behind"
}

run_cases case_formula_injection case_rationale case_disagreement case_xlsx case_bad_usage
