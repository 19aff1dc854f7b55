#!/usr/bin/env bash
# The host program (any executable will do: the probe checks that it exists)
# and the Wine user's Chrome profile (user/ copied into C:\users\<user>).
set -eu
cp "$WINEPREFIX/drive_c/windows/notepad.exe" \
  "$WINEPREFIX/drive_c/Program Files (x86)/CFCA/CryptoKit.lnwl/CryptoKit.lnwl.NativeHost.exe"
me=${USER:-$(whoami)}
[ -d "$WINEPREFIX/drive_c/users/$me" ] || me=$(whoami)
dest="$WINEPREFIX/drive_c/users/$me"
if [ ! -d "$dest" ]; then
  echo "no Wine user folder $dest" >&2
  exit 1
fi
cp -a user/. "$dest/"
