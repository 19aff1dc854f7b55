# Helpers for the Wine tests that need a machine, a display or both
# (gui.sh, policy.sh, msi.sh): sourced, never run. Needs $WORK (a scratch
# directory the test removes) and $SRC.
#   wine_prefix PREFIX             a fresh prefix (wineboot) with fonts that show Chinese
#   wine_machine PREFIX MACHINE    builds tests/wine/machines/MACHINE into it, as run_machines.sh does
#   start_display                  a private Xvfb; sets DISPLAY
#   stop_display
export WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="

wine_prefix() {
  local pfx=$1
  WINEPREFIX=$pfx wine wineboot -i >/dev/null 2>&1
  # Dialog fonts (Tahoma, MS Shell Dlg) have no Chinese glyphs in Wine: use
  # WenQuanYi (fonts-wqy-microhei) for them. One virtual desktop holds every
  # window, so the test driver sees the GUI and the screenshot has frames.
  cat >"$WORK/wine-ui.reg" <<'REG'
REGEDIT4

[HKEY_CURRENT_USER\Software\Wine\Fonts\Replacements]
"Tahoma"="WenQuanYi Micro Hei"
"MS Shell Dlg"="WenQuanYi Micro Hei"
"MS Shell Dlg 2"="WenQuanYi Micro Hei"
"Microsoft Sans Serif"="WenQuanYi Micro Hei"

[HKEY_CURRENT_USER\Software\Wine\Explorer]
"Desktop"="Default"

[HKEY_CURRENT_USER\Software\Wine\Explorer\Desktops]
"Default"="1024x720"
REG
  WINEPREFIX=$pfx wine regedit /S "$(WINEPREFIX=$pfx winepath -w "$WORK/wine-ui.reg")" >/dev/null 2>&1
  WINEPREFIX=$pfx wineserver -w
}

wine_machine() {
  local pfx=$1 dir=$SRC/tests/wine/machines/$2
  if [ -f "$dir/machine.reg" ]; then
    WINEPREFIX=$pfx wine regedit /S "$(WINEPREFIX=$pfx winepath -w "$dir/machine.reg")" >/dev/null 2>&1
    WINEPREFIX=$pfx wineserver -w
  fi
  [ -d "$dir/files" ] && cp -a "$dir/files/." "$pfx/drive_c/"
  if [ -f "$dir/setup.sh" ]; then
    (cd "$dir" && WINEPREFIX=$pfx bash ./setup.sh) >"$WORK/setup-$2.log" 2>&1 || return 1
  fi
  return 0
}

XVFB_PID=
start_display() {
  local fifo=$WORK/displayfd n
  rm -f "$fifo"
  mkfifo "$fifo"
  Xvfb -displayfd 3 -screen 0 1024x720x24 -nolisten tcp 3>"$fifo" >"$WORK/xvfb.log" 2>&1 &
  XVFB_PID=$!
  read -r -t 20 n <"$fifo" || return 1
  export DISPLAY=:$n
}

stop_display() {
  [ -n "$XVFB_PID" ] && kill "$XVFB_PID" 2>/dev/null
  XVFB_PID=
}
