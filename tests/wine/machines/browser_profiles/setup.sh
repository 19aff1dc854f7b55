#!/usr/bin/env bash
# The profiles belong to the Wine user, whose folder is named after the Unix
# user running Wine: copy user/ (AppData\Local and AppData\Roaming) there.
set -eu
me=${USER:-$(whoami)}
[ -d "$WINEPREFIX/drive_c/users/$me" ] || me=$(whoami)
dest="$WINEPREFIX/drive_c/users/$me"
if [ ! -d "$dest" ]; then
  echo "no Wine user folder $dest" >&2
  exit 1
fi
cp -a user/. "$dest/"
echo "profiles copied into $dest"
