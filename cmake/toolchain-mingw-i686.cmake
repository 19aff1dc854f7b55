# CMake cross toolchain file: Windows 32-bit (x86) with Debian's mingw-w64
# (i686-w64-mingw32-gcc, package gcc-mingw-w64-i686-win32; scripts/build-win-deps.sh
# installs it).  Target: Windows 7 SP1 and later.
#
#   scripts/build-win-deps.sh i686 build/win-deps
#   cmake -S . -B build/win32 \
#         -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-mingw-i686.cmake \
#         -DCADOCTOR_WIN_DEPS=$PWD/build/win-deps/i686
#
# CADOCTOR_WIN_DEPS: install prefix written by scripts/build-win-deps.sh
# (include/, lib/, lib/pkgconfig/: static OpenSSL 3, libusb-1.0, SQLite 3,
# cJSON).  Taken from the cache variable, else from the environment variable
# of the same name, else <this dir>/../build/win-deps/i686 if it exists.

set(CADOCTOR_MINGW_ARCH i686)
set(CADOCTOR_MINGW_TRIPLE i686-w64-mingw32)
set(CMAKE_SYSTEM_PROCESSOR i686)
include("${CMAKE_CURRENT_LIST_DIR}/toolchain-mingw-common.cmake")
