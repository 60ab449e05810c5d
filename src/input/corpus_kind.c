/* corpus_kind.c — what kind of corpus file a path is: by its extension, checked against its
 * first bytes.
 *
 * Users hand over whatever their colleagues sent them: an Excel workbook renamed .csv, a
 * PDF saved as .txt, a zip of reports. Read as text, such a file gives garbage tokens with
 * exit status 0, so every file is sniffed before it becomes a document: the extension
 * chooses the reader (.txt and unknown ones: text; .csv/.tsv: table; .jsonl; .docx; .pdf)
 * and the content must agree — a ZIP, PDF, OLE or other binary signature, or a NUL byte
 * near the start, in a file that should be text is an error naming the file and what it
 * looks like; a .docx that is not a ZIP or a .pdf without "%PDF-" is one too. Spreadsheet
 * and old Office formats are refused with a hint to export them. A PDF must also end with
 * "%%EOF" near its end: a truncated download otherwise reads as fewer pages without a
 * word. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "corpus_impl.h"
#include "encoding.h"
#include "corpus_readers.h"
#include "ct_config.h"

#define SNIFF_BYTES 8192

static const char *extension(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    return dot && dot != base ? dot : "";
}

int ct_kind_by_name(const char *path)
{
    const char *ext = extension(path);
    if (strcasecmp(ext, ".jsonl") == 0)
        return CT_KIND_JSONL;
    if (strcasecmp(ext, ".csv") == 0)
        return CT_KIND_CSV;
    if (strcasecmp(ext, ".tsv") == 0)
        return CT_KIND_TSV;
    if (strcasecmp(ext, ".docx") == 0)
        return CT_KIND_DOCX;
    if (strcasecmp(ext, ".pdf") == 0)
        return CT_KIND_PDF;
    return CT_KIND_TEXT;
}

int ct_kind_built(int kind)
{
#ifndef CT_HAVE_DOCX
    if (kind == CT_KIND_DOCX)
        return 0;
#endif
#ifndef CT_HAVE_PDF
    if (kind == CT_KIND_PDF)
        return 0;
#endif
    (void)kind;
    return 1;
}

/* What a ZIP archive probably is, from the part names near its start. */
static const char *zip_kind(const unsigned char *b, size_t n)
{
    if (memmem(b, n, "word/", 5))
        return "a ZIP archive (a Word .docx document)";
    if (memmem(b, n, "xl/", 3))
        return "a ZIP archive (an Excel .xlsx workbook)";
    if (memmem(b, n, "ppt/", 4))
        return "a ZIP archive (a PowerPoint .pptx file)";
    if (memmem(b, n, "opendocument", 12))
        return "a ZIP archive (an OpenDocument file)";
    return "a ZIP archive";
}

/* A description of binary content, or NULL when the bytes may be text. */
const char *ct_sniff_binary(const unsigned char *b, size_t n)
{
    if (n >= 4 && memcmp(b, "PK\x03\x04", 4) == 0)
        return zip_kind(b, n);
    if (n >= 4 && (memcmp(b, "PK\x05\x06", 4) == 0 || memcmp(b, "PK\x07\x08", 4) == 0))
        return "a ZIP archive";
    if (n >= 5 && memcmp(b, "%PDF-", 5) == 0)
        return "a PDF file";
    if (n >= 8 && memcmp(b, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0)
        return "an old Microsoft Office file (.doc or .xls)";
    if (n >= 5 && memcmp(b, "{\\rtf", 5) == 0)
        return "an RTF document";
    if (n >= 2 && b[0] == 0x1F && b[1] == 0x8B)
        return "a gzip archive";
    if (n >= 6 && memcmp(b, "7z\xBC\xAF\x27\x1C", 6) == 0)
        return "a 7-Zip archive";
    if (n >= 4 && memcmp(b, "Rar!", 4) == 0)
        return "a RAR archive";
    if (n >= 8 && memcmp(b, "\x89PNG\r\n\x1A\n", 8) == 0)
        return "a PNG image";
    if (n >= 3 && memcmp(b, "\xFF\xD8\xFF", 3) == 0)
        return "a JPEG image";
    if (n >= 4 && memcmp(b, "GIF8", 4) == 0)
        return "a GIF image";
    if (n >= 4 && memcmp(b,
                         "\x7F"
                         "ELF",
                         4) == 0)
        return "an executable (ELF)";
    return NULL;
}

/* A NUL byte near the start of a file that should be text: the message the decoder gives
 * (encoding.c), with its line and offset. What looks like UTF-16 or UTF-32 is left to the
 * decoder, which says so. */
static int check_nul(const char *path, const unsigned char *b, size_t n, ct_error *err)
{
    /* UTF-16 and UTF-32 are left to the decoder, which names them. */
    const unsigned char *nul =
        ct_wide_unicode_guess((const char *)b, n) ? NULL : memchr(b, '\0', n);
    if (!nul)
        return CT_OK;
    long line = 1;
    for (const unsigned char *p = b; p < nul; p++)
        line += *p == '\n' || (*p == '\r' && (p + 1 >= nul || p[1] != '\n'));
    ct_error_set(err, path, line, (long long)(nul - b),
                 "NUL byte: not a text file (or UTF-16 without a byte-order mark)");
    return CT_EENCODING;
}

/* Formats refused by extension, with what to do instead. */
static const char *refused(const char *ext)
{
    static const struct {
        const char *ext, *hint;
    } list[] = {
        {".xlsx", "Excel workbooks are not read: save the sheet as CSV UTF-8 (.csv)"},
        {".xlsm", "Excel workbooks are not read: save the sheet as CSV UTF-8 (.csv)"},
        {".xls", "Excel workbooks are not read: save the sheet as CSV UTF-8 (.csv)"},
        {".ods", "spreadsheets are not read: save the sheet as CSV UTF-8 (.csv)"},
        {".doc", "old Word documents are not read: save it as .docx (or as UTF-8 text)"},
        {".wps", "WPS documents are not read: save it as .docx (or as UTF-8 text)"},
        {".odt", "OpenDocument texts are not read: save it as .docx (or as UTF-8 text)"},
        {".pptx", "presentations are not read: export the text, or save as PDF"},
        {".zip", "archives are not read: unpack it and give the folder"},
    };
    for (size_t i = 0; i < sizeof list / sizeof list[0]; i++)
        if (strcasecmp(ext, list[i].ext) == 0)
            return list[i].hint;
    return NULL;
}

/* A PDF must end with "%%EOF" in its last 1024 bytes. */
static int check_pdf_tail(FILE *f, ct_error *err, const char *path)
{
    unsigned char tail[1024];
    size_t t = 0;
    if (fseeko(f, 0, SEEK_END) == 0) {
        off_t size = ftello(f);
        off_t from = size > (off_t)sizeof tail ? size - (off_t)sizeof tail : 0;
        if (fseeko(f, from, SEEK_SET) == 0)
            t = fread(tail, 1, sizeof tail, f);
    }
    if (!memmem(tail, t, "%%EOF", 5)) {
        ct_error_set(err, path, 0, -1,
                     "damaged PDF: no \"%%%%EOF\" marker at its end (truncated?)");
        return CT_EINPUT;
    }
    return CT_OK;
}

int ct_kind_check_head(const char *path, int kind, const unsigned char *buf, size_t n,
                       ct_error *err)
{
    if (n > SNIFF_BYTES)
        n = SNIFF_BYTES;
    const char *what = ct_sniff_binary(buf, n);
    switch (kind) {
    case CT_KIND_DOCX:
        if (n < 4 || memcmp(buf, "PK\x03\x04", 4) != 0) {
            ct_error_set(err, path, 0, -1, "not a DOCX document: %s",
                         what ? what : "it is not a ZIP archive");
            return CT_EINPUT;
        }
        return CT_OK;
    case CT_KIND_PDF:
        /* "%PDF-" must be in the first 1024 bytes (and "%%EOF" in the last: check_pdf_tail) */
        if (!memmem(buf, n < 1024 ? n : 1024, "%PDF-", 5)) {
            ct_error_set(err, path, 0, -1, "not a PDF file: %s",
                         what ? what : "no \"%PDF-\" signature at its start");
            return CT_EINPUT;
        }
        return CT_OK;
    default:
        if (!what)
            return kind != CT_KIND_JSONL ? check_nul(path, buf, n, err) /* the JSON reader */
                                         : CT_OK;                       /* says where and why */
        const char *kinds[] = {"text", "JSON Lines", "CSV", "TSV"};
        ct_error_set(err, path, 0, -1, "this is %s, not %s%s", what,
                     kind < 4 ? kinds[kind] : "text",
                     strstr(what, "PDF")     ? " (name it .pdf to read it as a PDF)"
                     : strstr(what, ".docx") ? " (name it .docx to read it as a Word document)"
                     : strstr(what, ".xlsx") ? " (save the sheet as CSV UTF-8)"
                                             : "");
        return CT_EINPUT;
    }
}

int ct_kind_check_name(const char *path, int kind, ct_error *err)
{
    const char *hint = refused(extension(path));
    if (hint) {
        ct_error_set(err, path, 0, -1, "%s", hint);
        return CT_EINPUT;
    }
    if (!ct_kind_built(kind)) {
        ct_error_set(err, path, 0, -1,
                     "this comptext was built without %s support (rebuild with libraries "
                     "found: meson setup -D%s=enabled)",
                     kind == CT_KIND_PDF ? "PDF" : "DOCX", kind == CT_KIND_PDF ? "pdf" : "docx");
        return CT_EINPUT;
    }
    return CT_OK;
}

int ct_kind_check(const char *path, int kind, ct_error *err)
{
    int rc = ct_kind_check_name(path, kind, err);
    if (rc != CT_OK)
        return rc;
    FILE *f = fopen(path, "rb");
    if (!f) {
        ct_error_set(err, path, 0, -1, "cannot open: %s", strerror(errno));
        return CT_EIO;
    }
    unsigned char buf[SNIFF_BYTES];
    size_t n = fread(buf, 1, sizeof buf, f);
    if (ferror(f)) {
        ct_error_set(err, path, 0, -1, "read error: %s", strerror(errno));
        rc = CT_EIO;
        goto done;
    }
    rc = ct_kind_check_head(path, kind, buf, n, err);
    if (rc == CT_OK && kind == CT_KIND_PDF)
        rc = check_pdf_tail(f, err, path);
done:
    fclose(f);
    return rc;
}
