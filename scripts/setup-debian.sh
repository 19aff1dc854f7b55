#!/usr/bin/env bash
# Installs the Debian 12 packages cadoctor needs, and only those missing, so a
# rerun costs one dpkg query. Usage: scripts/setup-debian.sh build|test
#   build: compiler, CMake, and the -dev packages of SQLite, OpenSSL, libusb, cJSON
#   test:  build, plus the real peers the tests use (SoftHSM2, p11-kit, OpenSC,
#          pcscd, NSS tools, OpenSSL CLI, Chromium, Firefox ESR, Python's jsonschema), and the
#          Windows side: mingw-w64 and Wine (64-bit; see docs/windows-build.md), wixl and
#          msitools (the MSI), Xvfb, ImageMagick and xdotool (the GUI test)
set -euo pipefail

build_pkgs=(gcc libc6-dev make cmake ninja-build pkg-config ca-certificates
  libsqlite3-dev libssl-dev libusb-1.0-0-dev libcjson-dev)
test_pkgs=(sqlite3 openssl softhsm2 p11-kit opensc pcscd libnss3-tools
  python3 python3-jsonschema chromium firefox-esr fonts-wqy-microhei procps time umockdev file bsdutils
  wine wine64 dpkg-dev gcc-mingw-w64-x86-64-win32 gcc-mingw-w64-i686-win32 binutils-mingw-w64-x86-64
  binutils-mingw-w64-i686 wixl msitools xvfb imagemagick xdotool)

case "${1:-build}" in
  build) want=("${build_pkgs[@]}") ;;
  test) want=("${build_pkgs[@]}" "${test_pkgs[@]}") ;;
  *) echo "usage: $0 build|test" >&2; exit 64 ;;
esac

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "setup: installing ${missing[*]}"
if [ "$(id -u)" != 0 ]; then
  echo "setup: these Debian packages are missing; run as root or install them: ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# A mirror in the middle of a sync can fail one index (apt exits non-zero);
# the install below still fails clearly if a package really cannot be had.
apt-get update -qq || echo "setup: apt-get update reported errors; trying the install anyway" >&2
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
