#!/bin/sh
# Rebuild the shipped background reference, corpora/reference/gov-reports.tsv: the term
# counts of the 72 records of ../shared/corpora/gov-work-reports.jsonl (the State Council's
# government work reports 1954-2025 and the NPC resolutions on them, from Chinese
# Wikisource) and of the six sample city reports written for the project
# (corpora/cities, all but the real taizhou-2009, which the tests rank against the list).
# Counted by comptext itself, with its default term discovery and normalisation, so that
# the list is in the units `comptext themes` counts in: rebuild it when term discovery
# changes. Usage: tools/make-reference.sh [COMPTEXT] (default build/src/cli/comptext), from
# the project's root; COMPTEXT_SHARED overrides ../shared.
set -eu
exe=${1:-build/src/cli/comptext}
shared=${COMPTEXT_SHARED:-../shared}
jsonl="$shared/corpora/gov-work-reports.jsonl"
if [ ! -f "$jsonl" ]; then
    echo "make-reference: $jsonl is absent" >&2
    exit 77
fi
samples=$(ls corpora/cities/*.txt | grep -v taizhou-2009)
# shellcheck disable=SC2086
"$exe" themes --write-reference --quiet --reference none --text-field content --id-field title \
    "$jsonl" $samples -o corpora/reference/gov-reports.tsv
head -2 corpora/reference/gov-reports.tsv
wc -l corpora/reference/gov-reports.tsv
