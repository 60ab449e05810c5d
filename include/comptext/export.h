/* comptext/export.h — CT_API marks the functions libcomptext exports.
 *
 * The library is built with hidden visibility by default (meson's gnu_symbol_visibility),
 * so only declarations marked CT_API in include/comptext/ reach the shared library's symbol
 * table; everything in src/ stays internal. tests/check_exports.py holds the exported list
 * to the declared one. */
#ifndef COMPTEXT_EXPORT_H
#define COMPTEXT_EXPORT_H

#if defined(_WIN32) && defined(CT_BUILDING_LIBRARY)
#define CT_API __declspec(dllexport)
#elif defined(__GNUC__) || defined(__clang__)
#define CT_API __attribute__((visibility("default")))
#else
#define CT_API
#endif

#endif
