/* Compiler attributes, in one place. printf-style checking must name the
 * printf cadoctor really uses: on mingw-w64 that is the C99-conforming
 * mingw printf (__USE_MINGW_ANSI_STDIO), which knows %zu and %lld. */
#ifndef CD_COMPILER_H
#define CD_COMPILER_H

#if defined(__MINGW32__)
#define CD_PRINTF(fmt, args) __attribute__((format(gnu_printf, fmt, args)))
#elif defined(__GNUC__)
#define CD_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define CD_PRINTF(fmt, args)
#endif

#endif
