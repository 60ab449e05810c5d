/* charclass.c — classifying code points for the tokeniser (see charclass.h).
 *
 * The class comes from utf8proc's category and width alone; the BMP's classes are computed
 * once into a 64 KiB table (pthread_once), since the tokeniser asks for every character. */
#include <pthread.h>
#include <utf8proc.h>

#include "charclass.h"

static unsigned char bmp_class[0x10000];
static pthread_once_t bmp_once = PTHREAD_ONCE_INIT;

static enum ct_charclass classify(int32_t cp)
{
    if (!utf8proc_codepoint_valid(cp))
        return CT_CC_BOUNDARY;
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_LM:
        return utf8proc_charwidth(cp) == 2 ? CT_CC_CJK : CT_CC_ALPHA;
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
        return CT_CC_ALPHA;
    case UTF8PROC_CATEGORY_ND:
        return CT_CC_DIGIT;
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
        return CT_CC_MARK;
    default:
        return CT_CC_BOUNDARY;
    }
}

static void fill_bmp(void)
{
    for (int32_t cp = 0; cp < 0x10000; cp++)
        bmp_class[cp] = (unsigned char)classify(cp);
}

enum ct_charclass ct_charclass_of(int32_t cp)
{
    if (cp >= 0 && cp < 0x10000) {
        pthread_once(&bmp_once, fill_bmp);
        return (enum ct_charclass)bmp_class[cp];
    }
    return classify(cp);
}
