#!/usr/bin/env bash
# Rebuilds MetaJit.sln from every project in the tree (used after merging branches that each added projects).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
rm -f MetaJit.sln
dotnet new sln -n MetaJit --format sln >/dev/null
find framework toolchain examples interpreters tests benchmarks -name '*.csproj' -not -path '*/obj/*' -not -path '*/bin/*' 2>/dev/null | sort | xargs dotnet sln MetaJit.sln add >/dev/null
echo "MetaJit.sln: $(grep -c '^Project' MetaJit.sln) projects"
