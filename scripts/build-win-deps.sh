#!/usr/bin/env bash
# build-win-deps.sh - cross-build cadoctor's third-party libraries for Windows.
#
#   scripts/build-win-deps.sh ARCH CACHE_DIR        ARCH = x86_64 | i686
#
# Project rule: no third-party source is committed and nothing prebuilt is
# downloaded.  Everything is built from Debian *source packages* fetched with
# `apt-get source`, using Debian's mingw-w64 cross compilers.
#
# Layout produced:
#   CACHE_DIR/src/                 .dsc/.orig/.debian tarballs + extracted trees
#                                  (shared between arches)
#   CACHE_DIR/build/ARCH/<lib>/    out-of-tree build directories (disposable)
#   CACHE_DIR/ARCH/                install prefix: include/ lib/ lib/pkgconfig/
#   CACHE_DIR/ARCH/.stamps/<lib>   "<srcpkg> <debian version> <recipe>"; a
#                                  library whose stamp matches is skipped
#   CACHE_DIR/ARCH/.logs/<step>.log  full output of every step
#
# Libraries (all static): OpenSSL 3.0.x (libcrypto, libssl), libusb-1.0,
# SQLite 3 (amalgamation), cJSON.
#
# Compiler choice: the plain `<triple>-gcc` names, which on Debian are
# alternatives defaulting to the *win32* thread-model compilers
# (gcc-mingw-w64-*-win32).  None of these libraries needs C11/pthread
# threading from the runtime (OpenSSL, SQLite and libusb use Win32 threads
# directly), and the win32 model avoids any dependency on libwinpthread-1.dll.
# The posix variants would work too, provided the final exe links -static.

set -euo pipefail
# Keep -e active inside $(...) too, so a failing helper aborts the script.
shopt -s inherit_errexit

# Bump when the build recipe changes in a way that must invalidate stamps.
RECIPE_REV=2
# Windows 7 SP1 is the oldest supported target.
WINNT=0x0601

die()  { printf 'build-win-deps: error: %s\n' "$*" >&2; exit 1; }
step() { printf '[win-deps %s] %s\n' "${ARCH:-?}" "$*"; }

usage() {
    echo "usage: $0 ARCH CACHE_DIR   (ARCH = x86_64 | i686)" >&2
    exit 2
}

[ $# -eq 2 ] || usage
ARCH=$1
case "$ARCH" in
    x86_64) TRIPLE=x86_64-w64-mingw32; DEBARCH=x86-64; OSSL_TARGET=mingw64 ;;
    i686)   TRIPLE=i686-w64-mingw32;   DEBARCH=i686;   OSSL_TARGET=mingw ;;
    *) usage ;;
esac

mkdir -p "$2" || die "cannot create $2"
CACHE_DIR=$(cd "$2" && pwd)
# make, libtool and OpenSSL's Makefile do not cope with whitespace in paths.
case "$CACHE_DIR" in *[[:space:]]*) die "CACHE_DIR must not contain whitespace: $CACHE_DIR" ;; esac

SRC=$CACHE_DIR/src
PREFIX=$CACHE_DIR/$ARCH
BUILD=$CACHE_DIR/build/$ARCH
STAMPS=$PREFIX/.stamps
LOGS=$PREFIX/.logs
JOBS=$(nproc 2>/dev/null || echo 2)
mkdir -p "$SRC" "$PREFIX/include" "$PREFIX/lib/pkgconfig" "$BUILD" "$STAMPS" "$LOGS"

CC=$TRIPLE-gcc
AR=$TRIPLE-ar
export LC_ALL=C DEBIAN_FRONTEND=noninteractive

# run LOGNAME CMD... : run a command with all output in $LOGS/LOGNAME.log; on
# failure show the end of the log and abort.
run() {
    local log=$LOGS/$1.log; shift
    if ! "$@" >>"$log" 2>&1; then
        echo "---- last lines of $log ----" >&2
        tail -n 30 "$log" | cut -c1-300 >&2
        die "step failed: $*  (full log: $log)"
    fi
}

# ---------------------------------------------------------------- apt helpers

[ "$(id -u)" -eq 0 ] && SUDO=() || SUDO=(sudo)

# apt_get ARGS... : apt-get, waiting for a concurrent apt/dpkg run to release
# its locks instead of failing (DPkg::Lock::Timeout covers the dpkg lock of
# install; the lists lock of `update` is handled by retrying).  Returns
# apt-get's status; the output goes to $LOGS/apt.log.
apt_get() {
    local tries=0 log=$LOGS/apt.log rc
    while :; do
        rc=0
        "${SUDO[@]}" apt-get -y -o DPkg::Lock::Timeout=600 "$@" >>"$log" 2>&1 || rc=$?
        [ $rc -eq 0 ] && return 0
        if tail -n 5 "$log" | grep -qiE 'could not get lock|unable to lock' && [ $tries -lt 60 ]; then
            tries=$((tries + 1)); sleep 10; continue
        fi
        return $rc
    done
}

APT_UPDATED=0
apt_update_once() {
    [ $APT_UPDATED -eq 1 ] && return 0
    step "apt-get update"
    # A failure of some unrelated index (e.g. a foreign-arch Packages file
    # caught mid mirror sync) must not stop us: apt keeps the indexes it got,
    # and missing Sources are reported clearly later.
    if ! apt_get update; then
        step "warning: apt-get update reported errors, continuing with the indexes it got (see $LOGS/apt.log)"
        grep -E '^(E|W): ' "$LOGS/apt.log" | tail -n 3 | cut -c1-200 >&2 || true
    fi
    APT_UPDATED=1
}

# Debian sources files apt reads (the .disabled-style leftovers are ignored
# by apt too, so only *.list and *.sources count).
apt_source_files() {
    local f
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] && printf '%s\n' "$f"
    done
    return 0
}

# cat_sources EXT_REGEX : concatenate the matching sources files, with a
# blank line after each so deb822 stanzas of different files never merge.
cat_sources() {
    local f
    while IFS= read -r f; do cat "$f"; echo; done < <(apt_source_files | grep -E "$1")
}

has_deb_src() {
    local f
    while IFS= read -r f; do
        case "$f" in
            *.sources) grep -qiE '^[[:space:]]*Types:.*\bdeb-src\b' "$f" && return 0 ;;
            *)         grep -qE '^[[:space:]]*deb-src[[:space:]]' "$f" && return 0 ;;
        esac
    done < <(apt_source_files)
    return 1
}

# Add deb-src entries mirroring the existing `deb` entries of this Debian
# release (same URIs/Suites/Components/Signed-By), in a separate file; the
# existing files are never edited.  Only entries whose suite belongs to the
# running release (e.g. bookworm, bookworm-updates, bookworm-security) are
# mirrored: third-party repos often publish no Sources index, which would
# make `apt-get update` fail.
ensure_deb_src() {
    if has_deb_src; then
        # Entries exist; make sure their Sources indexes were fetched.
        if ! ls /var/lib/apt/lists/*_Sources* >/dev/null 2>&1; then apt_update_once; fi
        return 0
    fi
    local codename
    # shellcheck disable=SC1091
    codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
    [ -n "$codename" ] || die "cannot determine the Debian codename from /etc/os-release"

    local deb822 oneline
    # deb822 stanzas: copy every `deb` stanza, Types rewritten to deb-src,
    # suites filtered to this release; comments dropped, continuation lines
    # (e.g. an inline Signed-By key) kept with their field.
    deb822=$(cat_sources '\.sources$' | CODENAME=$codename perl -e '
        local $/ = ""; my $out = "";
        while (my $p = <STDIN>) {
            my @lines = grep { !/^\s*#/ } split /\n/, $p;
            my (%f, @order, $cur);
            for (@lines) {
                if (/^\s/ && defined $cur) { $f{$cur} .= "\n$_"; next }
                next unless /^([^:\s]+):\s*(.*)$/;
                $cur = lc $1; push @order, $1; $f{$cur} = $2;
            }
            next unless ($f{types} // "") =~ /(^|\s)deb(\s|$)/;
            next if ($f{enabled} // "yes") =~ /^no$/i;
            my @s = grep { /^\Q$ENV{CODENAME}\E(-|$)/ } split " ", ($f{suites} // "");
            next unless @s;
            $out .= "Types: deb-src\n";
            for my $k (@order) {
                my $lk = lc $k;
                next if $lk eq "types";
                $out .= "$k: " . ($lk eq "suites" ? join(" ", @s) : $f{$lk}) . "\n";
            }
            $out .= "\n";
        }
        print $out;')
    # One-line format: "deb [opts] URI SUITE COMP..." -> "deb-src [opts] ...".
    oneline=$(cat_sources '(^/etc/apt/sources\.list|\.list)$' | CODENAME=$codename perl -ne '
        s/#.*//;
        next unless /^\s*deb\s+(.*)$/;
        my $rest = $1; my $opts = "";
        $opts = "$1 " if $rest =~ s/^(\[[^\]]*\])\s*//;
        my ($uri, $suite, @comps) = split " ", $rest;
        next unless defined $suite && $suite =~ /^\Q$ENV{CODENAME}\E(-|$)/;
        print "deb-src $opts$uri $suite @comps\n";')
    [ -n "$deb822$oneline" ] || die "no Debian '$codename' deb entries found in /etc/apt to derive deb-src entries from"
    if [ -n "$deb822" ]; then
        step "enabling deb-src: /etc/apt/sources.list.d/cadoctor-deb-src.sources"
        printf '# Added by cadoctor scripts/build-win-deps.sh (source packages for the\n# Windows dependency build), derived from the existing deb entries.\n%s\n' \
            "$deb822" | "${SUDO[@]}" tee /etc/apt/sources.list.d/cadoctor-deb-src.sources >/dev/null
    fi
    if [ -n "$oneline" ]; then
        step "enabling deb-src: /etc/apt/sources.list.d/cadoctor-deb-src.list"
        printf '# Added by cadoctor scripts/build-win-deps.sh, derived from the existing deb entries.\n%s\n' \
            "$oneline" | "${SUDO[@]}" tee /etc/apt/sources.list.d/cadoctor-deb-src.list >/dev/null
    fi
    APT_UPDATED=0
    apt_update_once
    ls /var/lib/apt/lists/*_Sources* >/dev/null 2>&1 \
        || die "apt-get update fetched no Sources index (see $LOGS/apt.log)"
}

# Install only the packages that are missing.
ensure_packages() {
    local pkgs=(
        "gcc-mingw-w64-$DEBARCH-win32"   # cross C compiler (win32 threads; see top)
        "binutils-mingw-w64-$DEBARCH"    # cross ar/ranlib/windres
        "mingw-w64-$DEBARCH-dev"         # Windows headers + import libs
        dpkg-dev                         # dpkg-source to unpack source packages
        make perl                        # OpenSSL's Configure is perl
        gcc libc6-dev                    # native cc: SQLite's amalgamation generators
        tcl                              # tclsh: SQLite's mksqlite3c.tcl
        xz-utils bzip2                   # .orig tarball compressions
    )
    local missing=() p
    for p in "${pkgs[@]}"; do
        if [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" != "install ok installed" ]; then
            missing+=("$p")
        fi
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    apt_update_once
    step "apt-get install ${missing[*]}"
    if ! apt_get install --no-install-recommends "${missing[@]}"; then
        echo "---- last lines of $LOGS/apt.log ----" >&2; tail -n 20 "$LOGS/apt.log" >&2
        die "apt-get install ${missing[*]} failed"
    fi
}

# ------------------------------------------------------------ source fetching

# source_versions PKG : every version of source package PKG that apt knows
# (full versions, epoch included), newest first.
source_versions() {
    local v sorted=() out=() i inserted
    while IFS= read -r v; do
        # insertion sort with dpkg's version ordering (only a handful)
        out=(); inserted=0
        for i in "${sorted[@]}"; do
            if [ $inserted -eq 0 ] && dpkg --compare-versions "$v" gt "$i"; then
                out+=("$v"); inserted=1
            fi
            out+=("$i")
        done
        [ $inserted -eq 1 ] || out+=("$v")
        sorted=("${out[@]}")
    done < <(apt-cache showsrc --only-source "$1" 2>/dev/null | sed -n 's/^Version: //p' | sort -u)
    [ ${#sorted[@]} -gt 0 ] || return 0
    printf '%s\n' "${sorted[@]}"
}

# prepare_source PKG : make the newest obtainable version of source package
# PKG available, unpacked with the Debian patch series applied (it carries
# the security fixes), under $SRC.  Sets SRC_VER (Debian version without
# epoch, as in the .dsc name; used in stamps) and SRC_DIR.
#
# Normally that is apt's candidate.  But a mirror can list a version in its
# Sources index and still lack its .dsc/.debian.tar (seen for a
# bookworm-security openssl upload: 404), so older versions known to apt are
# tried in turn (a warning line names the version used); a 404'd version is
# remembered in $SRC/.unavailable/ for a day so reruns do not retry it.  An already unpacked tree is reused without any
# network access.  A lock serialises concurrent runs for the two arches.
prepare_source() {
    local pkg=$1 fv v dir log=$LOGS/fetch-$1.log
    local -a versions
    mapfile -t versions < <(source_versions "$pkg")
    [ ${#versions[@]} -gt 0 ] || die "apt knows no source package '$pkg' (no deb-src entries, or 'apt-get update' needed)"
    mkdir -p "$SRC/.unavailable"
    exec 9>"$SRC/.lock"
    flock 9
    SRC_VER='' SRC_DIR=''
    for fv in "${versions[@]}"; do
        v=${fv#*:}                                   # drop the epoch
        dir=$SRC/$pkg-$(printf '%s' "$v" | tr '~:' '__')   # path-safe
        if [ -f "$dir/.cadoctor-extracted" ]; then
            SRC_VER=$v SRC_DIR=$dir; break
        fi
        # a 404 marker younger than a day: skip without asking the mirror
        if [ -n "$(find "$SRC/.unavailable/${pkg}_$v" -mmin -1440 2>/dev/null)" ]; then
            step "$pkg $v: skipped, not on the mirror at the last try (<24h ago)"
            continue
        fi
        step "download source $pkg $v"
        # As root, apt would hand the download to the unprivileged _apt
        # user and complain about the cache dir; download as root instead,
        # and unpack with dpkg-source ourselves.
        if ! (cd "$SRC" && apt-get source --download-only -o APT::Sandbox::User=root "$pkg=$fv") >>"$log" 2>&1; then
            if tail -n 20 "$log" | grep -q '404'; then
                touch "$SRC/.unavailable/${pkg}_$v"
                step "$pkg $v: not on the mirror (404), trying an older version"
            else
                step "$pkg $v: download failed (see $log), trying an older version"
            fi
            continue
        fi
        step "extract $pkg $v"
        rm -rf "$dir" "$dir.tmp"
        (cd "$SRC" && run "fetch-$pkg" dpkg-source -x "${pkg}_$v.dsc" "$dir.tmp")
        touch "$dir.tmp/.cadoctor-extracted"
        mv "$dir.tmp" "$dir"
        SRC_VER=$v SRC_DIR=$dir; break
    done
    flock -u 9
    [ -n "$SRC_DIR" ] || die "could not obtain any version of source package $pkg (log: $log)"
}

# ------------------------------------------------------------------- stamps

stamp_ok()  { [ -f "$STAMPS/$1" ] && [ "$(cat "$STAMPS/$1")" = "$2" ]; }
stamp_set() { printf '%s\n' "$2" >"$STAMPS/$1"; }

# fresh_build_dir LIB : empty per-arch build directory for LIB.
fresh_build_dir() {
    local d=$BUILD/$1
    rm -rf "$d"; mkdir -p "$d"
    printf '%s\n' "$d"
}

# --------------------------------------------------------------- libraries

# Debian's pic.patch makes the 32-bit x86 perlasm emit ELF GOT/PLT
# references (for Linux i386 shared libs); COFF/PE cannot represent them
# ("cannot represent relocation type BFD_RELOC_386_GOTPC" in bf-586.S).  It
# only touches 32-bit x86 asm generators, so revert it once in the shared
# tree (x86_64 is unaffected either way).  All other Debian patches stay.
openssl_unpic() {
    local src=$1
    [ -f "$src/.cadoctor-unpic" ] && return 0
    (
        flock 9
        if [ ! -f "$src/.cadoctor-unpic" ]; then
            if grep -qx 'pic.patch' "$src/debian/patches/series" 2>/dev/null; then
                step "openssl: reverting Debian pic.patch (ELF-only, breaks mingw i686 asm)"
                run openssl-unpic patch -d "$src" -R -p1 --no-backup-if-mismatch -i debian/patches/pic.patch
            fi
            touch "$src/.cadoctor-unpic"
        fi
    ) 9>"$SRC/.lock" || exit 1
}

build_openssl() {
    local ver stamp src b
    local t0=$SECONDS
    prepare_source openssl; ver=$SRC_VER src=$SRC_DIR
    local opts=(
        no-shared          # static libcrypto.a / libssl.a only
        no-module          # providers (default, legacy) built into libcrypto, no .dll modules
        no-dso             # no run-time loading of engines/providers from disk at all:
        no-dynamic-engine  #   nothing a static tool needs, and no DLL-planting surface
        no-tests           # the test programs are never built by build_libs anyway,
                           #   but this also skips their build.info processing
        no-comp no-ssl3 no-weak-ssl-ciphers  # dead/insecure protocol features
        no-ui-console      # no console password prompts inside the library
        -O2                # after upstream's -O3, so it wins: ~10-15% faster to build,
                           #   and what Debian itself builds OpenSSL with
        "-D_WIN32_WINNT=$WINNT"  # Windows 7 API level (mingw-w64 defaults to 0x0A00 = Win10);
                               #   e.g. threads_win.c then uses SRW locks / InitOnce (Vista+)
    )
    # OpenSSL bakes OPENSSLDIR (where openssl.cnf is looked up; libssl loads
    # it by default), ENGINESDIR and MODULESDIR into libcrypto.  The default
    # (PREFIX/ssl, a Linux build path) would resolve on Windows to a directory
    # on the current drive that any user may create (CVE-2019-1552 class).
    # Use the admin-only locations of upstream's MSVC builds.  Configure only
    # accepts absolute *host* paths, so the Makefile variables are overridden
    # on the make command line instead.
    local pf="C:/Program Files"; [ "$ARCH" = i686 ] && pf="C:/Program Files (x86)"
    local dirs=(
        "OPENSSLDIR=$pf/Common Files/SSL"
        "ENGINESDIR=$pf/OpenSSL/lib/engines-3"
        "MODULESDIR=$pf/OpenSSL/lib/ossl-modules"
    )
    # Options that change the produced library belong in the stamp.
    stamp="openssl $ver r$RECIPE_REV ${opts[*]} ${dirs[*]}"
    if stamp_ok openssl "$stamp"; then step "openssl $ver: up to date"; return 0; fi
    openssl_unpic "$src"
    b=$(fresh_build_dir openssl)
    step "openssl $ver: configure ($OSSL_TARGET)"
    # --libdir=lib: mingw64 would otherwise install into lib64.
    (cd "$b" && run openssl-configure perl "$src/Configure" "$OSSL_TARGET" \
        --cross-compile-prefix="$TRIPLE-" \
        --prefix="$PREFIX" --libdir=lib \
        "${opts[@]}")
    step "openssl $ver: build libcrypto+libssl (make -j$JOBS build_libs)"
    # build_libs: just the libraries (+ .pc files), no apps, tests, docs.
    run openssl-build make -C "$b" -j"$JOBS" "${dirs[@]}" build_libs
    step "openssl $ver: install headers+libs"
    # install_dev = headers, static libs and pkg-config files only.
    run openssl-install make -C "$b" "${dirs[@]}" install_dev
    stamp_set openssl "$stamp"
    step "openssl $ver: installed ($((SECONDS - t0))s)"
}

build_libusb() {
    local ver stamp src b
    local t0=$SECONDS
    prepare_source libusb-1.0; ver=$SRC_VER src=$SRC_DIR
    stamp="libusb-1.0 $ver r$RECIPE_REV"
    if stamp_ok libusb "$stamp"; then step "libusb-1.0 $ver: up to date"; return 0; fi
    b=$(fresh_build_dir libusb)
    step "libusb-1.0 $ver: configure --host=$TRIPLE"
    # The release tarball ships a generated configure; a VPATH build keeps the
    # shared source tree clean for the other arch.  No -D_WIN32_WINNT here:
    # libusb's config.h pins it to Vista itself (fine for Windows 7), and it
    # loads WinUSB/SetupAPI at run time, so it adds no link libraries.
    (cd "$b" && run libusb-configure "$src/configure" --host="$TRIPLE" \
        --prefix="$PREFIX" --disable-shared --enable-static \
        --disable-examples-build --disable-tests-build \
        CFLAGS="-O2")
    step "libusb-1.0 $ver: build + install"
    run libusb-build make -C "$b" -j"$JOBS"
    run libusb-install make -C "$b" install
    # libtool archives only confuse consumers of a relocated prefix.
    rm -f "$PREFIX"/lib/libusb-1.0.la
    stamp_set libusb "$stamp"
    step "libusb-1.0 $ver: installed ($((SECONDS - t0))s)"
}

build_sqlite() {
    local ver stamp src b amal
    local -a cflags
    local t0=$SECONDS
    prepare_source sqlite3; ver=$SRC_VER src=$SRC_DIR
    # Defaults are kept (deserialize is on by default since 3.36);
    # THREADSAFE=1 = serialized mode, safe for any threading in cadoctor.
    cflags=(-O2 -DSQLITE_THREADSAFE=1 "-D_WIN32_WINNT=$WINNT")
    stamp="sqlite3 $ver r$RECIPE_REV ${cflags[*]}"
    if stamp_ok sqlite3 "$stamp"; then step "sqlite3 $ver: up to date"; return 0; fi
    # The Debian source is the full SQLite tree, not the amalgamation.  The
    # amalgamation (sqlite3.c/sqlite3.h) is arch-independent, so generate it
    # once with the *native* toolchain (lemon, mkkeywordhash, tclsh) next to
    # the sources and share it between arches.
    amal=$SRC/sqlite3-amalgamation-$(printf '%s' "$ver" | tr '~:' '__')
    if [ ! -f "$amal/.cadoctor-done" ]; then
        (
            flock 9
            if [ ! -f "$amal/.cadoctor-done" ]; then
                step "sqlite3 $ver: generate amalgamation (native tools)"
                rm -rf "$amal"; mkdir -p "$amal"
                # --disable-tcl: no Tcl extension, so no tcl-dev needed
                # (tclsh is still used by the generator scripts).
                (cd "$amal" && run sqlite-amalgamation "$src/configure" --disable-tcl --disable-readline)
                run sqlite-amalgamation make -C "$amal" sqlite3.c sqlite3.h sqlite3ext.h
                touch "$amal/.cadoctor-done"
            fi
        ) 9>"$SRC/.lock" || exit 1
    fi
    b=$(fresh_build_dir sqlite3)
    step "sqlite3 $ver: compile sqlite3.c"
    run sqlite-build "$CC" "${cflags[@]}" -c "$amal/sqlite3.c" -o "$b/sqlite3.o"
    run sqlite-build "$AR" rcs "$b/libsqlite3.a" "$b/sqlite3.o"
    install -m 644 "$b/libsqlite3.a" "$PREFIX/lib/"
    install -m 644 "$amal/sqlite3.h" "$amal/sqlite3ext.h" "$PREFIX/include/"
    local upver=${ver%%-*}
    cat >"$PREFIX/lib/pkgconfig/sqlite3.pc" <<EOF
prefix=$PREFIX
libdir=\${prefix}/lib
includedir=\${prefix}/include

Name: SQLite
Description: SQL database engine (static, built from Debian source $ver)
Version: $upver
Libs: -L\${libdir} -lsqlite3
Cflags: -I\${includedir}
EOF
    stamp_set sqlite3 "$stamp"
    step "sqlite3 $ver: installed ($((SECONDS - t0))s)"
}

build_cjson() {
    local ver stamp src b
    local -a cflags
    local t0=$SECONDS
    prepare_source cjson; ver=$SRC_VER src=$SRC_DIR
    # CJSON_HIDE_SYMBOLS: cJSON.h otherwise marks every function
    # __declspec(dllexport) on Windows, which would make the .exe export
    # them.  Note cJSON.h uses __stdcall on Windows (matters on i686); the
    # header sets it for library and consumers alike.
    cflags=(-O2 -std=c89 -DCJSON_HIDE_SYMBOLS)
    stamp="cjson $ver r$RECIPE_REV ${cflags[*]}"
    if stamp_ok cjson "$stamp"; then step "cjson $ver: up to date"; return 0; fi
    b=$(fresh_build_dir cjson)
    step "cjson $ver: compile cJSON.c"
    run cjson-build "$CC" "${cflags[@]}" -c "$src/cJSON.c" -o "$b/cJSON.o"
    run cjson-build "$AR" rcs "$b/libcjson.a" "$b/cJSON.o"
    # Same include path as Debian's libcjson-dev: <cjson/cJSON.h>.
    install -d "$PREFIX/include/cjson"
    install -m 644 "$src/cJSON.h" "$PREFIX/include/cjson/"
    install -m 644 "$b/libcjson.a" "$PREFIX/lib/"
    local upver=${ver%%-*}
    cat >"$PREFIX/lib/pkgconfig/libcjson.pc" <<EOF
prefix=$PREFIX
libdir=\${prefix}/lib
includedir=\${prefix}/include

Name: libcjson
Description: Ultralightweight JSON parser in ANSI C (static, built from Debian source $ver)
Version: $upver
Libs: -L\${libdir} -lcjson
Cflags: -I\${includedir} -I\${includedir}/cjson -DCJSON_HIDE_SYMBOLS
EOF
    stamp_set cjson "$stamp"
    step "cjson $ver: installed ($((SECONDS - t0))s)"
}

# -------------------------------------------------------------------- main

ensure_deb_src
ensure_packages
command -v "$CC" >/dev/null || die "$CC not found after installing gcc-mingw-w64-$DEBARCH-win32"
command -v flock >/dev/null || die "flock (util-linux) not found"

SECONDS=0
build_cjson
build_sqlite
build_libusb
build_openssl
step "done in ${SECONDS}s -> $PREFIX"
