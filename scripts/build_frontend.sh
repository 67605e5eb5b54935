#!/usr/bin/env bash
# Rebuilds the vendored front-end files in static/vendor from the npm registry.
# The output is committed, so running the site never needs Node; run this only to upgrade.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
cd "$work"
npm init -y >/dev/null
npm install --silent govuk-frontend@6.6.0 htmx.org@2.0.11 signature_pad@5.1.4 sortablejs@1.15.7
m=node_modules
mkdir -p "$here/static/vendor/govuk" "$here/static/vendor/js"
python3 - "$m/govuk-frontend/dist/govuk/govuk-frontend.min.css" "$here/static/vendor/govuk/govuk-frontend.min.css" <<'PY'
import re, sys
css = open(sys.argv[1]).read()
# The GDS Transport typeface and the crown are reserved for services on GOV.UK:
# drop their @font-face rules and use the system font stack instead.
css = re.sub(r"@font-face\{[^}]*\}", "", css)
stack = 'system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif'
css = css.replace("font-family:GDS Transport,arial,sans-serif", "font-family:" + stack)
css = css.replace("font-family:GDS Transport", "font-family:" + stack)
css = css.replace("url(/assets/images/govuk-crest.svg)", "none")
open(sys.argv[2], "w").write(css)
PY
cp "$m/govuk-frontend/dist/govuk/govuk-frontend.min.js" "$here/static/vendor/govuk/"
cp "$m/htmx.org/dist/htmx.min.js" "$m/signature_pad/dist/signature_pad.umd.min.js" "$m/sortablejs/Sortable.min.js" \
  "$here/static/vendor/js/"
# The source maps are not vendored: drop the comments naming them, or collectstatic's manifest
# storage fails looking for the missing files.
sed -i -E '/^\/\/# sourceMappingURL=.*$/d; s#/\*\# sourceMappingURL=[^*]*\*/##' \
  "$here"/static/vendor/js/*.js "$here"/static/vendor/govuk/*.css
rm -rf "$work"
