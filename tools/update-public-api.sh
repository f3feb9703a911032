#!/usr/bin/env bash
# Rewrites each packed library's PublicAPI.Unshipped.txt from what the code declares public now.
#
#   tools/update-public-api.sh            all packed libraries (src/Core, src/Producer, src/Consumer)
#
# The public API analyzer (RS0016) names every public symbol missing from PublicAPI.*.txt; this script builds
# each library with an empty Unshipped file, collects those names and writes them, sorted. Review the diff:
# it is the change to the API users see. Symbols already in PublicAPI.Shipped.txt stay there.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

for project in Core Producer Consumer; do
  dir=src/$project
  unshipped=$dir/PublicAPI.Unshipped.txt
  printf '#nullable enable\n' >"$unshipped"
  log=$(mktemp)
  # Libraries a project references are built first, so their own files must already be right (Core first).
  dotnet build "$dir" -c Release -p:TreatWarningsAsErrors=false -p:WarningsAsErrors=RS0016 \
    -clp:NoSummary >"$log" 2>&1 || true
  {
    printf '#nullable enable\n'
    grep -o "RS0016: Symbol '[^']*'" "$log" | sed -e "s/^RS0016: Symbol '//" -e "s/'\$//" | LC_ALL=C sort -u
  } >"$unshipped.new"
  mv "$unshipped.new" "$unshipped"
  rm -f "$log"
  echo "$unshipped: $(($(wc -l <"$unshipped") - 1)) symbols"
done

# The libraries must now build with the analyzer's errors on.
for project in Core Producer Consumer; do
  dotnet build "src/$project" -c Release -clp:NoSummary >/dev/null || {
    echo "update-public-api: src/$project still does not build; run dotnet build src/$project for the errors" >&2
    exit 1
  }
done
