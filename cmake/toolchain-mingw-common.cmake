# The part of the mingw-w64 toolchain files both architectures share. The
# per-architecture files (toolchain-mingw-x86_64.cmake, -i686.cmake) set
# CADOCTOR_MINGW_ARCH, CADOCTOR_MINGW_TRIPLE and CMAKE_SYSTEM_PROCESSOR and
# include this file.
#
# Note: mingw-w64 defaults _WIN32_WINNT to 0x0A00 (Windows 10); the project
# compiles with -D_WIN32_WINNT=0x0601 -DWINVER=0x0601 so that no API newer
# than Windows 7 is used by accident.

set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_C_COMPILER   ${CADOCTOR_MINGW_TRIPLE}-gcc)
set(CMAKE_CXX_COMPILER ${CADOCTOR_MINGW_TRIPLE}-g++)
set(CMAKE_RC_COMPILER  ${CADOCTOR_MINGW_TRIPLE}-windres)
# ar, ranlib, nm, objdump, strip are found from the compiler's prefix.

# --- third-party prefix ------------------------------------------------------
if(NOT CADOCTOR_WIN_DEPS)
  if(NOT "$ENV{CADOCTOR_WIN_DEPS}" STREQUAL "")
    set(_cadoctor_deps "$ENV{CADOCTOR_WIN_DEPS}")
  elseif(EXISTS "${CMAKE_CURRENT_LIST_DIR}/../build/win-deps/${CADOCTOR_MINGW_ARCH}/include")
    get_filename_component(_cadoctor_deps
      "${CMAKE_CURRENT_LIST_DIR}/../build/win-deps/${CADOCTOR_MINGW_ARCH}" ABSOLUTE)
  else()
    set(_cadoctor_deps "")
  endif()
  set(CADOCTOR_WIN_DEPS "${_cadoctor_deps}" CACHE PATH
      "Prefix of the Windows ${CADOCTOR_MINGW_ARCH} dependencies built by scripts/build-win-deps.sh")
endif()
# Also hand it (and the env fallback) to try_compile()/check_* projects,
# which re-read this file in a fresh cache.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES CADOCTOR_WIN_DEPS)

# Search target headers/libraries/packages only in the mingw sysroot and the
# deps prefix, never in the Linux host's /usr; programs (pkg-config, perl,
# ...) are host tools and are searched on the host.
set(CMAKE_FIND_ROOT_PATH /usr/${CADOCTOR_MINGW_TRIPLE})
if(CADOCTOR_WIN_DEPS)
  list(APPEND CMAKE_FIND_ROOT_PATH "${CADOCTOR_WIN_DEPS}")
  list(APPEND CMAKE_PREFIX_PATH "${CADOCTOR_WIN_DEPS}")
  list(REMOVE_DUPLICATES CMAKE_PREFIX_PATH)
  # FindOpenSSL: use the static libcrypto.a/libssl.a of the prefix.
  set(OPENSSL_ROOT_DIR "${CADOCTOR_WIN_DEPS}")
  set(OPENSSL_USE_STATIC_LIBS TRUE)
  # pkg-config (FindPkgConfig) must read only the target's .pc files;
  # use pkg_check_modules(... STATIC ...) / the *_STATIC_* variables to get
  # the Libs.private system libraries (e.g. -lws2_32 -lcrypt32 for OpenSSL).
  set(ENV{PKG_CONFIG_LIBDIR} "${CADOCTOR_WIN_DEPS}/lib/pkgconfig")
  set(ENV{PKG_CONFIG_PATH} "")
endif()
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# --- self-contained binaries -------------------------------------------------
# -static makes the driver link libgcc, libssp and (with the posix thread
# model) libwinpthread statically, and prefer lib*.a over import libraries
# for everything else, so the .exe imports only system DLLs (KERNEL32,
# msvcrt, ADVAPI32, USER32, WS2_32, CRYPT32, ...) and needs no
# libgcc_s_*.dll / libwinpthread-1.dll next to it.  (-static implies
# -static-libgcc and, for C++, -static-libstdc++.)
set(CMAKE_EXE_LINKER_FLAGS_INIT    "-static")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-static")
set(CMAKE_MODULE_LINKER_FLAGS_INIT "-static")
