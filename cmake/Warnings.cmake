# Warnings: one place for the whole project. CI builds with CADOCTOR_WERROR=ON.
add_library(cadoctor_warnings INTERFACE)
if(CMAKE_C_COMPILER_ID MATCHES "GNU|Clang")
  target_compile_options(cadoctor_warnings INTERFACE
    -Wall -Wextra -Wformat=2 -Wshadow -Wstrict-prototypes -Wmissing-prototypes
    -Wpointer-arith -Wvla -Wundef -Wno-unused-parameter
    # Translated printf formats come from resources/strings.txt; a unit test
    # checks that both languages of each string use the same conversions.
    -Wno-format-nonliteral)
  if(CADOCTOR_WERROR)
    target_compile_options(cadoctor_warnings INTERFACE -Werror)
  endif()
endif()

if(CADOCTOR_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
