/* comptext.h — the umbrella header of libcomptext: include this to get the whole API. */
#ifndef COMPTEXT_H
#define COMPTEXT_H

#include "comptext/export.h"

#include "comptext/version.h"
#include "comptext/error.h"
#include "comptext/encoding.h"
#include "comptext/alloc.h"
#include "comptext/corpus.h"
#include "comptext/normalize.h"
#include "comptext/fold.h"
#include "comptext/stopwords.h"
#include "comptext/tokenize.h"
#include "comptext/chrome.h"
#include "comptext/vocab.h"
#include "comptext/matrix.h"
#include "comptext/count.h"
#include "comptext/group.h"
#include "comptext/tf.h"
#include "comptext/tfidf.h"
#include "comptext/tfidf_model.h"
#include "comptext/similarity.h"
#include "comptext/cluster.h"
#include "comptext/mds.h"
#include "comptext/terms.h"
#include "comptext/keyness.h"
#include "comptext/themes.h"
#include "comptext/kwic.h"
#include "comptext/reuse.h"
#include "comptext/compare.h"
#include "comptext/render.h"
#endif
