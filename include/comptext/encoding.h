/* comptext/encoding.h — the text encodings comptext reads (the reading itself is in
 * src/util/encoding.c: bytes are decoded to UTF-8 once, as a file is read). */
#ifndef COMPTEXT_ENCODING_H
#define COMPTEXT_ENCODING_H

/** Text encodings of plain text files (JSON Lines are always UTF-8). */
typedef enum ct_encoding {
    /** UTF-8 when valid, else GB18030 when valid — or Big5, when the bytes are valid Big5 and
     * look like it — with a note, else an error */
    CT_ENCODING_AUTO = 0,
    CT_ENCODING_UTF8,
    CT_ENCODING_GB18030,
    CT_ENCODING_BIG5, /**< Big5 as Windows writes it (code page 950) */
} ct_encoding;

#endif
