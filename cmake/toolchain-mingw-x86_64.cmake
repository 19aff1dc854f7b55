# CMake cross toolchain file: Windows 64-bit (x64) with Debian's mingw-w64
# (x86_64-w64-mingw32-gcc, package gcc-mingw-w64-x86-64-win32; scripts/build-win-deps.sh
# installs it).  Target: Windows 7 SP1 and later.
#
#   scripts/build-win-deps.sh x86_64 build/win-deps
#   cmake -S . -B build/win64 \
#         -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-mingw-x86_64.cmake \
#         -DCADOCTOR_WIN_DEPS=$PWD/build/win-deps/x86_64
#
# CADOCTOR_WIN_DEPS: install prefix written by scripts/build-win-deps.sh
# (include/, lib/, lib/pkgconfig/: static OpenSSL 3, libusb-1.0, SQLite 3,
# cJSON).  Taken from the cache variable, else from the environment variable
# of the same name, else <this dir>/../build/win-deps/x86_64 if it exists.

set(CADOCTOR_MINGW_ARCH x86_64)
set(CADOCTOR_MINGW_TRIPLE x86_64-w64-mingw32)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
include("${CMAKE_CURRENT_LIST_DIR}/toolchain-mingw-common.cmake")
