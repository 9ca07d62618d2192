#!/usr/bin/env bash
# make test's tools beyond Go and a C compiler: Debian's sqlite3 (the
# README's SQL is run in it) and hugo and jekyll, with the plugin the Jekyll
# skeleton lists for redirects (cmd/wparchive/export_build_test.go builds
# exported sites with them). Where one is missing it is installed with
# apt-get when this runs as root, as on a fresh machine of this project;
# else it says what to install and the tests say what they could not do.
set -euo pipefail

need_apt=()
command -v sqlite3 >/dev/null 2>&1 || need_apt+=(sqlite3)
if [[ ${WPARCHIVE_SKIP_BUILD:-} != 1 ]]; then
  command -v hugo >/dev/null 2>&1 || need_apt+=(hugo)
  command -v jekyll >/dev/null 2>&1 || need_apt+=(jekyll)
  if ! command -v ruby >/dev/null 2>&1 || ! ruby -e 'require "jekyll-redirect-from"' >/dev/null 2>&1; then
    need_apt+=(ruby-jekyll-redirect-from)
  fi
fi
((${#need_apt[@]})) || exit 0

if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null 2>&1; then
  echo "make test: installing ${need_apt[*]} with apt-get (the export build tests and the README's SQL need them)" >&2
  apt-get update -qq
  # No recommends: hugo's would bring Debian's own Go toolchain.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >&2
else
  echo "make test: not installed: ${need_apt[*]} (Debian: sudo apt-get install ${need_apt[*]})." \
    "Without hugo and jekyll the export build tests fail (WPARCHIVE_SKIP_BUILD=1 skips them); without sqlite3 the README's SQL is not run." >&2
fi
