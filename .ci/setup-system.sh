#!/usr/bin/env bash
# System packages the test suite needs beyond Node and npm. Each is optional for a
# user's `pnpm test` (the tests that need it skip), but CI installs them.
set -u
need=()
if [ -n "${CI:-}" ]; then
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
fi
if [ ${#need[@]} -gt 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing system packages: ${need[*]}"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}") >/tmp/seqlearn-apt.log 2>&1 \
    || echo "warning: apt-get install ${need[*]} failed (see /tmp/seqlearn-apt.log)"
fi
exit 0
