#!/usr/bin/env bash
# The healthy host's program: any executable will do, the probe checks that
# it exists. The manifest names it relative to the manifest's directory.
set -eu
cp "$WINEPREFIX/drive_c/windows/notepad.exe" \
  "$WINEPREFIX/drive_c/Program Files (x86)/CFCA/CryptoKit.cgb/CryptoKit.cgb.NativeHost.exe"
