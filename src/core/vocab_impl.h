/* vocab_impl.h — the vocabulary's structure (private): sorted terms in one arena. */
#ifndef CT_VOCAB_IMPL_H
#define CT_VOCAB_IMPL_H

#include <stddef.h>
#include <stdint.h>
#include "comptext/vocab.h"

struct ct_vocab {
    size_t refs;
    size_t n;
    size_t *offset; /* n + 1 entries into arena; term i is [offset[i], offset[i+1]-1) + NUL */
    char *arena;
};

/** Build a vocabulary that takes over a sorted, NUL-separated arena and its offsets. */
int ct_vocab_adopt(ct_vocab **out, char *arena, size_t *offset, size_t n);

#endif
