#!/usr/bin/env bash
# The two entry points of the README, for a fresh Debian 12 machine:
#   scripts/run.sh scan   install what is missing, build (release), scan this machine
#   scripts/run.sh test   install what is missing, build (release, ASan+UBSan, and
#                         cadoctor.exe for Windows x64 and x86), run every test:
#                         both Linux builds, and the Windows exe under Wine
# Reruns only rebuild what changed.
set -euo pipefail
cd "$(dirname "$0")/.."

build() { # preset
  cmake --preset "$1" >/dev/null
  cmake --build --preset "$1"
}

case "${1:-}" in
  scan)
    scripts/setup-debian.sh build
    build release
    shift
    exec build/release/src/cadoctor scan "$@"
    ;;
  test)
    scripts/setup-debian.sh test
    build release
    # Windows: libraries from Debian source packages (cached in build/win-deps),
    # then cadoctor.exe for x64 and x86 with the native generators just built.
    scripts/build-win-deps.sh x86_64 build/win-deps
    scripts/build-win-deps.sh i686 build/win-deps
    build win-x64
    build win-x86
    # the MSIs and portable zips (wixl); the x64 ones carry the x86 exe as
    # the reader of 32-bit PKCS#11 DLLs
    scripts/build-msi.sh x64
    scripts/build-msi.sh x86
    build asan
    # The sanitizer build runs the whole suite; the release build runs it too,
    # since optimisation changes what undefined behaviour does.
    export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
    export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
    ctest --preset release -j2
    ctest --preset asan -j2
    echo "--- a scan of this machine with the embedded rules:"
    build/release/src/cadoctor scan --offline || true
    ;;
  *)
    echo "usage: scripts/run.sh scan|test" >&2
    exit 64
    ;;
esac
