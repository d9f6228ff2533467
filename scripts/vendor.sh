#!/usr/bin/env bash
# Vendor the front-end libraries into tiaodu/core/static/vendor/ (users' networks are closed: no CDN).
#
# Usage: scripts/vendor.sh
#
# Needs npm (only `npm pack` is used: nothing is installed, no node_modules). To upgrade, change a
# version below, run the script, check the pages, and update tiaodu/core/static/vendor/VENDOR.md.
set -euo pipefail
shopt -s inherit_errexit # also stop on errors inside $(fetch ...)

BOOTSTRAP_VERSION="5.3.9"        # npm view bootstrap@5 version
BOOTSTRAP_ICONS_VERSION="1.13.2" # npm view bootstrap-icons@1 version
HTMX_VERSION="2.0.11"            # npm view htmx.org@2.0 version
ECHARTS_VERSION="6.1.0"          # npm view echarts@6 version

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$ROOT/tiaodu/core/static/vendor"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# fetch NAME VERSION: npm pack NAME@VERSION into $WORK/NAME and unpack it; prints the package dir.
fetch() {
  local name="$1" version="$2" dir="$WORK/$1" tarball
  mkdir -p "$dir"
  tarball="$(cd "$dir" && npm pack "$name@$version" --silent --loglevel=error | tail -n 1)"
  tar -xzf "$dir/$tarball" -C "$dir"
  echo "$dir/package"
}

# install SRC_DIR TARGET_DIR FILE...: copy FILEs (paths relative to SRC_DIR) into TARGET_DIR, flat.
install_files() {
  local src="$1" target="$2"
  shift 2
  for f in "$@"; do
    if [[ ! -f "$src/$f" ]]; then
      echo "missing in package: $f" >&2
      exit 1
    fi
    cp "$src/$f" "$target/"
  done
}

# fresh TARGET_DIR: empty a package folder so files dropped upstream do not linger.
fresh() {
  rm -rf "$1"
  mkdir -p "$1"
}

# Bootstrap (MIT): CSS and the JS bundle (includes Popper), with their source maps.
pkg="$(fetch bootstrap "$BOOTSTRAP_VERSION")"
fresh "$DEST/bootstrap"
install_files "$pkg" "$DEST/bootstrap" LICENSE dist/css/bootstrap.min.css dist/js/bootstrap.bundle.min.js
for map in dist/css/bootstrap.min.css.map dist/js/bootstrap.bundle.min.js.map; do
  if [[ -f "$pkg/$map" ]]; then
    cp "$pkg/$map" "$DEST/bootstrap/"
  fi
done

# Bootstrap Icons (MIT): the CSS refers to fonts/bootstrap-icons.woff2 relative to itself.
pkg="$(fetch bootstrap-icons "$BOOTSTRAP_ICONS_VERSION")"
fresh "$DEST/bootstrap-icons"
mkdir -p "$DEST/bootstrap-icons/fonts"
install_files "$pkg" "$DEST/bootstrap-icons" LICENSE font/bootstrap-icons.min.css
install_files "$pkg" "$DEST/bootstrap-icons/fonts" font/fonts/bootstrap-icons.woff2 font/fonts/bootstrap-icons.woff

# htmx (0BSD)
pkg="$(fetch htmx.org "$HTMX_VERSION")"
fresh "$DEST/htmx"
install_files "$pkg" "$DEST/htmx" LICENSE dist/htmx.min.js

# Apache ECharts (Apache-2.0): ship NOTICE and the bundled third-party licence as the licence requires.
pkg="$(fetch echarts "$ECHARTS_VERSION")"
fresh "$DEST/echarts"
install_files "$pkg" "$DEST/echarts" LICENSE NOTICE dist/echarts.min.js
if [[ -d "$pkg/licenses" ]]; then
  cp -r "$pkg/licenses" "$DEST/echarts/"
fi

echo "Vendored into ${DEST#"$ROOT"/}:"
(cd "$DEST" && find . -type f ! -name VENDOR.md -printf '%s\t%p\n' | sort -k2 | awk -F'\t' '{printf "  %9d  %s\n", $1, $2}')
echo "bootstrap $BOOTSTRAP_VERSION, bootstrap-icons $BOOTSTRAP_ICONS_VERSION, htmx.org $HTMX_VERSION, echarts $ECHARTS_VERSION"
echo "Update tiaodu/core/static/vendor/VENDOR.md if a version changed."
