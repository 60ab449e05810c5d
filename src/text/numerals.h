/* numerals.h — numbers written in Chinese text and the units after them (numerals.c);
 * private to the library (term discovery and the tokeniser). */
#ifndef CT_NUMERALS_H
#define CT_NUMERALS_H

#include <stddef.h>
#include <stdint.h>

/* The code point at s[i] (its bytes in *k; -1 and *k = 1 for an invalid byte). */
int32_t ct_numerals_decode(const char *s, size_t i, size_t len, size_t *k);
/* A positional Chinese digit's value 0 … 9 (〇, ○ and 零 are 0), or -1. */
int ct_numerals_digit(int32_t cp);
/* A Chinese numeral of any kind (digits, 十 百 千 万 亿 两 几, and 点 between them). */
int ct_numerals_is_numeral(int32_t cp);
/* A character that begins a measure or unit written after a number (个 年 万 平 …). */
int ct_numerals_is_unit(int32_t cp);
/* Bytes of the Chinese-numeral number at s[i] (years 一九五八, cardinals 一百五十六,
 * percentages 百分之四点五), 0 when none begins there. */
size_t ct_numerals_number_at(const char *s, size_t i, size_t len);
/* Bytes of the units (at most three: 万亿元) that s[i, len) begins with. */
size_t ct_numerals_units_at(const char *s, size_t i, size_t len);

#endif
