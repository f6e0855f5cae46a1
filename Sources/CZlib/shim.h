#ifndef TERN_CZLIB_SHIM_H
#define TERN_CZLIB_SHIM_H
#include <zlib.h>

// ---- macro wrappers: deflateInit2 and inflateInit2 are macros (they pass the library version
// and the z_stream size to deflateInit2_/inflateInit2_), which Swift cannot call.
static inline int tern_deflateInit2(z_streamp stream, int level, int windowBits, int memLevel) {
    return deflateInit2(stream, level, Z_DEFLATED, windowBits, memLevel, Z_DEFAULT_STRATEGY);
}
static inline int tern_inflateInit2(z_streamp stream, int windowBits) {
    return inflateInit2(stream, windowBits);
}
#endif
