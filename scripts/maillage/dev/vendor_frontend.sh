#!/bin/sh
# Vendor the front-end libraries of the directory from the npm registry.
#
# Usage: scripts/maillage/dev/vendor_frontend.sh   (from the repository root)
#
# Versions are pinned below; to update, change a version, run the script, test
# (pytest -m browser), and update docs/assets/vendor/README.md.
set -eu

MINISEARCH=7.2.0
LEAFLET=1.9.4
MARKERCLUSTER=1.5.3
AXE_CORE=4.14.1
DECAP_CMS=3.16.3

ROOT=$(pwd)
VENDOR="$ROOT/docs/assets/vendor"
TESTS_VENDOR="$ROOT/tests/vendor"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

fetch() { # name version -> extracted package dir
  (cd "$WORK" && npm pack --silent "$1@$2" >/dev/null 2>&1 && mkdir -p "$1" && tar -xzf "$(echo "$1" | tr -d '@' | tr '/' '-')-$2.tgz" -C "$1")
  echo "$WORK/$1/package"
}

licence() { # package dir, destination dir
  for f in LICENSE LICENSE.md LICENSE.txt MIT-LICENCE.txt; do
    if [ -f "$1/$f" ]; then cp "$1/$f" "$2/LICENSE"; return 0; fi
  done
  echo "no licence file in $1" >&2; exit 1
}

rm -rf "$VENDOR/minisearch" "$VENDOR/leaflet" "$VENDOR/leaflet.markercluster" "$VENDOR/decap-cms" "$TESTS_VENDOR/axe-core"
mkdir -p "$VENDOR/minisearch" "$VENDOR/leaflet/images" "$VENDOR/leaflet.markercluster" "$VENDOR/decap-cms" \
  "$TESTS_VENDOR/axe-core"

P=$(fetch minisearch "$MINISEARCH")
cp "$P/dist/umd/index.js" "$VENDOR/minisearch/minisearch.js"
licence "$P" "$VENDOR/minisearch"

P=$(fetch leaflet "$LEAFLET")
cp "$P/dist/leaflet.js" "$P/dist/leaflet.css" "$VENDOR/leaflet/"
cp "$P"/dist/images/*.png "$VENDOR/leaflet/images/"
licence "$P" "$VENDOR/leaflet"

P=$(fetch leaflet.markercluster "$MARKERCLUSTER")
cp "$P/dist/leaflet.markercluster.js" "$P/dist/MarkerCluster.css" "$P/dist/MarkerCluster.Default.css" \
  "$VENDOR/leaflet.markercluster/"
licence "$P" "$VENDOR/leaflet.markercluster"

P=$(fetch axe-core "$AXE_CORE")
cp "$P/axe.min.js" "$P/LICENSE-3RD-PARTY.txt" "$TESTS_VENDOR/axe-core/"
licence "$P" "$TESTS_VENDOR/axe-core"

# The web editor (/admin/): the single-file bundle only (French included); its lazy chunks
# serve widgets the generated configuration never uses (Markdown, code, map).
P=$(fetch decap-cms "$DECAP_CMS")
cp "$P/dist/decap-cms.js" "$VENDOR/decap-cms/"
cp "$P/dist/decap-cms.js.LICENSE.txt" "$VENDOR/decap-cms/THIRD-PARTY-NOTICES.txt"
# The npm package ships no licence file: the MIT licence of the Decap CMS repository.
cat > "$VENDOR/decap-cms/LICENSE" <<'LICENCE'
Copyright (c) 2016 Netlify <decap@p-m.si>

MIT License

Permission is hereby granted, free of charge, to any person obtaining
a copy of this software and associated documentation files (the
"Software"), to deal in the Software without restriction, including
without limitation the rights to use, copy, modify, merge, publish,
distribute, sublicense, and/or sell copies of the Software, and to
permit persons to whom the Software is furnished to do so, subject to
the following conditions:

The above copyright notice and this permission notice shall be
included in all copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND,
EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF
MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE
LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION
OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION
WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
LICENCE

# Drop source-map references: the maps are not vendored.
for f in "$VENDOR"/*/*.js; do
  sed -i '/^\/\/# sourceMappingURL=/d' "$f"
done
echo "vendored: minisearch $MINISEARCH, leaflet $LEAFLET, leaflet.markercluster $MARKERCLUSTER, axe-core $AXE_CORE," \
  "decap-cms $DECAP_CMS"
