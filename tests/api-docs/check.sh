#!/usr/bin/env bash
# docs/runtime-api.md must list exactly the entry points libcuport exports (both directions).
set -u
lib=$1 doc=$2
exported=$(nm -D --defined-only "$lib" | awk '{print $3}' | grep -E '^(cuda|__cuda|cuport|__cuport)' | sort -u)
documented=$(grep -oE '`(cuda|__cuda|cuport|__cuport)[A-Za-z0-9_]*`' "$doc" | tr -d '`' | sort -u)
missing=$(comm -23 <(echo "$exported") <(echo "$documented"))
stale=$(comm -13 <(echo "$exported") <(echo "$documented"))
[ -n "$missing" ] && echo "exported but not in $doc:" $missing
[ -n "$stale" ] && echo "in $doc but not exported:" $stale
if [ -z "$missing" ] && [ -z "$stale" ]; then echo "api docs: $(echo "$exported" | wc -l) entry points, PASS"; else echo FAIL; exit 1; fi
