/* charclass.c — classifying code points for the tokeniser (see charclass.h).
 *
 * The class comes from utf8proc's category and width alone; the BMP's classes are computed
 * once into a 64 KiB table (pthread_once) that charclass.h reads inline, since the tokeniser
 * asks for every character. */
#include <pthread.h>
#include <utf8proc.h>

#include "charclass.h"

unsigned char ct_charclass_bmp[0x10000];
int ct_charclass_ready;
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
    case UTF8PROC_CATEGORY_NL: /* 〇 (U+3007) is written inside Han numbers: 二〇三五年 */
        return utf8proc_charwidth(cp) == 2 ? CT_CC_CJK : CT_CC_BOUNDARY;
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
        ct_charclass_bmp[cp] = (unsigned char)classify(cp);
    __atomic_store_n(&ct_charclass_ready, 1, __ATOMIC_RELEASE);
}

enum ct_charclass ct_charclass_slow(int32_t cp)
{
    if (cp >= 0 && cp < 0x10000) {
        pthread_once(&bmp_once, fill_bmp);
        return (enum ct_charclass)ct_charclass_bmp[cp];
    }
    return classify(cp);
}
