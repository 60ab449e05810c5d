/* term_runs.c — which characters of a text form the runs that term discovery reads.
 *
 * Term discovery (comptext/terms.h) sees only the CJK characters of a text, cut into runs at
 * every other character. Three kinds of text need more than that rule, or they leave fragments
 * that look like terms:
 *  - Quotation and book-title marks (“” ‘’ 「」 『』 《》 〈〉 and straight quotes). A quoted
 *    unit is a run of its own (“三个代表” is a candidate with free edges), and the positions
 *    next to a mark are flagged (QF_AFTER_CLOSE on the first character of a run that follows a
 *    closing mark, QF_BEFORE_OPEN on the last one of a run that precedes an opening mark), so
 *    that discovery can reject a string that mostly occurs glued to a quoted unit — the 重要思想
 *    of “三个代表”重要思想. A quoted single character cannot be a term of its own: it is part
 *    of the word around it, and its marks are skipped (“左”倾错误 reads 左倾错误).
 *  - Numbers written in digits. The digits already cut the run, but the measure or unit after
 *    them (1955年国家决算, 156个建设项目) would begin the next run: it is part of the number,
 *    and is skipped (up to three units: 2.5万亿元), as is an ordinal 第 just before a number.
 *  - Numbers written in Chinese numerals: a positional string of three or more digits
 *    (一九五八, 一九八〇) or of two with a zero among them (二〇, ○ and 零 count as the zero
 *    U+3007, so 二○○四年 is one number, not 二 + 四年), and a percentage 百分之… (百分之四点五).
 *    They are numbers, not terms: skipped with their unit (年). Numbers with 十/百/千 inside
 *    (十三五, 四十条, 第一个五年计划) are left as text: too many slogans are made of them.
 * The last character of a run right before a number (digits or numerals) is flagged
 * (QF_BEFORE_NUMBER): a string mostly followed by a number frames a statistic (年均增长 8%,
 * 中央财政拟安排 1.2 万亿元, 降至 5.5%) and is never a theme (term_discovery.c).
 * Skipped characters still count as CJK characters of the document (doc_chars). */
#include <string.h>

#include "charclass.h"
#include "numerals.h"
#include "comptext/alloc.h"
#include "terms_impl.h"

static int push_T(terms_work *w, uint32_t id)
{
    if (w->L == w->cap_T) {
        size_t cap = w->cap_T ? w->cap_T * 2 : 1 << 16;
        uint32_t *t = ct_reallocarray(w->T, cap, sizeof *t);
        if (!t)
            return CT_ENOMEM;
        w->T = t;
        unsigned char *q = ct_realloc(w->qflag, cap);
        if (!q)
            return CT_ENOMEM;
        w->qflag = q;
        w->cap_T = cap;
    }
    w->qflag[w->L] = 0;
    w->T[w->L++] = id;
    return CT_OK;
}

int ct_runs_separator(terms_work *w)
{
    return push_T(w, 0);
}

int ct_runs_char_id(terms_work *w, int32_t cp, uint32_t *id)
{
    if (!w->id_of_cp[cp]) {
        if (w->n_ids + 1 >= w->cap_ids) {
            size_t cap = w->cap_ids ? w->cap_ids * 2 : 4096;
            int32_t *c = ct_reallocarray(w->cp_of_id, cap, sizeof *c);
            if (!c)
                return CT_ENOMEM;
            w->cp_of_id = c;
            w->cap_ids = cap;
        }
        w->n_ids++;
        w->cp_of_id[w->n_ids] = cp;
        w->id_of_cp[cp] = (uint32_t)w->n_ids;
    }
    *id = w->id_of_cp[cp];
    return CT_OK;
}

/* 1: opening mark, 2: closing mark, 3: a straight quote (opens or closes by turns). */
static int quote_kind(int32_t cp)
{
    switch (cp) {
    case 0x201C: /* “ */
    case 0x2018: /* ‘ */
    case 0x300C: /* 「 */
    case 0x300E: /* 『 */
    case 0x300A: /* 《 */
    case 0x3008: /* 〈 */
    case 0xFE41: /* ﹁ */
    case 0xFE43: /* ﹃ */
        return 1;
    case 0x201D:
    case 0x2019:
    case 0x300D:
    case 0x300F:
    case 0x300B:
    case 0x3009:
    case 0xFE42:
    case 0xFE44:
        return 2;
    case '"':
    case 0xFF02:
        return 3;
    default:
        return 0;
    }
}

/* Append the runs of one normalised text to w->T (see the top of this file). */
int ct_runs_add_text(terms_work *w, const char *s, size_t len, double *chars)
{
    size_t i = 0, k;
    double n = 0;
    int after_number = 0, after_close = 0, straight_open = 0, rc;
    uint32_t ordinal = w->id_of_cp[0x7B2C]; /* 第, when the corpus has it */
    while (i < len) {
        int32_t cp = ct_numerals_decode(s, i, len, &k);
        if (cp < 0) {
            i += k;
            continue;
        }
        enum ct_charclass cls = ct_charclass_of(cp);
        if (cls == CT_CC_MARK) {
            i += k;
            continue; /* stays with the character before it; not part of the term text */
        }
        int q = quote_kind(cp);
        if (q == 3)
            q = straight_open ? 2 : 1;
        if (q == 1) {
            /* A quoted single character belongs to the word around it. */
            size_t k1, k2;
            int32_t c1 = i + k < len ? ct_numerals_decode(s, i + k, len, &k1) : -1;
            int q2 = c1 >= 0 && ct_charclass_of(c1) == CT_CC_CJK && i + k + k1 < len
                         ? quote_kind(ct_numerals_decode(s, i + k + k1, len, &k2))
                         : 0;
            if (q2 == 2 || (q2 == 3 && quote_kind(cp) == 3)) {
                uint32_t id;
                if ((rc = ct_runs_char_id(w, c1, &id)) != CT_OK || (rc = push_T(w, id)) != CT_OK)
                    return rc;
                n++;
                i += k + k1 + k2;
                after_number = after_close = 0;
                continue;
            }
        }
        if (cls == CT_CC_CJK || ct_numerals_digit(cp) == 0) {
            size_t num = ct_numerals_number_at(s, i, len);
            if (num) {
                for (size_t j = i; j < i + num; j += k)
                    if (ct_charclass_of(ct_numerals_decode(s, j, len, &k)) == CT_CC_CJK)
                        n++;
                i += num;
                if (w->T[w->L - 1] != 0) {
                    w->qflag[w->L - 1] |= QF_BEFORE_NUMBER;
                    if ((rc = push_T(w, 0)) != CT_OK)
                        return rc;
                }
                after_number = 1;
                after_close = 0;
                continue;
            }
        }
        if (cls == CT_CC_CJK) {
            if (after_number) {
                size_t u = ct_numerals_units_at(s, i, len);
                after_number = 0;
                if (u) {
                    for (size_t j = i; j < i + u; j += k)
                        n++, ct_numerals_decode(s, j, len, &k);
                    i += u;
                    continue;
                }
            }
            uint32_t id;
            if ((rc = ct_runs_char_id(w, cp, &id)) != CT_OK || (rc = push_T(w, id)) != CT_OK)
                return rc;
            if (after_close && w->T[w->L - 2] == 0)
                w->qflag[w->L - 1] |= QF_AFTER_CLOSE;
            after_close = 0;
            n++;
            i += k;
            continue;
        }
        if (cls == CT_CC_DIGIT) {
            /* An ordinal 第 just before the number belongs to it. */
            if (w->L >= 2 && ordinal && w->T[w->L - 1] == ordinal) {
                if (w->T[w->L - 2] == 0)
                    w->L--;
                else
                    w->T[w->L - 1] = 0, w->qflag[w->L - 1] = 0;
            }
            if (!after_number && w->T[w->L - 1] != 0)
                w->qflag[w->L - 1] |= QF_BEFORE_NUMBER;
            after_number = 1;
        } else if (!(after_number && (cp == '.' || cp == ',' || cp == '%'))) {
            after_number = 0;
        }
        if (q == 1 && w->T[w->L - 1] != 0)
            w->qflag[w->L - 1] |= QF_BEFORE_OPEN;
        if (quote_kind(cp) == 3)
            straight_open = !straight_open;
        after_close = q == 2;
        if (w->T[w->L - 1] != 0 && (rc = push_T(w, 0)) != CT_OK)
            return rc;
        i += k;
    }
    *chars = n;
    if (w->T[w->L - 1] != 0)
        return push_T(w, 0);
    return CT_OK;
}
