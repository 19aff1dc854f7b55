#!/usr/bin/env bash
# Builds the Windows installer and the portable zip from a cross build:
#   scripts/build-msi.sh x64|x86
#     build/win-<arch>/cadoctor.msi                   (installer/cadoctor.wxs, wixl from msitools)
#     build/win-<arch>/cadoctor-<version>-<arch>-portable.zip   (the two exes)
#   The x64 ones also carry the x86 cadoctor.exe as cadoctor-x86.exe, the
#   reader of 32-bit PKCS#11 DLLs, so win-x86 must be built first.
# The exes come from build/win-<arch>/src (cmake --build --preset win-<arch>).
# wixl builds a subset of WiX 3: the Environment (PATH) and non-advertised
# Shortcut rows are added to the database here with msibuild (docs/deploy.md).
set -euo pipefail
cd "$(dirname "$0")/.."
arch=${1:?usage: scripts/build-msi.sh x64|x86}
case "$arch" in x64|x86) ;; *) echo "usage: $0 x64|x86" >&2; exit 64 ;; esac
out=build/win-$arch
bin=$out/src
for f in cadoctor.exe cadoctor-gui.exe; do
  [ -f "$bin/$f" ] || { echo "build-msi: $bin/$f is missing (cmake --build --preset win-$arch)" >&2; exit 66; }
done
command -v wixl >/dev/null && command -v msibuild >/dev/null || {
  echo "build-msi: wixl and msibuild are missing (apt-get install wixl msitools)" >&2; exit 69; }
version=$(sed -n 's/^project(cadoctor VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)

stage=$out/msi
rm -rf "$stage"
mkdir -p "$stage"
cp installer/cadoctor.wxs "$bin/cadoctor.exe" "$bin/cadoctor-gui.exe" "$stage/"
# The x64 package carries the x86 cadoctor as the reader of 32-bit PKCS#11
# DLLs (src/probes/pe.h): build win-x86 first.
extra=()
if [ "$arch" = x64 ]; then
  reader=build/win-x86/src/cadoctor.exe
  [ -f "$reader" ] || { echo "build-msi: $reader is missing: the x64 package carries it (cmake --build --preset win-x86)" >&2; exit 66; }
  cp "$reader" "$stage/cadoctor-x86.exe"
  extra=("$stage/cadoctor-x86.exe")
fi
# wixl finds File sources relative to the current directory.
(cd "$stage" && wixl -a "$arch" -D Arch="$arch" -D Version="$version" -o cadoctor.msi cadoctor.wxs)

# The database's code page: wixl 0.101 leaves it 0 (whatever Product/@Codepage
# says), and libmsi (msibuild) crashes storing any non-ASCII string in a
# database of code page 0. With 936 (GBK, as the package's Language 2052)
# the Chinese shortcut name below is stored and Windows Installer reads it.
printf '\r\n\r\n936\t_ForceCodepage\r\n' >"$stage/_ForceCodepage.idt"
(cd "$stage" && msibuild cadoctor.msi -i _ForceCodepage.idt)
# The shortcut's name is the window's title (resources/strings.txt, GUI_TITLE):
# "short|long", the short name for 8.3 file systems.
title() { # LANG: GUI_TITLE in that language
  awk -v l="$1:" '/^Id: /{id=$2} id=="GUI_TITLE" && $1==l {sub(/^[^:]*: /, ""); print; exit}' resources/strings.txt
}
title_zh=$(title zh-CN)
title_en=$(title en)
case "$title_zh$title_en" in *"'"*|"") echo "build-msi: GUI_TITLE missing or has a quote" >&2; exit 65 ;; esac
# Standard actions with their usual sequence numbers (Windows Installer SDK).
# One query per msibuild call: several -q in one call crash msitools 0.101.
q() { (cd "$stage" && msibuild cadoctor.msi -q "$1"); }
q "CREATE TABLE \`Environment\` (\`Environment\` CHAR(72) NOT NULL, \`Name\` CHAR(255) NOT NULL LOCALIZABLE, \`Value\` CHAR(255) LOCALIZABLE, \`Component_\` CHAR(72) NOT NULL PRIMARY KEY \`Environment\`)"
q "INSERT INTO \`Environment\` (\`Environment\`, \`Name\`, \`Value\`, \`Component_\`) VALUES ('PathEntry', '=-*PATH', '[~];[INSTALLDIR]', 'CliExe')"
q "INSERT INTO \`InstallExecuteSequence\` (\`Action\`, \`Sequence\`) VALUES ('RemoveEnvironmentStrings', 3300)"
q "INSERT INTO \`InstallExecuteSequence\` (\`Action\`, \`Sequence\`) VALUES ('WriteEnvironmentStrings', 5200)"
q "INSERT INTO \`Shortcut\` (\`Shortcut\`, \`Directory_\`, \`Name\`, \`Component_\`, \`Target\`, \`Description\`, \`WkDir\`) VALUES ('GuiShortcut', 'AppMenuDir', 'CADOCTOR|$title_zh', 'GuiExe', '[#CadoctorGuiExe]', '$title_zh ($title_en)', 'INSTALLDIR')"
q "INSERT INTO \`InstallExecuteSequence\` (\`Action\`, \`Sequence\`) VALUES ('RemoveShortcuts', 3200)"
q "INSERT INTO \`InstallExecuteSequence\` (\`Action\`, \`Sequence\`) VALUES ('CreateShortcuts', 4500)"
mv "$stage/cadoctor.msi" "$out/cadoctor.msi"

zip=$out/cadoctor-$version-$arch-portable.zip
python3 - "$zip" "$bin/cadoctor.exe" "$bin/cadoctor-gui.exe" "${extra[@]}" <<'PY'
import os, sys, zipfile
with zipfile.ZipFile(sys.argv[1] + '.tmp', 'w', zipfile.ZIP_DEFLATED) as z:
    for p in sys.argv[2:]:
        z.write(p, 'cadoctor/' + os.path.basename(p))
os.replace(sys.argv[1] + '.tmp', sys.argv[1])
PY
rm -rf "$stage"
echo "build-msi: $out/cadoctor.msi $zip"
