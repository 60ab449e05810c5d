/* corpus_hold.h — holding the texts in memory for an analysis that passes over the corpus
 * several times (corpus_hold.c), and how often each text was read (private to the library).
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

/** Hold the texts in memory until ct_corpus_release_texts: read every text once now (threads:
 * 0 for the default), learn the chrome model from them when CT_READ_STRIP_CHROME is set (if
 * not learnt yet), blank each one's chrome and record its counts; ct_corpus_read_text then
 * copies the held text, the same bytes it would read. Texts are held in corpus order until
 * budget bytes are (0: ct_corpus_hold_default_budget()); the others are read from their
 * source as before. Fails as reading the texts fails (err names the first failing document),
 * or with CT_ENOMEM; nothing is then held. Holds are counted (a second hold of a held corpus
 * only counts). Release only when no read of this hold is running. A document added to the
 * corpus drops the held texts (they are read from their sources again). */
int ct_corpus_hold_texts(const ct_corpus *corpus, size_t budget, int threads, ct_error *err);
/** End a hold; the texts are freed with the last one. */
void ct_corpus_release_texts(const ct_corpus *corpus);
/** A quarter of the physical memory, and at least 256 MiB. */
size_t ct_corpus_hold_default_budget(void);

#endif
