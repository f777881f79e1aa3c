#!/usr/bin/env bash
# Runs govulncheck over ./... and fails on a known vulnerability that the code reaches
# (a function of a vulnerable package called from Lontara), unless the finding is accepted
# in scripts/govulncheck-accept.txt with its reason.
#
# The vulnerability database is not vuln.go.dev (not reachable from these machines) but
# the same data as a Go module: golang.org/x/vulndb from the Go module proxy, whose
# data/osv folder holds every report as an OSV file. govulncheck reads such a folder with
# -db file://DIR and builds the index itself. The newest version is taken on every run, so
# the data is as fresh as the proxy's copy of the vulndb repository.
#   env: GOVULNCHECK_VERSION (v1.9.0)  the govulncheck to run (golang.org/x/vuln)
#        VULNDB_VERSION (latest)       the golang.org/x/vulndb version to take the data from
#        GOVULNCHECK_PKGS (./...)      the packages to check
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
GOVULNCHECK_VERSION=${GOVULNCHECK_VERSION:-v1.9.0}
VULNDB_VERSION=${VULNDB_VERSION:-latest}
ACCEPT=$ROOT/scripts/govulncheck-accept.txt
command -v jq >/dev/null || { echo "govulncheck.sh needs jq (apt-get install jq)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Outside the module, so that neither download touches go.mod or go.sum.
GOBIN=$work/bin GOFLAGS= go install "golang.org/x/vuln/cmd/govulncheck@$GOVULNCHECK_VERSION"
db=$(cd "$work" && GOFLAGS= go mod download -json "golang.org/x/vulndb@$VULNDB_VERSION")
db_version=$(jq -r .Version <<<"$db")
db_dir=$(jq -r .Dir <<<"$db")/data/osv
[ -d "$db_dir" ] || { echo "no data/osv in golang.org/x/vulndb@$db_version: $(jq -r .Error <<<"$db")" >&2; exit 2; }
echo "govulncheck $GOVULNCHECK_VERSION, database golang.org/x/vulndb@$db_version ($(find "$db_dir" -name '*.json' | wc -l) reports), $(go version | cut -d' ' -f3)"

# -format json exits 0 whatever it finds; the findings are judged below.
"$work/bin/govulncheck" -db "file://$db_dir" -format json ${GOVULNCHECK_PKGS:-./...} >"$work/out.json"

# A finding whose trace starts at a function is one the code calls; the others are
# vulnerable packages or modules that are only imported or required. One line per
# vulnerability reached: id, module@version, fixed version, summary, one call path.
jq -rs '(map(select(.osv)) | map({key: .osv.id, value: .osv.summary}) | from_entries) as $summary |
  map(select(.finding) | .finding | select(.trace[0].function != null)) | group_by(.osv)[] | .[0] |
  [.osv, .trace[0].module + "@" + (.trace[0].version // "?"), (.fixed_version // "none"), $summary[.osv],
   ([.trace[] | select(.function != null) | (if .receiver then .receiver + "." else "" end) + .function] | reverse | join(" -> "))] | @tsv' \
  "$work/out.json" >"$work/called.tsv"
imported=$(jq -rs 'map(select(.finding) | .finding) | (map(.osv) | unique) - (map(select(.trace[0].function != null) | .osv) | unique) | length' "$work/out.json")
accepted() { awk -v id="$1" '!/^[[:space:]]*#/ && $1 == id { found = 1 } END { exit !found }' "$ACCEPT"; }

bad=0
while IFS=$'\t' read -r id module fixed summary where; do
  if accepted "$id"; then
    echo "accepted: $id $module (fixed in $fixed): $summary"
  else
    echo "FOUND:    $id $module (fixed in $fixed): $summary"
    echo "          called: $where"
    bad=1
  fi
done <"$work/called.tsv"
echo "$(wc -l <"$work/called.tsv") vulnerabilities reached by the code, $imported more only imported or required (not reached)"
if [ "$bad" = 1 ]; then
  echo "govulncheck: the code reaches a vulnerability above; upgrade the module (go get MODULE@FIXED) or Go," \
    "or accept it in scripts/govulncheck-accept.txt with the reason" >&2
  exit 1
fi
