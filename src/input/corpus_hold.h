/* corpus_hold.h — how often each text is read, and (corpus_hold.c) holding the texts in memory
 * for an analysis that passes over the corpus several times (private to the library).
 *
 * A corpus reads a text from its source each time it is asked for it (comptext/corpus.h):
 * memory grows with documents, not bytes. ct_compare_run passes over the texts up to three
 * times (chrome learning, term discovery, counting), so it asks the corpus to hold them for
 * the run: each text is then read from its source once, besides the listing's look at it. */
#ifndef CT_CORPUS_HOLD_H
#define CT_CORPUS_HOLD_H

#include <stddef.h>

#include "comptext/corpus.h"

/** Passes over document doc's bytes so far: 1 for the listing (which sniffed its file, parsed
 * its JSON line or table row, or took it into memory), plus one for each read of it from its
 * source (or, for a text in memory, each decoding). For tests. */
unsigned ct_corpus_reads(const ct_corpus *corpus, size_t doc);

#endif
