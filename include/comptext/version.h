/* comptext/version.h — the library's version at run time. */
#ifndef COMPTEXT_VERSION_H
#define COMPTEXT_VERSION_H

#include "comptext/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The library's version, "MAJOR.MINOR.PATCH" (the project version meson.build gives). */
CT_API const char *ct_version(void);

#ifdef __cplusplus
}
#endif
#endif
