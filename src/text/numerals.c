/* numerals.c — numbers written in Chinese text, and the units after them.
 *
 * Two consumers read numbers out of CJK runs: term discovery (analysis/term_runs.c), which
 * cuts its runs at them, and the tokeniser with CT_TOK_NO_NUMBERS (tokenize.c), which drops
 * the n-grams made of them. What counts as a number (numerals.h): a positional string of
 * three or more Chinese digits (一九五八, 一九八〇), or of two with a zero among them (二〇;
 * ○ U+25CB and 零 count as the zero 〇), a cardinal with multipliers of three characters or
 * more (一百五十六, 二十四, 四点五), a percentage 百分之… (or 千分之…, 万分之…); numbers with
 * 十/百/千 inside that are slogans (十三五, 四十条) are not. The units and measures written after a
 * number (年, 个, 万亿元, 平方公里 …) are listed here too. */
#include <string.h>
#include <utf8proc.h>

#include "numerals.h"

/* Positional Chinese digits: 0 … 9, or -1. ○ (U+25CB) and 零 are written for 〇 in years. */
int ct_numerals_digit(int32_t cp)
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
    return ct_numerals_digit(cp) >= 0 || cp == 0x5341 || cp == 0x767E || cp == 0x5343 ||
           cp == 0x4E07 || cp == 0x4EBF || cp == 0x4E24 || cp == 0x70B9;
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

int ct_numerals_is_numeral(int32_t cp)
{
    return cn_numeral(cp) || cp == 0x51E0; /* 几 */
}

int ct_numerals_is_unit(int32_t cp)
{
    char b[8];
    utf8proc_ssize_t n = utf8proc_encode_char(cp, (utf8proc_uint8_t *)b);
    for (size_t u = 0; u < sizeof UNITS / sizeof UNITS[0]; u++)
        if ((size_t)n <= strlen(UNITS[u]) && memcmp(UNITS[u], b, (size_t)n) == 0)
            return 1;
    return cp == 0x5341; /* 十 */
}

/* Bytes of the units (at most three) that s[i, len) begins with. */
size_t ct_numerals_units_at(const char *s, size_t i, size_t len)
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
int32_t ct_numerals_decode(const char *s, size_t i, size_t len, size_t *k)
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
        int32_t cp = ct_numerals_decode(s, j, len, &k);
        int d = cp == 0x4E24 ? 2 : ct_numerals_digit(cp), m = cn_mult(cp);
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
    if (end < len && ct_numerals_decode(s, end, len, &k) == 0x70B9 && end + k < len &&
        ct_numerals_digit(ct_numerals_decode(s, end + k, len, &(size_t){0})) >= 0) {
        size_t e = end + k;
        int extra = 1;
        while (e < len && ct_numerals_digit(ct_numerals_decode(s, e, len, &k)) >= 0)
            e += k, extra++;
        if (chars + extra >= 3)
            return e - i;
    }
    return valid ? end - i : 0;
}

/* Bytes of the Chinese-numeral number at s[i] (0: none there). */
size_t ct_numerals_number_at(const char *s, size_t i, size_t len)
{
    size_t k, j = i;
    int32_t cp = ct_numerals_decode(s, i, len, &k);
    /* 百分之, 千分之 or 万分之 + numerals: a percentage, a per mille, a per ten thousand. */
    if ((cp == 0x767E || cp == 0x5343 || cp == 0x4E07) && len - i >= 9 &&
        memcmp(s + i + 3, "分之", 6) == 0) {
        j = i + 9;
        size_t n = 0;
        while (j < len && cn_numeral(ct_numerals_decode(s, j, len, &k)))
            j += k, n++;
        return n ? j - i : 0;
    }
    size_t card = cn_cardinal_at(s, i, len);
    if (card)
        return card;
    int digits = 0, zero = 0;
    while (j < len) {
        int d = ct_numerals_digit(ct_numerals_decode(s, j, len, &k));
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
