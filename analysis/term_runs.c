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
#include <utf8proc.h>

#include "charclass.h"
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

static int char_id(terms_work *w, int32_t cp, uint32_t *id)
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

/* Positional Chinese digits: 0 … 9, or -1. ○ (U+25CB) and 零 are written for 〇 in years. */
static int cn_digit(int32_t cp)
{
    static const int32_t d[] = {0x3007, 0x4E00, 0x4E8C, 0x4E09, 0x56DB,
                                0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D};
    if (cp == 0x25CB || cp == 0x96F6 || cp == 0x25EF)
        return 0;
    for (int i = 0; i < 10; i++)
        if (d[i] == cp)
            return i;
    return -1;
}

/* A Chinese numeral of any kind (digits, 十 百 千 万 亿 两, and 点 between them). */
static int cn_numeral(int32_t cp)
{
    return cn_digit(cp) >= 0 || cp == 0x5341 || cp == 0x767E || cp == 0x5343 || cp == 0x4E07 ||
           cp == 0x4EBF || cp == 0x4E24 || cp == 0x70B9;
}

/* Measures and units written after a number, longest first where one is a prefix of another.
 * Normalised (simplified) forms; the list is short and searched in order. */
static const char *const UNITS[] = {
    "平方公里", "平方米", "立方米", "千瓦时", "千瓦", "千克", "千米", "公里", "公斤", "公顷",
    "美元",     "港元",   "欧元",   "日元",   "年度", "周年", "个月", "人次", "人口", "年",
    "月",       "日",     "号",     "个",     "项",   "件",   "名",   "人",   "次",   "位",
    "户",       "家",     "所",     "座",     "条",   "台",   "套",   "辆",   "架",   "艘",
    "批",       "种",     "类",     "元",     "万",   "亿",   "千",   "百",   "吨",   "斤",
    "亩",       "米",     "克",     "倍",     "度",   "岁",   "天",   "周",   "届",   "册",
    "部",       "本",     "多",     "余",     "份",   "处",   "起",   "例",   "篇",   "期",
    "点",       "分",     "秒",     "时",     "角",   "斤",   "里",   "头",   "只",   "株"};

int ct_runs_is_numeral(int32_t cp)
{
    return cn_numeral(cp) || cp == 0x51E0; /* 几 */
}

int ct_runs_is_unit(int32_t cp)
{
    char b[8];
    utf8proc_ssize_t n = utf8proc_encode_char(cp, (utf8proc_uint8_t *)b);
    for (size_t u = 0; u < sizeof UNITS / sizeof UNITS[0]; u++)
        if ((size_t)n <= strlen(UNITS[u]) && memcmp(UNITS[u], b, (size_t)n) == 0)
            return 1;
    return cp == 0x5341; /* 十 */
}

/* Bytes of the units (at most three) that s[i, len) begins with. */
static size_t units_at(const char *s, size_t i, size_t len)
{
    size_t start = i;
    for (int k = 0; k < 3; k++) {
        size_t best = 0;
        for (size_t u = 0; u < sizeof UNITS / sizeof UNITS[0]; u++) {
            size_t n = strlen(UNITS[u]);
            if (n > best && n <= len - i && memcmp(s + i, UNITS[u], n) == 0)
                best = n;
        }
        if (!best)
            break;
        i += best;
    }
    return i - start;
}

/* Decode the code point at s[i] (bytes in *k; -1 for an invalid byte). */
static int32_t cp_at(const char *s, size_t i, size_t len, size_t *k)
{
    const unsigned char *u = (const unsigned char *)s;
    if (u[i] < 0x80) {
        *k = 1;
        return u[i];
    }
    utf8proc_int32_t c;
    utf8proc_ssize_t n = utf8proc_iterate(u + i, (utf8proc_ssize_t)(len - i), &c);
    if (n < 1) {
        *k = 1;
        return -1;
    }
    *k = (size_t)n;
    return c;
}

/* Rank of a multiplier: 十 1, 百 2, 千 3, 万 4, 亿 5; else 0. */
static int cn_mult(int32_t cp)
{
    return cp == 0x5341   ? 1
           : cp == 0x767E ? 2
           : cp == 0x5343 ? 3
           : cp == 0x4E07 ? 4
           : cp == 0x4EBF ? 5
                          : 0;
}

/* Bytes of a cardinal with multipliers at s[i] — 二十四, 一百五十六, 三千零五, 四点五 — of three
 * characters or more, written as cardinals are (no digit after a digit but after 零, 十 百 千
 * falling within each 万/亿 section); 0 otherwise. 十三五 and 四十条 are not (十三 + 五; two
 * characters). */
static size_t cn_cardinal_at(const char *s, size_t i, size_t len)
{
    size_t j = i, k, end = i;
    int chars = 0, valid = 0, has_mult = 0, last_digit = 0, last_zero = 0, small = 4;
    while (j < len) {
        int32_t cp = cp_at(s, j, len, &k);
        int d = cp == 0x4E24 ? 2 : cn_digit(cp), m = cn_mult(cp);
        if (d >= 0) {
            if (last_digit && !last_zero && d != 0)
                break;
            last_digit = 1;
            last_zero = d == 0;
        } else if (m) {
            if (!chars && m != 1)
                break; /* 万众, 千方百计, 百花齐放 */
            if (m <= 3) {
                if (m >= small)
                    break;
                small = m;
            } else {
                small = 4;
            }
            has_mult = 1;
            last_digit = last_zero = 0;
        } else {
            break;
        }
        j += k;
        chars++;
        if (has_mult && chars >= 3)
            valid = 1, end = j;
        else if (has_mult && chars >= 2)
            end = j;
    }
    if (!has_mult || end == i)
        return 0;
    /* A decimal part: 四点五. */
    if (end < len && cp_at(s, end, len, &k) == 0x70B9 && end + k < len &&
        cn_digit(cp_at(s, end + k, len, &(size_t){0})) >= 0) {
        size_t e = end + k;
        int extra = 1;
        while (e < len && cn_digit(cp_at(s, e, len, &k)) >= 0)
            e += k, extra++;
        if (chars + extra >= 3)
            return e - i;
    }
    return valid ? end - i : 0;
}

/* Bytes of the Chinese-numeral number at s[i] (0: none there). */
static size_t cn_number_at(const char *s, size_t i, size_t len)
{
    size_t k, j = i;
    int32_t cp = cp_at(s, i, len, &k);
    /* 百分之 + numerals: a percentage. */
    if (cp == 0x767E && len - i >= 9 && memcmp(s + i, "百分之", 9) == 0) {
        j = i + 9;
        size_t n = 0;
        while (j < len && cn_numeral(cp_at(s, j, len, &k)))
            j += k, n++;
        return n ? j - i : 0;
    }
    size_t card = cn_cardinal_at(s, i, len);
    if (card)
        return card;
    int digits = 0, zero = 0;
    while (j < len) {
        int d = cn_digit(cp_at(s, j, len, &k));
        if (d < 0)
            break;
        zero |= d == 0;
        digits++;
        j += k;
    }
    if (digits >= 3 || (digits == 2 && zero))
        return j - i;
    return 0;
}

/* Append the runs of one normalised text to w->T (see the top of this file). */
int ct_runs_add_text(terms_work *w, const char *s, size_t len, double *chars)
{
    size_t i = 0, k;
    double n = 0;
    int after_number = 0, after_close = 0, straight_open = 0, rc;
    uint32_t ordinal = w->id_of_cp[0x7B2C]; /* 第, when the corpus has it */
    while (i < len) {
        int32_t cp = cp_at(s, i, len, &k);
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
            int32_t c1 = i + k < len ? cp_at(s, i + k, len, &k1) : -1;
            int q2 = c1 >= 0 && ct_charclass_of(c1) == CT_CC_CJK && i + k + k1 < len
                         ? quote_kind(cp_at(s, i + k + k1, len, &k2))
                         : 0;
            if (q2 == 2 || (q2 == 3 && quote_kind(cp) == 3)) {
                uint32_t id;
                if ((rc = char_id(w, c1, &id)) != CT_OK || (rc = push_T(w, id)) != CT_OK)
                    return rc;
                n++;
                i += k + k1 + k2;
                after_number = after_close = 0;
                continue;
            }
        }
        if (cls == CT_CC_CJK || cn_digit(cp) == 0) {
            size_t num = cn_number_at(s, i, len);
            if (num) {
                for (size_t j = i; j < i + num; j += k)
                    if (ct_charclass_of(cp_at(s, j, len, &k)) == CT_CC_CJK)
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
                size_t u = units_at(s, i, len);
                after_number = 0;
                if (u) {
                    for (size_t j = i; j < i + u; j += k)
                        n++, cp_at(s, j, len, &k);
                    i += u;
                    continue;
                }
            }
            uint32_t id;
            if ((rc = char_id(w, cp, &id)) != CT_OK || (rc = push_T(w, id)) != CT_OK)
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
