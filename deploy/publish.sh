#!/usr/bin/env bash
# deploy/publish.sh [OUT]: builds the release executables, chatroom-host and chatroom, for linux-x64 into OUT
# (default dist/linux-x64). Each is one self-contained native file (NativeAOT): no .NET runtime is needed where
# they run. appsettings.json goes beside chatroom-host; *.dbg files are their debug symbols (not needed to run).
# NativeAOT links with the system's C toolchain (gcc or clang); about two minutes on two cores.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-dist/linux-x64}
# NativeAOT links with the system's C compiler and zlib: install them if this machine has none.
if ! command -v cc > /dev/null && ! command -v clang > /dev/null; then
  echo "== no C compiler: installing one (apt-get install -y build-essential zlib1g-dev)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq build-essential zlib1g-dev > /dev/null
fi
mkdir -p "$OUT"
for project in Host/Host.csproj Client.Console/Client.Console.csproj; do
  dotnet publish "$project" -c Release -r linux-x64 -o "$OUT" -v q --nologo -p:PublishDocumentationFile=false -p:PublishReferencesDocumentationFiles=false
done
rm -f "$OUT"/*.pdb
echo "published to $OUT:"
ls -l "$OUT"
