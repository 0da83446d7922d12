#!/usr/bin/env bash
# `sra import records` on reference-manager files (benchmark.md,
# "Reference-manager files"), on SQLite and PostgreSQL: a PubMed nbib, Scopus
# and Embase RIS, an EndNote RIS with CRLF and a BOM, a Rayyan CSV, and
# asreview's included.ris + excluded.ris.  The files are written here from
# the formats' descriptions (PubMed's MEDLINE field list, the RIS tag list of
# refdb/rispy, what these exporters write); every expected value is written
# by hand from the file, and the database is read with sqlite3 or psql.
. "$(dirname "$0")/lib.sh"

content_hash() {
  local t
  for t in systematic_reviews search_results screen_abstract_results screening_resolutions; do
    q "SELECT * FROM $t ORDER BY id"
  done | sha256sum | cut -c1-64
}

new_review() {
  "$SRA" review create --question "Does it work?" --exclusion "No" --url "$URL" -q
}

# SQL for one record's fields, the same text on both databases:
# source_db | title | abstract | year | journal | doi | authors (;) | keywords (;) | human (true/false/null)
fields_sql() {
  if [ "$BACKEND" = sqlite ]; then
    echo "SELECT source_db, title, coalesce(abstract, '-'), coalesce(year, '-'), coalesce(journal, '-'), coalesce(doi, '-'),
      coalesce((SELECT group_concat(value, ';') FROM json_each(authors)), '-'),
      coalesce((SELECT group_concat(value, ';') FROM json_each(keywords)), '-'),
      CASE json_extract(source_metadata, '\$.benchmark_human_decision') WHEN 1 THEN 'true' WHEN 0 THEN 'false' ELSE 'null' END
      FROM search_results WHERE review_id = '$1' AND source_id = '$2'"
  else
    echo "SELECT source_db, title, coalesce(abstract, '-'), coalesce(year, '-'), coalesce(journal, '-'), coalesce(doi, '-'),
      coalesce(array_to_string(authors, ';'), '-'), coalesce(array_to_string(keywords, ';'), '-'),
      coalesce(source_metadata->>'benchmark_human_decision', 'null')
      FROM search_results WHERE review_id = '$1' AND source_id = '$2'"
  fi
}
fields() { q "$(fields_sql "$1" "$2")"; }

# raw_data: TAG → the value (a single tag) or N:first|last (a repeated tag)
raw() {
  local r=$1 id=$2 tag=$3
  if [ "$BACKEND" = sqlite ]; then
    q "SELECT CASE json_type(raw_data, '\$.\"$tag\"') WHEN 'array' THEN json_array_length(raw_data, '\$.\"$tag\"') || ':' || json_extract(raw_data, '\$.\"$tag\"[0]') || '|' || json_extract(raw_data, '\$.\"$tag\"[#-1]')
       ELSE json_extract(raw_data, '\$.\"$tag\"') END FROM search_results WHERE review_id = '$r' AND source_id = '$id'"
  else
    q "SELECT CASE jsonb_typeof(raw_data->'$tag') WHEN 'array' THEN jsonb_array_length(raw_data->'$tag') || ':' || (raw_data->'$tag'->>0) || '|' || (raw_data->'$tag'->>-1)
       ELSE raw_data->>'$tag' END FROM search_results WHERE review_id = '$r' AND source_id = '$id'"
  fi
}

write_nbib() {
  # PubMed's MEDLINE display: PMID first, tags padded to four, "- ", continuation lines of six spaces
  cat >"$TMP/pubmed.nbib" <<'EOF'

PMID- 31234567
OWN - NLM
STAT- MEDLINE
DCOM- 20190815
IS  - 1474-547X (Electronic)
VI  - 393
IP  - 10180
DP  - 2019 Apr 13
TI  - Nudging clinicians towards better prescribing: a cluster randomised
      trial in general practice.
PG  - 1501-1510
LID - 10.1016/S0140-6736(19)30001-1 [doi]
AB  - BACKGROUND: Overuse of antibiotics is common. METHODS: We randomly
      assigned practices to feedback letters. FINDINGS: Prescribing fell.
CI  - Copyright (c) 2019 Elsevier Ltd. All rights reserved.
FAU - Smith, John A
AU  - Smith JA
AD  - University of Somewhere.
FAU - Doe, Ann
AU  - Doe A
FAU - Roe, Richard
AU  - Roe R
LA  - eng
PT  - Journal Article
DEP - 20190301
PL  - England
TA  - Lancet
JT  - Lancet (London, England)
JID - 2985213R
MH  - Anti-Bacterial Agents/*therapeutic use
MH  - Humans
OT  - nudge
OT  - behavioural insights
AID - S0140-6736(19)30001-1 [pii]
AID - 10.1016/S0140-6736(19)30001-1 [doi]
PST - ppublish
SO  - Lancet. 2019 Apr 13;393(10180):1501-1510. doi: 10.1016/S0140-6736(19)30001-1.

PMID- 30000002
OWN - NLM
DP  - 2018
TI  - A second record without an abstract.
FAU - Lee, Kim
TA  - BMJ
AID - 10.1136/bmj.k1 [doi]
AID - bmj.k1 [pii]

PMID- 30000003
TI  - A third record with authors only in AU.
AU  - Kim L
AU  - Park S
DP  - 2017 Jan-Feb
EOF
}

case_pubmed_nbib() {
  local r h
  expect_exit 0 "$SRA" db upgrade head --url "$URL" -q || return
  r=$(new_review)
  write_nbib
  expect_exit 0 "$SRA" import records --review "$r" "$TMP/pubmed.nbib" --decision include --url "$URL" --json || return
  assert_eq "$(printf '%s' "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["format"], d["inserted"], d["untitled"], d["generated_ids"])')" "medline 3 0 0"
  assert_eq "$(fields "$r" 31234567)" "PubMed|Nudging clinicians towards better prescribing: a cluster randomised trial in general practice.|BACKGROUND: Overuse of antibiotics is common. METHODS: We randomly assigned practices to feedback letters. FINDINGS: Prescribing fell.|2019|Lancet (London, England)|10.1016/S0140-6736(19)30001-1|Smith, John A;Doe, Ann;Roe, Richard|Anti-Bacterial Agents/*therapeutic use;Humans;nudge;behavioural insights|true" "nbib record 1"
  assert_eq "$(fields "$r" 30000002)" "PubMed|A second record without an abstract.|-|2018|BMJ|10.1136/bmj.k1|Lee, Kim|-|true" "nbib record 2"
  assert_eq "$(fields "$r" 30000003)" "PubMed|A third record with authors only in AU.|-|2017|-|-|Kim L;Park S|-|true" "nbib record 3"
  assert_eq "$(raw "$r" 31234567 AID)" "2:S0140-6736(19)30001-1 [pii]|10.1016/S0140-6736(19)30001-1 [doi]"
  assert_eq "$(raw "$r" 31234567 FAU)" "3:Smith, John A|Roe, Richard"
  assert_eq "$(raw "$r" 31234567 DP)" "2019 Apr 13"
  h=$(content_hash)
  expect_exit 0 "$SRA" import records --review "$r" "$TMP/pubmed.nbib" --decision include --url "$URL" || return
  assert_eq "$(printf '%s' "$ERR" | tail -1)" "inserted 0, updated 0, unchanged 3, invalid 0"
  assert_eq "$(content_hash)" "$h" "a second import changed the database"
}

case_scopus_and_embase_ris() {
  local r
  expect_exit 0 "$SRA" db upgrade head --url "$URL" -q || return
  r=$(new_review)
  # Scopus: no AN; the DOI is the id; a DOI only in the UR of the second; the third has neither
  cat >"$TMP/scopus.ris" <<'EOF'
TY  - JOUR
AU  - Smith, J.
AU  - Doe, A.
TI  - Nudges for hand hygiene in hospitals
PY  - 2020
T2  - Journal of Hospital Infection
VL  - 104
IS  - 3
SP  - 312
EP  - 318
DO  - 10.1016/j.jhin.2020.01.001
UR  - https://www.scopus.com/inward/record.uri?eid=2-s2.0-85078000001&doi=10.1016%2fj.jhin.2020.01.001&partnerID=40
AB  - Hand hygiene compliance rose after the intervention.
KW  - hand hygiene
KW  - nudge
PB  - W.B. Saunders Ltd
SN  - 0195-6701
LA  - English
J2  - J. Hosp. Infect.
M3  - Article
DB  - Scopus
N1  - Cited By :12; Export Date: 3 March 2021
ER  - 

TY  - CONF
AU  - Roe, R.
TI  - Default options in electronic prescribing
PY  - 2019
T2  - Proceedings of the Health Informatics Conference
UR  - https://doi.org/10.1109/HIC.2019.0042
DB  - Scopus
ER  - 

TY  - JOUR
TI  - A record without any identifier
PY  - 2018
DB  - Scopus
ER  - 
EOF
  # Embase.com: ID and an accession number in U2, two DB tags (Embase first), Y1 with slashes, N2 abstract
  cat >"$TMP/embase.ris" <<'EOF'
TY  - JOUR
DB  - Embase
DB  - Medline
ID  - 2004567890
T1  - Behavioural nudges and antibiotic prescribing
A1  - Nguyen, T.
A1  - Garcia, M.
Y1  - 2019/05/01
N2  - Antibiotic prescribing fell with peer comparison letters.
KW  - antibiotic agent
KW  - prescription
KW  - human
JF  - Clinical Infectious Diseases
JA  - Clin. Infect. Dis.
VL  - 68
SN  - 1058-4838
U2  - L2004567890
DO  - 10.1093/cid/ciz001
ER  - 
EOF
  expect_exit 0 "$SRA" import records --review "$r" "$TMP/scopus.ris" --url "$URL" || return
  assert_eq "$(printf '%s' "$ERR" | tail -1)" "inserted 3, updated 0, unchanged 0, invalid 0"
  printf '%s' "$ERR" | grep -q "1 record without an identifier got a content id" || fail "no content-id note: $ERR"
  expect_exit 0 "$SRA" import records --review "$r" "$TMP/embase.ris" --url "$URL" -q || return
  assert_eq "$(fields "$r" 10.1016/j.jhin.2020.01.001)" "Scopus|Nudges for hand hygiene in hospitals|Hand hygiene compliance rose after the intervention.|2020|Journal of Hospital Infection|10.1016/j.jhin.2020.01.001|Smith, J.;Doe, A.|hand hygiene;nudge|null" "scopus 1"
  assert_eq "$(fields "$r" 10.1109/HIC.2019.0042)" "Scopus|Default options in electronic prescribing|-|2019|Proceedings of the Health Informatics Conference|10.1109/HIC.2019.0042|Roe, R.|-|null" "scopus 2"
  assert_eq "$(fields "$r" 'scopus.ris#3')" "Scopus|A record without any identifier|-|2018|-|-|-|-|null" "scopus 3"
  assert_eq "$(fields "$r" 2004567890)" "Embase|Behavioural nudges and antibiotic prescribing|Antibiotic prescribing fell with peer comparison letters.|2019|Clinical Infectious Diseases|10.1093/cid/ciz001|Nguyen, T.;Garcia, M.|antibiotic agent;prescription;human|null" "embase"
  assert_eq "$(raw "$r" 2004567890 DB)" "2:Embase|Medline"
  assert_eq "$(raw "$r" 2004567890 U2)" "L2004567890"
  assert_eq "$(q "SELECT count(*) FROM search_results WHERE review_id = '$r'")" "4"
}

case_endnote_crlf_bom() {
  local r h
  expect_exit 0 "$SRA" db upgrade head --url "$URL" -q || return
  r=$(new_review)
  # EndNote: a BOM, CRLF, blank lines first, ID as the record number, an
  # abstract with a wrapped line, a record with only an abstract and one with neither
  printf '\357\273\277\r\n\r\nTY  - JOUR\r\nAU  - M\303\274ller, K.\r\nPY  - 2018\r\nDA  - 2018/05//\r\nTI  - Choice architecture in primary care\r\nT2  - Family Practice\r\nAB  - Defaults changed what clinicians chose;\r\nthe effect lasted a year.\r\nID  - 12\r\nER  - \r\n\r\nTY  - JOUR\r\nAB  - Only an abstract.\r\nID  - 13\r\nER  - \r\n\r\nTY  - GEN\r\nID  - 14\r\nER  - \r\n' >"$TMP/endnote.txt"
  expect_exit 0 "$SRA" import records --review "$r" "$TMP/endnote.txt" --url "$URL" --json || return
  assert_eq "$(printf '%s' "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["format"], d["inserted"], d["untitled"])')" "ris 3 2"
  assert_eq "$(fields "$r" 12)" "Other|Choice architecture in primary care|Defaults changed what clinicians chose; the effect lasted a year.|2018|Family Practice|-|Müller, K.|-|null"
  assert_eq "$(fields "$r" 13)" "Other||Only an abstract.|-|-|-|-|-|null"
  assert_eq "$(fields "$r" 14)" "Other||-|-|-|-|-|-|null"
  assert_eq "$(raw "$r" 12 TY)" "JOUR"
  h=$(content_hash)
  expect_exit 0 "$SRA" import records --review "$r" "$TMP/endnote.txt" --url "$URL" || return
  assert_eq "$(printf '%s' "$ERR" | tail -1)" "inserted 0, updated 0, unchanged 3, invalid 0"
  assert_eq "$(content_hash)" "$h" "a second import changed the database"
}

case_rayyan_csv() {
  local r
  expect_exit 0 "$SRA" db upgrade head --url "$URL" -q || return
  r=$(new_review)
  # Rayyan's CSV export: the decisions only in the notes
  cat >"$TMP/rayyan.csv" <<'EOF'
key,title,authors,journal,year,abstract,notes,doi,keywords
rayyan-388371190,Both included,"Smith, J and Doe, A",BMJ,2019,Abstract one,"RAYYAN-INCLUSION: {""Ann""=>""Included"", ""Bo""=>""Included""} | RAYYAN-LABELS: RCT",10.1136/a,nudge
rayyan-388371191,Both excluded,"Roe, R",BMJ,2020,Abstract two,"RAYYAN-INCLUSION: {""Ann""=>""Excluded"", ""Bo""=>""Excluded""}",,
rayyan-388371192,They disagree,,BMJ,2021,Abstract three,"RAYYAN-INCLUSION: {""Ann""=>""Included"", ""Bo""=>""Excluded""} | USER-NOTES: {""Ann""=>[""check""]}",,
rayyan-388371193,One says maybe,,BMJ,2021,Abstract four,"RAYYAN-INCLUSION: {""Ann""=>""Maybe""}",,
rayyan-388371194,No decision yet,,BMJ,2022,Abstract five,,,
EOF
  expect_exit 0 "$SRA" import records --review "$r" "$TMP/rayyan.csv" --url "$URL" --json || return
  assert_eq "$(printf '%s' "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["inserted"], d["human_column"])')" "5 notes"
  assert_eq "$(fields "$r" rayyan-388371190)" "Other|Both included|Abstract one|2019|BMJ|10.1136/a|Smith, J;Doe, A|nudge|true"
  assert_eq "$(fields "$r" rayyan-388371191 | cut -d'|' -f9)" "false"
  assert_eq "$(fields "$r" rayyan-388371192 | cut -d'|' -f9)" "null"
  assert_eq "$(fields "$r" rayyan-388371193 | cut -d'|' -f9)" "null"
  assert_eq "$(fields "$r" rayyan-388371194 | cut -d'|' -f9)" "null"
}

case_asreview_included_excluded() {
  local r h
  expect_exit 0 "$SRA" db upgrade head --url "$URL" -q || return
  r=$(new_review)
  # asreview LAB's export: the label in N1, records without any id in both files
  cat >"$TMP/included.ris" <<'EOF'
TY  - JOUR
TI  - Included one
AB  - Relevant.
N1  - ASReview_relevant
ER  - 

TY  - JOUR
TI  - Included two
AN  - 777
N1  - ASReview_relevant
N1  - asreview_time: 2023-01-01
ER  - 
EOF
  cat >"$TMP/excluded.ris" <<'EOF'
TY  - JOUR
TI  - Excluded one
N1  - ASReview_irrelevant
ER  - 

TY  - JOUR
TI  - Excluded two
ER  - 

TY  - JOUR
TI  - Never seen
N1  - ASReview_not_seen
ER  - 
EOF
  expect_exit 0 "$SRA" import records --review "$r" "$TMP/included.ris" --decision include --url "$URL" -q || return
  expect_exit 0 "$SRA" import records --review "$r" "$TMP/excluded.ris" --decision exclude --url "$URL" -q || return
  assert_eq "$(q "SELECT count(*) FROM search_results WHERE review_id = '$r'")" "5" "two files into one review"
  assert_eq "$(fields "$r" 'included.ris#1' | cut -d'|' -f2,9)" "Included one|true"
  assert_eq "$(fields "$r" 777 | cut -d'|' -f2,9)" "Included two|true"
  assert_eq "$(fields "$r" 'excluded.ris#1' | cut -d'|' -f2,9)" "Excluded one|false"
  assert_eq "$(fields "$r" 'excluded.ris#2' | cut -d'|' -f2,9)" "Excluded two|false"
  assert_eq "$(fields "$r" 'excluded.ris#3' | cut -d'|' -f2,9)" "Never seen|false"
  assert_eq "$(raw "$r" 777 N1)" "2:ASReview_relevant|asreview_time: 2023-01-01"
  h=$(content_hash)
  expect_exit 0 "$SRA" import records --review "$r" "$TMP/excluded.ris" --decision exclude --url "$URL" || return
  assert_eq "$(printf '%s' "$ERR" | tail -1)" "inserted 0, updated 0, unchanged 3, invalid 0"
  assert_eq "$(content_hash)" "$h" "a second import changed the database"
  # without --decision the labels in N1 decide (another review)
  r=$(new_review)
  cat "$TMP/included.ris" "$TMP/excluded.ris" >"$TMP/asreview_all.ris"
  expect_exit 0 "$SRA" import records --review "$r" "$TMP/asreview_all.ris" --url "$URL" --json || return
  assert_eq "$(printf '%s' "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["inserted"], d["human_column"])')" "5 N1"
  assert_eq "$(fields "$r" 'asreview_all.ris#1' | cut -d'|' -f9)" "true"
  assert_eq "$(fields "$r" 'asreview_all.ris#3' | cut -d'|' -f9)" "false"
  assert_eq "$(fields "$r" 'asreview_all.ris#4' | cut -d'|' -f9)" "null"
  assert_eq "$(fields "$r" 'asreview_all.ris#5' | cut -d'|' -f9)" "null"
}

case_bad_files() {
  local r h
  expect_exit 0 "$SRA" db upgrade head --url "$URL" -q || return
  r=$(new_review)
  write_nbib
  expect_exit 0 "$SRA" import records --review "$r" "$TMP/pubmed.nbib" --url "$URL" -q || return
  h=$(content_hash)
  # a truncated last record
  printf 'TY  - JOUR\nTI  - One\nER  - \n\nTY  - JOUR\nTI  - Two\nAB  - cut off in the mid' >"$TMP/cut.ris"
  expect_exit 1 "$SRA" import records --review "$r" "$TMP/cut.ris" --url "$URL" || return
  one_line_error "cut.ris:5: the record starting on this line has no end"
  # a record that never ended before the next one
  printf 'TY  - JOUR\nTI  - One\nTY  - JOUR\nTI  - Two\nER  - \n' >"$TMP/joined.ris"
  expect_exit 1 "$SRA" import records --review "$r" "$TMP/joined.ris" --url "$URL" || return
  one_line_error "joined.ris:3: a new record \\(TY\\) begins before the record of line 1 ended"
  # Latin-1, not UTF-8
  printf 'TY  - JOUR\nTI  - One\nER  - \nTY  - JOUR\nTI  - M\374ller\nER  - \n' >"$TMP/latin1.ris"
  expect_exit 1 "$SRA" import records --review "$r" "$TMP/latin1.ris" --url "$URL" || return
  one_line_error "latin1.ris:5: not valid UTF-8"
  # two asreview labels in one record
  printf 'TY  - JOUR\nTI  - One\nN1  - ASReview_relevant\nN1  - ASReview_irrelevant\nER  - \n' >"$TMP/two.ris"
  expect_exit 1 "$SRA" import records --review "$r" "$TMP/two.ris" --url "$URL" || return
  one_line_error "two.ris:1: two different ASReview_ labels"
  # Rayyan's notes broken off
  printf 'TY  - JOUR\nTI  - One\nER  - \nTY  - JOUR\nTI  - Two\nN1  - RAYYAN-INCLUSION: {"Ann"=>"Incl\nER  - \n' >"$TMP/rayyan.ris"
  expect_exit 1 "$SRA" import records --review "$r" "$TMP/rayyan.ris" --url "$URL" || return
  one_line_error "rayyan.ris:6: N1: RAYYAN-INCLUSION is not"
  printf 'id,title,notes\n1,One,"RAYYAN-INCLUSION: {""Ann""=>""Included""}"\n2,Two,"RAYYAN-INCLUSION: {""Ann"" ""Included""}"\n' >"$TMP/rayyan.csv"
  expect_exit 1 "$SRA" import records --review "$r" "$TMP/rayyan.csv" --url "$URL" || return
  one_line_error "rayyan.csv:3: column 'notes': RAYYAN-INCLUSION is not"
  # the same AN twice
  printf 'TY  - JOUR\nAN  - A1\nTI  - One\nER  - \nTY  - JOUR\nAN  - A1\nTI  - Two\nER  - \n' >"$TMP/dup.ris"
  expect_exit 1 "$SRA" import records --review "$r" "$TMP/dup.ris" --url "$URL" || return
  one_line_error "dup.ris:5: source id 'A1' \\(Other\\) is already on line 1"
  # spreadsheet options on a RIS file
  expect_exit 2 "$SRA" import records --review "$r" "$TMP/dup.ris" --human x --url "$URL" || return
  one_line_error "dup.ris: --map, --human and --sheet are for CSV, TSV and XLSX"
  expect_exit 2 "$SRA" import records --review "$r" "$TMP/dup.ris" --decision maybe --url "$URL" || return
  # records without an identifier from a pipe: no file name to give them content ids
  printf 'TY  - JOUR\nAN  - P1\nTI  - Has one\nER  - \nTY  - JOUR\nTI  - Has none\nER  - \n' >"$TMP/noid.ris"
  expect_exit 1 "$SRA" import records --review "$r" - --url "$URL" <"$TMP/noid.ris" || return
  one_line_error "^sra: -:5: a record without an identifier \\(AN, ID or DO\\) gets its content id from the file's name, and input from a pipe or descriptor has none"
  printf 'PMID- \nTI  - No id\n' >"$TMP/noid.nbib"
  expect_exit 1 "$SRA" import records --review "$r" /dev/stdin --url "$URL" <"$TMP/noid.nbib" || return
  one_line_error "/dev/stdin:1: a record without an identifier \\(PMID\\)"
  assert_eq "$(content_hash)" "$h" "a failed import changed the database"
  # with an identifier on every record, a pipe is fine
  printf 'TY  - JOUR\nAN  - P1\nTI  - Has one\nER  - \n' >"$TMP/id.ris"
  expect_exit 0 "$SRA" import records --review "$r" - --url "$URL" -q <"$TMP/id.ris" || return
  assert_eq "$(q "SELECT title FROM search_results WHERE review_id = '$r' AND source_id = 'P1'")" "Has one"
}

case_ris_export_round_trip() {
  local r1 r2 run id a b
  expect_exit 0 "$SRA" db upgrade head --url "$URL" -q || return
  r1=$(new_review)
  cat >"$TMP/records.csv" <<'EOF'
id,title,abstract,doi,journal,year,authors,keywords,source_db,human_decision
31234567,"Nudges, defaults and Müller's choice",An abstract.,10.1000/x1,Lancet,2019,"Müller, K and Doe, A",nudge; health,PubMed,Y
2-s2.0-1,Scopus paper,"Two
lines",,J Tests,2020,"Roe, R",,Scopus,N
o1,,Only an abstract,,,,,,Other,
b1,From the benchmark,,10.1000/b1,,2018,,policy,benchmark_csv,Y
EOF
  cat >"$TMP/decisions.jsonl" <<'EOF'
{"source_id": "31234567", "reviewer": "conservative", "decision": "include", "confidence": 0.9}
{"source_id": "31234567", "reviewer": "comprehensive", "decision": "include", "confidence": 0.95}
{"source_id": "2-s2.0-1", "reviewer": "conservative", "decision": "exclude", "confidence": 0.8}
{"source_id": "2-s2.0-1", "reviewer": "comprehensive", "decision": "include", "confidence": 0.6}
{"source_id": "2-s2.0-1", "reviewer": "resolver", "decision": "exclude", "confidence": 0.75}
{"source_id": "b1", "reviewer": "conservative", "decision": "exclude", "confidence": 0.99}
{"source_id": "b1", "reviewer": "comprehensive", "decision": "exclude", "confidence": 0.97}
EOF
  expect_exit 0 "$SRA" import records --review "$r1" "$TMP/records.csv" --url "$URL" -q || return
  expect_exit 0 "$SRA" import decisions --review "$r1" "$TMP/decisions.jsonl" --url "$URL" -q || return
  expect_exit 0 "$SRA" benchmark run --review "$r1" --url "$URL" -q || return
  run=$OUT
  expect_exit 0 "$SRA" benchmark export "$run" --format ris -o "$TMP/run.ris" --url "$URL" || return
  expect_exit 0 "$SRA" benchmark export "$run" --what items -o "$TMP/items.csv" --url "$URL" || return
  # the N1 labels against the items CSV, the RIS read by a few lines of Python
  python3 - "$TMP/run.ris" "$TMP/items.csv" <<'PY' || fail "the RIS export does not match the items CSV"
import csv, sys
recs, cur = [], None
for line in open(sys.argv[1], encoding='utf-8', newline=''):
    assert line.endswith('\r\n'), repr(line)
    line = line[:-2]
    if not line:
        continue
    assert line[2:6] == '  - ' or line == 'ER  -', repr(line)
    tag, val = line[:2], line[6:]
    if tag == 'TY':
        cur = {}
    if tag == 'ER':
        recs.append(cur)
        cur = None
        continue
    cur.setdefault(tag, []).append(val)
items = {r['search_result_source_id']: r for r in csv.DictReader(open(sys.argv[2], newline='', encoding='utf-8'))}
assert len(recs) == len(items) == 4, (len(recs), len(items))
for r in recs:
    it = items[r['AN'][0]]
    n1 = r['N1']
    assert n1[0] == 'sra:' + it['classification'], (n1, it)
    human = it['human_decision'] or 'unknown'
    assert n1[1] == 'sra:human=' + human, (n1, it)
    assert 'sra:final=' + it['final_decision'] in n1, (n1, it)
    for who in ('conservative', 'comprehensive', 'resolver'):
        d, c = it[who + '_decision'], it[who + '_confidence']
        want = ['sra:%s=%s%s' % (who, d, ' ' + c if c else '')] if d else []
        got = [x for x in n1 if x.startswith('sra:%s=' % who)]
        assert got == want, (got, want)
    label = {'include': 'ASReview_relevant', 'exclude': 'ASReview_irrelevant', 'unknown': 'ASReview_not_seen'}[human]
    assert n1[-1] == label, n1
assert items['31234567']['classification'] == 'TP' and items['2-s2.0-1']['classification'] == 'TN'
assert items['b1']['classification'] == 'FN' and items['o1']['classification'] == 'UNKNOWN'
assert recs[[r['AN'][0] for r in recs].index('31234567')]['AU'] == ['Müller, K', 'Doe, A']
PY
  grep -q $'^AB  - Two lines\r$' "$TMP/run.ris" || fail "the line break in an abstract is not one space"
  # read back into another review: every field and the human label as they were
  r2=$(new_review)
  expect_exit 0 "$SRA" import records --review "$r2" "$TMP/run.ris" --url "$URL" || return
  assert_eq "$(printf '%s' "$ERR" | tail -1)" "inserted 4, updated 0, unchanged 0, invalid 0"
  for id in 31234567 2-s2.0-1 o1 b1; do
    a=$(fields "$r1" "$id" | tr '\n' ' ' | sed 's/ $//')	# the abstract's line break is one space in RIS
    b=$(fields "$r2" "$id")
    [ -n "$a" ] || fail "no record $id in the first review"
    assert_eq "$b" "$a" "record $id after the round trip"
  done
  assert_eq "$(raw "$r2" 31234567 N1)" "6:sra:TP|ASReview_relevant" "N1 kept in raw_data (class, human, final, two reviewers, label)"
}

run_cases case_pubmed_nbib case_scopus_and_embase_ris case_endnote_crlf_bom case_rayyan_csv \
  case_asreview_included_excluded case_bad_files case_ris_export_round_trip
