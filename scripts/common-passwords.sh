#!/usr/bin/env bash
# Rebuilds internal/auth/commonpw/passwords.txt.gz, the list of common and
# breached passwords that the password rules refuse, from the npm package
# @zxcvbn-ts/language-common (MIT; its list comes from zxcvbn by Dan Wheeler and
# Dropbox, drawn from leaked password sets). Lower-cased, deduplicated, sorted, one a
# line, gzipped. Needs node and npm; run from anywhere, then commit the result.
#   env: VERSION (4.1.3)  the package version to take
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=internal/auth/commonpw/passwords.txt.gz
VERSION=${VERSION:-4.1.3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund "@zxcvbn-ts/language-common@$VERSION" >/dev/null)
node -e 'process.stdout.write(require(process.argv[1]).join("\n") + "\n")' \
  "$work/node_modules/@zxcvbn-ts/language-common/dist/passwords.json.cjs" |
  tr '[:upper:]' '[:lower:]' | LC_ALL=C sort -u | grep -v '^$' | gzip -9n >"$OUT"
cp "$work/node_modules/@zxcvbn-ts/language-common/LICENSE.txt" internal/auth/commonpw/LICENSE.txt
echo "$OUT: $(gzip -dc "$OUT" | wc -l) passwords from @zxcvbn-ts/language-common@$VERSION"
