/* test_terms_planted.c — term discovery keeps whole terms, on planted corpora, one for each
 * class of fragment the reports produced (issue 12):
 *  - quoted units: “三个代表”重要思想 gives the term 三个代表, never 重要思想; a quoted single
 *    character belongs to its word: “左”倾错误 gives 左倾错误, never 倾错误;
 *  - numbers: years in Chinese numerals (一九五八年, 二〇〇四年, 二○○四年 with ○ for 〇) and
 *    cardinals (一百五十六) are numbers, and so is the measure or unit after digits or numerals
 *    (1955年国家决算, 156个建设项目): no 年国家决算, 个建设项目, 从二, 四年 — but 国家决算 and
 *    建设项目 are terms, and 十三五 (not a cardinal) stays one;
 *  - long slogans: 习近平同志为核心的党中央 (12 characters, the default longest term; 以 before it
 * is a function character, a word boundary) and, with --max-len 16,
 * 习近平新时代中国特色社会主义思想 are found whole, and 新时代, which mostly begins the latter, is
 * a term too; 供给侧结构性改革 whole although 推进/深化 often precede it, and the verb + term
 * phrase 推动大众创业 is not a term where 大众创业 is. Each planted string sits between neighbours
 * drawn from lists of sixteen words, so no longer phrase repeats. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "comptext.h"

static const char *BEFORE[] = {"今年", "继续", "我们", "认真", "各地", "努力", "全面", "必须",
                               "明年", "坚持", "他们", "切实", "各省", "尽力", "逐步", "应当"};
static const char *AFTER[] = {"顺利", "已经", "进展", "正在", "目标", "任务", "要求", "部署",
                              "完成", "开始", "实施", "落实", "提前", "全部", "超额", "基本"};

static const char *pick(const char **list, int k)
{
    return list[((unsigned)k * 7u + 3u) % 16u];
}

typedef void (*sentence_fn)(char *buf, size_t size, size_t *n, int k);

static void quoted(char *buf, size_t size, size_t *n, int k)
{
    *n += (size_t)snprintf(buf + *n, size - *n, "%s贯彻“三个代表”重要思想%s。", pick(BEFORE, k),
                           pick(AFTER, k + 5));
    *n += (size_t)snprintf(buf + *n, size - *n, "%s“三个代表”%s，", pick(BEFORE, k + 9),
                           pick(AFTER, k + 2));
    *n += (size_t)snprintf(buf + *n, size - *n, "%s“左”倾错误%s。", pick(BEFORE, k + 4),
                           pick(AFTER, k + 11));
}

static void numbers(char *buf, size_t size, size_t *n, int k)
{
    static const char *YEARS[] = {"一九五八年", "二〇〇四年", "二○○四年", "一九五七年"};
    *n += (size_t)snprintf(buf + *n, size - *n, "%s从%s起%s，", pick(BEFORE, k), YEARS[k % 4],
                           pick(AFTER, k + 1));
    *n += (size_t)snprintf(buf + *n, size - *n, "%s%d年国家决算%s，", pick(BEFORE, k + 3),
                           1950 + k % 7, pick(AFTER, k + 6));
    *n += (size_t)snprintf(buf + *n, size - *n, "%s%d个建设项目%s；", pick(BEFORE, k + 8),
                           100 + 7 * k, k % 2 ? pick(AFTER, k + 2) : "");
    *n += (size_t)snprintf(buf + *n, size - *n, "%s一百五十六个建设项目%s，", pick(BEFORE, k + 5),
                           pick(AFTER, k + 9));
    *n += (size_t)snprintf(buf + *n, size - *n, "%s十三五%s。", pick(BEFORE, k + 12),
                           pick(AFTER, k + 13));
}

/* Frames of a statistic (issue 12): 年均增长 and 比去年增加, mostly followed by a number
 * (digits, or numerals such as 百分之十), end in a verb (增长 and 增加 are generic words) and
 * are never counted; 特别国债, as often followed by its amount, is a noun and a term. */
static void frames(char *buf, size_t size, size_t *n, int k)
{
    *n += (size_t)snprintf(buf + *n, size - *n, "%s年均增长%d.%d%%，", pick(BEFORE, k), 3 + k % 5,
                           k % 10);
    *n += (size_t)snprintf(buf + *n, size - *n, "%s比去年增加百分之%s，%s特别国债%d亿元。",
                           pick(BEFORE, k + 3), k % 2 ? "十" : "八", pick(BEFORE, k + 6),
                           1000 + 10 * k);
    if (k % 4 == 0)
        *n += (size_t)snprintf(buf + *n, size - *n, "%s增长%s，%s增加%s。", pick(BEFORE, k + 9),
                               pick(AFTER, k + 1), pick(BEFORE, k + 12), pick(AFTER, k + 5));
}

static void slogans(char *buf, size_t size, size_t *n, int k)
{
    *n += (size_t)snprintf(buf + *n, size - *n, "%s习近平新时代中国特色社会主义思想%s。",
                           pick(BEFORE, k), pick(AFTER, k + 4));
    *n += (size_t)snprintf(buf + *n, size - *n, "%s以习近平同志为核心的党中央%s。",
                           pick(BEFORE, k + 5), pick(AFTER, k + 3));
    if (k % 3 == 0)
        *n += (size_t)snprintf(buf + *n, size - *n, "%s新时代%s，", pick(BEFORE, k + 6),
                               pick(AFTER, k + 1));
    static const char *VERB[] = {"推进", "深化", "坚持"};
    *n += (size_t)snprintf(buf + *n, size - *n, "%s%s供给侧结构性改革%s，", pick(BEFORE, k + 2),
                           k % 2 ? VERB[k % 3] : "", pick(AFTER, k + 7));
    if (k % 4 == 0)
        *n += (size_t)snprintf(buf + *n, size - *n, "%s推动大众创业、万众创新%s。",
                               pick(BEFORE, k + 3), pick(AFTER, k + 10));
    *n += (size_t)snprintf(buf + *n, size - *n, "%s大众创业%s，%s推动%s。", pick(BEFORE, k + 13),
                           pick(AFTER, k + 14), pick(BEFORE, k + 1), pick(AFTER, k + 8));
    /* 推动, 推进 and 深化 are common verbs: the phrases are a rare use of them. */
    for (int r = 0; r < 8; r++)
        *n += (size_t)snprintf(buf + *n, size - *n, "%s推进%s，%s深化%s，%s推动%s。",
                               pick(BEFORE, k + 6 + r), pick(AFTER, k + 9 + r),
                               pick(BEFORE, k + 10 + r), pick(AFTER, k + 12 + r),
                               pick(BEFORE, k + 3 * r), pick(AFTER, k + 5 * r));
}

/* Function characters at the edges (issue 12, term discovery): 文化体制改革 is followed by 和
 * in a fifth of its uses, 和社区 is a conjunction before a word, 县乡财政管理体制 always comes
 * after 和; 逐步地 and 适当地 are adverbs + 地 (逐步 and 适当 occur without it, 当地 is a word
 * of its own); 和平共处, 对外开放 and 老工业基地 begin or end with such a character and stay. */
static void edges(char *buf, size_t size, size_t *n, int k)
{
    *n += (size_t)snprintf(buf + *n, size - *n, "%s文化体制改革%s，", pick(BEFORE, k),
                           pick(AFTER, k + 3));
    if (k % 4 == 0)
        *n += (size_t)snprintf(buf + *n, size - *n, "%s文化体制改革和%s，", pick(BEFORE, k + 5),
                               pick(AFTER, k + 6));
    *n += (size_t)snprintf(buf + *n, size - *n, "%s和社区%s，%s社区%s。", pick(BEFORE, k + 1),
                           pick(AFTER, k + 2), pick(BEFORE, k + 7), pick(AFTER, k + 9));
    *n += (size_t)snprintf(buf + *n, size - *n, "%s和县乡财政管理体制%s，", pick(BEFORE, k + 2),
                           pick(AFTER, k + 4));
    *n += (size_t)snprintf(buf + *n, size - *n, "%s逐步%s，%s适当%s，", pick(BEFORE, k + 3),
                           pick(AFTER, k + 5), pick(BEFORE, k + 11), pick(AFTER, k + 13));
    if (k % 2 == 0)
        *n += (size_t)snprintf(buf + *n, size - *n, "%s逐步地%s，%s适当地%s。", pick(BEFORE, k + 6),
                               pick(AFTER, k + 7), pick(BEFORE, k + 9), pick(AFTER, k + 1));
    if (k % 3 == 0)
        *n += (size_t)snprintf(buf + *n, size - *n, "%s当地%s，", pick(BEFORE, k + 12),
                               pick(AFTER, k + 10));
    *n += (size_t)snprintf(buf + *n, size - *n, "%s和平共处%s，%s对外开放%s，%s老工业基地%s。",
                           pick(BEFORE, k + 4), pick(AFTER, k + 8), pick(BEFORE, k + 8),
                           pick(AFTER, k + 11), pick(BEFORE, k + 10), pick(AFTER, k + 12));
    /* 地 mostly inside words, as in the reports (地区, 地方; listed alone, so that they make
     * no phrase with a neighbour), so that segmentation does not see it as a function
     * character. */
    for (int r = 0; r < 6; r++)
        *n += (size_t)snprintf(buf + *n, size - *n, "地区、地方、");
    if (k % 2)
        *n += (size_t)snprintf(buf + *n, size - *n, "%s和平%s，%s对外%s，%s基地%s。",
                               pick(BEFORE, k + 13), pick(AFTER, k + 14), pick(BEFORE, k + 14),
                               pick(AFTER, k + 15), pick(BEFORE, k + 15), pick(AFTER, k));
}

/* A conjunction after a term, however rare the term is without it (issue 12): 再就业和 —
 * 再就业 mostly followed by 和, so that the rest is not 1.5 times as frequent — is no term,
 * 再就业 is, although 再 often stands alone: 再就业 holds much of its uses, a bound affix,
 * where 和 of 和社区 holds few. */
static void conjunctions(char *buf, size_t size, size_t *n, int k)
{
    *n += (size_t)snprintf(buf + *n, size - *n, "%s再就业和%s，", pick(BEFORE, k),
                           pick(AFTER, k + 3));
    if (k % 3 == 0)
        *n += (size_t)snprintf(buf + *n, size - *n, "%s再就业%s。", pick(BEFORE, k + 5),
                               pick(AFTER, k + 6));
    /* 再 standing alone (a one-character run); 就业, and 企业和 more often than 再就业 (so that
     * the pair 业和 is commoner than the rest 再就业, as in the reports). */
    *n += (size_t)snprintf(buf + *n, size - *n, "再，%s就业%s，%s企业和%s，%s企业和%s。",
                           pick(BEFORE, k + 2), pick(AFTER, k + 11), pick(BEFORE, k + 13),
                           pick(AFTER, k + 1), pick(BEFORE, k + 10), pick(AFTER, k + 4));
}

/* Verb phrases and clauses (issue 12): 整顿好 (a verb and its complement 好) and 矛盾日益突出
 * (subject, degree adverb, predicate) are no terms; 整顿, 矛盾 and 更加积极的财政政策 (the
 * adverb first) are. */
static void clauses(char *buf, size_t size, size_t *n, int k)
{
    *n += (size_t)snprintf(buf + *n, size - *n, "%s整顿好%s，%s整顿%s，", pick(BEFORE, k),
                           pick(AFTER, k + 3), pick(BEFORE, k + 4), pick(AFTER, k + 7));
    *n += (size_t)snprintf(buf + *n, size - *n, "%s矛盾日益突出%s，%s矛盾%s，", pick(BEFORE, k + 1),
                           pick(AFTER, k + 5), pick(BEFORE, k + 8), pick(AFTER, k + 9));
    *n += (size_t)snprintf(buf + *n, size - *n, "%s更加积极的财政政策%s。", pick(BEFORE, k + 11),
                           pick(AFTER, k + 13));
}

/* A fragment no single longer term subsumes (issue 12): 私营工 of 私营工商业, 私营工业 and
 * 私营工厂, whose last character begins the words 工商 and 工业; 私营 and those words occur
 * alone. */
static void cut_words(char *buf, size_t size, size_t *n, int k)
{
    *n += (size_t)snprintf(buf + *n, size - *n, "%s私营工商业%s，", pick(BEFORE, k),
                           pick(AFTER, k + 3));
    if (k % 2)
        *n += (size_t)snprintf(buf + *n, size - *n, "%s私营工业%s，", pick(BEFORE, k + 5),
                               pick(AFTER, k + 6));
    if (k % 3 == 0)
        *n += (size_t)snprintf(buf + *n, size - *n, "%s私营工厂%s，", pick(BEFORE, k + 9),
                               pick(AFTER, k + 12));
    *n += (size_t)snprintf(buf + *n, size - *n, "%s私营%s，%s工业%s，%s工商%s。",
                           pick(BEFORE, k + 7), pick(AFTER, k + 9), pick(BEFORE, k + 2),
                           pick(AFTER, k + 4), pick(BEFORE, k + 11), pick(AFTER, k + 13));
    /* 工业 and 私营 are common: 私营工业 is a rare use of them, two words side by side. */
    for (int r = 0; r < 24; r++)
        *n += (size_t)snprintf(buf + *n, size - *n, "工业、私营、");
    *n += (size_t)snprintf(buf + *n, size - *n, "%s工业生产%s，%s工商行政%s，%s工厂%s。",
                           pick(BEFORE, k + 8), pick(AFTER, k + 10), pick(BEFORE, k + 12),
                           pick(AFTER, k + 1), pick(BEFORE, k + 14), pick(AFTER, k + 15));
}

/* A fragment at the left edge (issue 12): 业培训 of 职业培训, 事业培训, 农业培训 … (sixteen
 * words ending in 业, none of them followed by 培训 often enough to be a term), whose first
 * character ends the word before it (业培 is no word; 培训 and those words occur alone, so
 * the pairs are candidates); without the left-edge rule 业培训 is a term;
 * 农业总产值 of 工农业总产值 stays, its 农 beginning the word 农业. */
static void left_cut(char *buf, size_t size, size_t *n, int k)
{
    static const char *HEAD[] = {"职业", "事业", "创业", "农业", "企业", "行业", "产业", "商业",
                                 "林业", "专业", "物业", "矿业", "渔业", "牧业", "副业", "学业"};
    *n += (size_t)snprintf(buf + *n, size - *n, "%s%s培训%s，", pick(BEFORE, k), HEAD[k % 16],
                           pick(AFTER, k + 3));
    for (int r = 0; r < 2; r++) /* each word alone, after and before four different words */
        *n +=
            (size_t)snprintf(buf + *n, size - *n, "%s%s%s，", pick(BEFORE, k + 7 * r + k / 16 * 3),
                             HEAD[(5 * k + 3 * r) % 16], pick(AFTER, k + 5 * r + k / 16 * 5));
    *n += (size_t)snprintf(buf + *n, size - *n, "%s培训%s。", pick(BEFORE, k + 9),
                           pick(AFTER, k + 12));
    *n += (size_t)snprintf(buf + *n, size - *n, "%s%s总产值%s，", pick(BEFORE, k + 7),
                           k % 3 ? "工农业" : "农业", pick(AFTER, k + 9));
    *n += (size_t)snprintf(buf + *n, size - *n, "%s工业总产值%s，%s工农%s。", pick(BEFORE, k + 2),
                           pick(AFTER, k + 4), pick(BEFORE, k + 11), pick(AFTER, k + 13));
}

/* A function character glued to a word inside (issue 12, session 8): 和各项社会事业 — 和各 a
 * candidate pair (和各级, 和各方面, 和各地区), loose (和 and 各 are common apart), 各项 a bound
 * word (各项工作, 各项改革) — is no term, 各项社会事业 is; 和谐社会 stays (谐 begins no word). */
static void loose_pairs(char *buf, size_t size, size_t *n, int k)
{
    static const char *TAIL[] = {"级政府", "方面", "地区", "部门"};
    static const char *COORD[] = {"工业和农业", "城市和乡村", "科技和教育", "文化和旅游"};
    *n += (size_t)snprintf(buf + *n, size - *n, "%s和各项社会事业%s，", pick(BEFORE, k),
                           pick(AFTER, k + 3));
    if (k % 2)
        *n += (size_t)snprintf(buf + *n, size - *n, "%s各项社会事业%s，", pick(BEFORE, k + 5),
                               pick(AFTER, k + 6));
    static const char *ITEM[] = {"工作", "改革", "任务", "政策"};
    *n += (size_t)snprintf(buf + *n, size - *n, "%s各项%s%s，", pick(BEFORE, k + 11), ITEM[k % 4],
                           pick(AFTER, k + 13));
    for (int r = 0; r < 2; r++) /* 和各 commoner than 各项社会事业 */
        *n +=
            (size_t)snprintf(buf + *n, size - *n, "%s和各%s%s，%s各%s%s，", pick(BEFORE, k + 1 + r),
                             TAIL[(k + r) % 4], pick(AFTER, k + 2 + r), pick(BEFORE, k + 7 + r),
                             TAIL[(k + 1 + r) % 4], pick(AFTER, k + 9 + r));
    for (int r = 0; r < 4; r++)
        *n += (size_t)snprintf(buf + *n, size - *n, "%s%s%s，", pick(BEFORE, k + 3 * r),
                               COORD[(k + r) % 4], pick(AFTER, k + 5 * r + 1));
    *n += (size_t)snprintf(buf + *n, size - *n, "%s和谐社会%s，%s和谐%s。", pick(BEFORE, k + 4),
                           pick(AFTER, k + 8), pick(BEFORE, k + 10), pick(AFTER, k + 12));
}

/* Pronouns (issue 12, session 8): 他说, 我们讲, 有人认为 (a subject and its verb), 同它们 (a
 * preposition and its object), 到哪里 (a question) and 为着 (two particles) are never terms in
 * the counts, nor is 党中央周围 (a noun phrase closed by a localiser of two characters: the
 * locative phrase of 在党中央周围) or 在各条战线上 (framed by 在 and a localiser of one); 政府工作
 * and 党中央 beside them are. */
static void pronouns(char *buf, size_t size, size_t *n, int k)
{
    static const char *PHRASE[] = {"他说", "我们讲",       "同它们",   "到哪里",
                                   "为着", "在党中央周围", "有人认为", "在各条战线上"};
    for (int r = 0; r < 8; r++)
        *n += (size_t)snprintf(buf + *n, size - *n, "%s%s%s，", pick(BEFORE, k + 3 * r), PHRASE[r],
                               pick(AFTER, k + 5 * r + 2));
    *n += (size_t)snprintf(buf + *n, size - *n, "%s政府工作%s，%s党中央%s。", pick(BEFORE, k + 6),
                           pick(AFTER, k + 7), pick(BEFORE, k + 12), pick(AFTER, k + 14));
}

/* Time spans (issue 12): 五年来, 三年内 and 几个月来 frame sentences and are never terms in the
 * counts, nor is a span modifying a noun phrase (过去三年的政府工作); 五年计划 and 十五年 (a
 * bare span) stay. */
static void spans(char *buf, size_t size, size_t *n, int k)
{
    static const char *SPAN[] = {"五年来", "三年内", "几个月来", "两年多来"};
    *n += (size_t)snprintf(buf + *n, size - *n, "%s%s%s，", pick(BEFORE, k), SPAN[k % 4],
                           pick(AFTER, k + 3));
    *n += (size_t)snprintf(buf + *n, size - *n, "%s五年计划%s，%s十五年%s。", pick(BEFORE, k + 5),
                           pick(AFTER, k + 7), pick(BEFORE, k + 9), pick(AFTER, k + 11));
    *n += (size_t)snprintf(buf + *n, size - *n, "%s过去三年的政府工作%s，", pick(BEFORE, k + 2),
                           pick(AFTER, k + 13));
}

/* Numbers and time phrases (issue 12, class 3): a bare cardinal (四十, 三十), a deictic and a
 * span (今后五年, 新十年), a year word (本年), a decade (八十年代), a cumulative (五年累计) and a
 * rate (平均每年递增)
 * frame sentences and are never terms in the counts; the plan names 十五 and 八五 (numerals
 * too) and 过去五年 (a bare span) stay. */
static void times(char *buf, size_t size, size_t *n, int k)
{
    static const char *TIME[] = {"四十",   "今后五年",     "本年", "五年累计",
                                 "新十年", "平均每年递增", "三十"};
    *n += (size_t)snprintf(buf + *n, size - *n, "%s%s%s，", pick(BEFORE, k), TIME[k % 7],
                           pick(AFTER, k + 3));
    static const char *DECADE[] = {"五十", "六十", "七十", "八十", "九十"};
    *n += (size_t)snprintf(buf + *n, size - *n, "%s%s年代%s，", pick(BEFORE, k + 2), DECADE[k % 5],
                           pick(AFTER, k + 9));
    static const char *KEEP[] = {"十五", "八五", "过去五年"};
    *n += (size_t)snprintf(buf + *n, size - *n, "%s%s%s。", pick(BEFORE, k + 5), KEEP[k % 3],
                           pick(AFTER, k + 7));
}

/* Fragments of one longer string (issue 12): 我国建 is mostly 我国建设, whose 建设 is a word
 * bound far more than by chance, and otherwise 我国建交, 我国建立, 我国建成 … once each — no
 * candidate subsumes it (我国建设 holds 70% of its uses, below subsume_ratio); 随机 is mostly
 * 双随机, a candidate, and 双随 occurs nowhere else. 第三世界 is mostly 第三世界国家 (75%) and
 * 公共卫生服务 mostly 基本公共卫生服务, but neither edge cuts a word and both pairs occur
 * elsewhere (界国 in 各界国际友人, 本公 in 基本公共服务): both stay terms. A filler of words
 * without these characters makes the corpus long enough for chance to be rare. */
static void one_string(char *buf, size_t size, size_t *n, int k)
{
    static const char *const AFTER_JIAN[] = {"交", "立", "成", "造", "筑", "议",
                                             "起", "房", "厂", "材", "制", "功"};
    *n += (size_t)snprintf(buf + *n, size - *n, "%s我国建%s%s，%s建设%s。", pick(BEFORE, k),
                           k % 10 < 7 ? "设" : AFTER_JIAN[k / 10 * 3 + k % 10 - 7],
                           pick(AFTER, k + 3), pick(BEFORE, k + 6), pick(AFTER, k + 9));
    *n += (size_t)snprintf(buf + *n, size - *n, "%s第三世界%s%s，%s%s公共卫生服务%s。",
                           pick(BEFORE, k + 2), k % 4 ? "国家" : "", pick(AFTER, k + 5),
                           pick(BEFORE, k + 8), k % 4 ? "基本" : "", pick(AFTER, k + 11));
    *n += (size_t)snprintf(buf + *n, size - *n, "%s%s随机%s，%s%s%s。", pick(BEFORE, k + 4),
                           k % 4 ? "双" : "", pick(AFTER, k + 7), pick(BEFORE, k + 10),
                           k % 2 ? "各界国际友人" : "基本公共服务", pick(AFTER, k + 13));
    for (int r = 0; r < 16; r++)
        *n += (size_t)snprintf(buf + *n, size - *n, "%s%s，", pick(BEFORE, k + 3 * r + 1),
                               pick(AFTER, k + 5 * r + 2));
}

/* Coordinations of two generic words (issue 12): 改革和发展, a rare pairing of two words
 * that are everywhere (less than 3% of the uses of each), is no term; 和平与发展 and 积累和消费,
 * a usual context of 和平 and of 积累, stay terms, as does 农业和农村 (农村 is not generic). */
static void coordinations(char *buf, size_t size, size_t *n, int k)
{
    for (int r = 0; r < 3; r++)
        *n += (size_t)snprintf(buf + *n, size - *n, "%s改革%s，%s发展%s，%s消费%s。",
                               pick(BEFORE, k + r), pick(AFTER, k + 2 * r), pick(BEFORE, k + 5 + r),
                               pick(AFTER, k + 3 + r), pick(BEFORE, k + 9 + r),
                               pick(AFTER, k + 7 + r));
    if (k % 12 == 0)
        *n += (size_t)snprintf(buf + *n, size - *n, "%s改革和发展%s，", pick(BEFORE, k / 12),
                               pick(AFTER, k / 12 + 4));
    if (k % 6 == 0)
        *n += (size_t)snprintf(
            buf + *n, size - *n, "%s和平与发展%s，%s积累和消费%s，%s农业和农村%s。",
            pick(BEFORE, k / 6 + 1), pick(AFTER, k / 6 + 2), pick(BEFORE, k / 6 + 3),
            pick(AFTER, k / 6 + 7), pick(BEFORE, k / 6 + 9), pick(AFTER, k / 6 + 1));
    if (k % 6 == 3)
        *n += (size_t)snprintf(buf + *n, size - *n, "%s和平%s，%s积累%s，%s农业%s，%s农村%s。",
                               pick(BEFORE, k / 6 + 4), pick(AFTER, k / 6 + 5),
                               pick(BEFORE, k / 6 + 6), pick(AFTER, k / 6 + 8),
                               pick(BEFORE, k / 6 + 2), pick(AFTER, k / 6 + 9),
                               pick(BEFORE, k / 6 + 11), pick(AFTER, k / 6 + 13));
}

/* Open ordinals (issue 12): 人民代表大会 mostly followed by 第 and an ordinal that varies
 * (第一次会议, 第五届, 第三个报告 …) gives no term ending in 第 or 第 + numerals (人民代表大会第,
 * 人民代表大会第五); 人民代表大会 is the term, and 第一个五年计划, which begins with the
 * ordinal, stays one; the uses before 第 count for 人民代表大会. */
static void ordinals(char *buf, size_t size, size_t *n, int k)
{
    static const char *const ORDINAL[] = {"一", "二", "三", "四", "五", "六", "七", "八"};
    static const char *const MEETING[] = {"次会议", "届", "次全体会议", "个报告"};
    *n += (size_t)snprintf(buf + *n, size - *n, "%s人民代表大会第%s%s%s，", pick(BEFORE, k),
                           ORDINAL[k % 8], MEETING[k / 8 % 4], pick(AFTER, k + 3));
    if (k % 2 == 0)
        *n += (size_t)snprintf(buf + *n, size - *n, "%s人民代表大会%s，", pick(BEFORE, k + 5),
                               pick(AFTER, k + 7));
    *n += (size_t)snprintf(buf + *n, size - *n, "%s第一个五年计划%s。", pick(BEFORE, k + 9),
                           pick(AFTER, k + 11));
}

/* Prepositional phrases (issue 12): 同各国, 受疫情 and 是民族团结 — a preposition (同, 受) or
 * the copula before a word (各国, 疫情, 民族) with which it forms none — are never terms in the
 * counts (民族团结 occurs only after 是, so glued_edge's frequency test keeps 是民族团结), while
 * 各国 and 疫情 are; 受援国 and 占补平衡, whose preposition forms no word with the next character
 * but begins no phrase either (援国, 补平 are no words), stay terms. */
static void prepositions(char *buf, size_t size, size_t *n, int k)
{
    *n += (size_t)snprintf(buf + *n, size - *n, "%s同各国%s，%s受疫情%s，%s是民族团结%s，",
                           pick(BEFORE, k), pick(AFTER, k + 3), pick(BEFORE, k + 5),
                           pick(AFTER, k + 7), pick(BEFORE, k + 8), pick(AFTER, k + 12));
    if (k % 2 == 0)
        *n += (size_t)snprintf(buf + *n, size - *n, "%s各国%s，%s疫情%s，%s民族%s，",
                               pick(BEFORE, k + 9), pick(AFTER, k + 11), pick(BEFORE, k + 13),
                               pick(AFTER, k + 1), pick(BEFORE, k + 4), pick(AFTER, k + 10));
    *n += (size_t)snprintf(buf + *n, size - *n, "%s受援国%s，%s占补平衡%s。", pick(BEFORE, k + 2),
                           pick(AFTER, k + 6), pick(BEFORE, k + 10), pick(AFTER, k + 14));
}

static ct_corpus *corpus_of(sentence_fn fn, int docs, int per_doc)
{
    ct_read_options ro;
    ct_read_options_init(&ro);
    ct_corpus *c;
    if (ct_corpus_new(&c, &ro) != CT_OK)
        return NULL;
    for (int d = 0; d < docs; d++) {
        char buf[65536], id[16];
        size_t n = 0;
        for (int k = 0; k < per_doc; k++)
            fn(buf, sizeof buf, &n, d * per_doc + k);
        snprintf(id, sizeof id, "d%d", d);
        if (ct_corpus_add_text(c, id, id, buf, n, NULL) != CT_OK)
            return NULL;
    }
    return c;
}

static ct_terms *discover(ct_corpus *c, int max_len)
{
    ct_terms_options o;
    ct_terms_options_init(&o);
    if (max_len)
        o.max_len = max_len;
    ct_terms *t = NULL;
    ct_error err;
    ct_error_clear(&err);
    CHECK_INT(ct_terms_discover(&t, c, &o, &err), CT_OK);
    if (t && getenv("TERMS_PLANTED_DUMP")) {
        const ct_vocab *v = ct_matrix_vocab(ct_terms_counts(t));
        for (size_t i = 0; i < ct_vocab_size(v); i++) {
            ct_term_stats st;
            ct_terms_stats(t, (uint32_t)i, &st);
            fprintf(stderr, "%s\t%g\t%g\t%.2f\t%.2f\t%.2f\n", ct_vocab_term(v, (uint32_t)i),
                    st.count, st.tokens, st.cohesion, st.h_left, st.h_right);
        }
        fprintf(stderr, "--\n");
    }
    return t;
}

static int has(const ct_terms *t, const char *term)
{
    uint32_t x;
    return t && ct_vocab_find(ct_matrix_vocab(ct_terms_counts(t)), term, strlen(term), &x) == CT_OK;
}

/* No discovered term contains this string. */
static int none_contains(const ct_terms *t, const char *part)
{
    const ct_vocab *v = ct_matrix_vocab(ct_terms_counts(t));
    for (size_t i = 0; i < ct_vocab_size(v); i++)
        if (strstr(ct_vocab_term(v, (uint32_t)i), part)) {
            fprintf(stderr, "term %s contains %s\n", ct_vocab_term(v, (uint32_t)i), part);
            return 0;
        }
    return 1;
}

/* On a planted corpus of 4 documents × 6 sentences, with the default options: each of terms
 * is a term, and no term contains any of parts. */
static void expect(sentence_fn fn, const char *const *terms, const char *const *parts)
{
    ct_corpus *c = corpus_of(fn, 4, 6);
    CHECK(c != NULL);
    ct_terms *t = discover(c, 0);
    for (; *terms; terms++) {
        if (!has(t, *terms))
            fprintf(stderr, "%s is not a term\n", *terms);
        CHECK(has(t, *terms));
    }
    for (; *parts; parts++)
        CHECK(none_contains(t, *parts));
    ct_terms_free(t);
    ct_corpus_free(c);
}

int main(void)
{
    ct_corpus *c = corpus_of(quoted, 4, 6);
    CHECK(c != NULL);
    ct_terms *t = discover(c, 0);
    CHECK(has(t, "三个代表"));
    CHECK(!has(t, "重要思想"));
    CHECK(has(t, "左倾错误"));
    CHECK(!has(t, "倾错误"));
    ct_terms_free(t);
    ct_corpus_free(c);

    static const char *const NUMBER_TERMS[] = {"国家决算", "建设项目", "十三五", NULL};
    static const char *const NUMBER_PARTS[] = {"年国家", "个建设", "一九",   "〇",
                                               "四年",   "从二",   "五十六", NULL};
    expect(numbers, NUMBER_TERMS, NUMBER_PARTS);

    c = corpus_of(edges, 4, 8);
    CHECK(c != NULL);
    t = discover(c, 0);
    CHECK(has(t, "文化体制改革"));
    CHECK(!has(t, "文化体制改革和"));
    CHECK(none_contains(t, "和社区"));
    CHECK(has(t, "县乡财政管理体制"));
    CHECK(none_contains(t, "和县"));
    CHECK(!has(t, "逐步地"));
    CHECK(!has(t, "适当地"));
    CHECK(has(t, "和平共处"));
    CHECK(has(t, "对外开放"));
    CHECK(has(t, "老工业基地"));
    ct_terms_free(t);
    ct_corpus_free(c);

    c = corpus_of(cut_words, 4, 8);
    CHECK(c != NULL);
    t = discover(c, 0);
    CHECK(has(t, "私营工商业"));
    CHECK(!has(t, "私营工"));
    ct_terms_free(t);
    ct_corpus_free(c);

    static const char *const LEFT_TERMS[] = {"培训", "农业总产值", "工农业总产值", NULL};
    static const char *const LEFT_PARTS[] = {"业培训", NULL};
    expect(left_cut, LEFT_TERMS, LEFT_PARTS);

    c = corpus_of(one_string, 4, 10);
    CHECK(c != NULL);
    t = discover(c, 0);
    CHECK(!has(t, "我国建"));
    CHECK(has(t, "我国建设"));
    CHECK(!has(t, "随机"));
    CHECK(has(t, "双随机"));
    CHECK(has(t, "建设"));
    CHECK(has(t, "第三世界"));
    CHECK(has(t, "公共卫生服务"));
    ct_terms_free(t);
    ct_corpus_free(c);

    c = corpus_of(coordinations, 4, 12);
    CHECK(c != NULL);
    {
        ct_terms_options oc2;
        ct_terms_options_init(&oc2);
        const char *words[] = {"改革", "发展", "和平", "积累", "消费", "农业"};
        ct_stopwords *gw = NULL;
        CHECK_INT(ct_stopwords_from_array(&gw, words, 6, oc2.flags), CT_OK);
        oc2.generic = gw;
        ct_error e2;
        CHECK_INT(ct_terms_discover(&t, c, &oc2, &e2), CT_OK);
        CHECK(!has(t, "改革和发展"));
        CHECK(has(t, "和平与发展"));
        CHECK(has(t, "积累和消费"));
        CHECK(has(t, "农业和农村"));
        ct_terms_free(t);
        ct_stopwords_free(gw);
    }
    ct_corpus_free(c);

    c = corpus_of(conjunctions, 4, 6);
    CHECK(c != NULL);
    t = discover(c, 0);
    CHECK(has(t, "再就业"));
    CHECK(has(t, "就业"));
    CHECK(!has(t, "再就业和"));
    ct_terms_free(t);
    /* Discovery rejects it by itself, not only the segmentation's function-unit rule. */
    ct_terms_options oc;
    ct_terms_options_init(&oc);
    oc.affix_share = 2;
    ct_error ec;
    CHECK_INT(ct_terms_discover(&t, c, &oc, &ec), CT_OK);
    CHECK(has(t, "再就业"));
    CHECK(!has(t, "再就业和"));
    ct_terms_free(t);
    ct_corpus_free(c);

    static const char *const LOOSE_TERMS[] = {"各项社会事业", "和谐社会", NULL};
    static const char *const LOOSE_PARTS[] = {"和各项", NULL};
    expect(loose_pairs, LOOSE_TERMS, LOOSE_PARTS);

    static const char *const PRONOUN_TERMS[] = {"政府工作", "党中央", NULL};
    static const char *const PRONOUN_PARTS[] = {"他说", "我们讲", "它们",   "哪里", "为着",
                                                "周围", "有人",   "战线上", NULL};
    expect(pronouns, PRONOUN_TERMS, PRONOUN_PARTS);

    c = corpus_of(spans, 4, 8);
    CHECK(c != NULL);
    t = discover(c, 0);
    CHECK(has(t, "五年计划"));
    CHECK(has(t, "十五年"));
    CHECK(none_contains(t, "年来"));
    CHECK(none_contains(t, "年内"));
    CHECK(none_contains(t, "月来"));
    CHECK(none_contains(t, "年的"));
    ct_terms_free(t);
    ct_corpus_free(c);

    c = corpus_of(ordinals, 4, 8);
    CHECK(c != NULL);
    t = discover(c, 0);
    CHECK(has(t, "人民代表大会"));
    CHECK(has(t, "第一个五年计划"));
    CHECK(none_contains(t, "大会第"));
    {
        /* Every use of 人民代表大会 counts, those before 第 too (48 in all). */
        uint32_t x = 0;
        ct_term_stats st = {0};
        if (ct_vocab_find(ct_matrix_vocab(ct_terms_counts(t)), "人民代表大会",
                          strlen("人民代表大会"), &x) == CT_OK)
            ct_terms_stats(t, x, &st);
        CHECK(st.tokens == 48);
    }
    ct_terms_free(t);
    ct_corpus_free(c);

    static const char *const PREPOSITION_TERMS[] = {"各国",   "疫情",     "民族",
                                                    "受援国", "占补平衡", NULL};
    static const char *const PREPOSITION_PARTS[] = {"同各", "受疫", "是民", NULL};
    expect(prepositions, PREPOSITION_TERMS, PREPOSITION_PARTS);

    c = corpus_of(times, 4, 21);
    CHECK(c != NULL);
    t = discover(c, 0);
    CHECK(has(t, "十五"));
    CHECK(has(t, "八五"));
    CHECK(has(t, "过去五年"));
    static const char *const TIME_PARTS[] = {"四十", "三十", "今后", "本年",
                                             "累计", "新十", "递增", "年代"};
    for (size_t i = 0; i < sizeof TIME_PARTS / sizeof *TIME_PARTS; i++)
        CHECK(none_contains(t, TIME_PARTS[i]));
    ct_terms_free(t);
    ct_corpus_free(c);

    /* The shipped generic list: common verbs and adverbs, not the themes made of verbs —
     * nor the policy compounds of two verbs its optional part (4) would add (节能减排,
     * 自主创新: tools/make-generic-words.py), nor the verbs the reports use as nouns (就业,
     * 预算, 选举). */
    const char *gpath = ct_terms_generic_default_path();
    if (gpath) {
        ct_stopwords *gl = NULL;
        ct_error gerr;
        ct_error_clear(&gerr);
        CHECK_INT(ct_stopwords_load(&gl, gpath, CT_NORM_NFKC | CT_NORM_CASEFOLD, &gerr), CT_OK);
        static const char *GENERIC[] = {"强化", "打造", "深入", "推进", "进一步"};
        static const char *THEMES[] = {"改革开放", "扶贫",     "脱贫攻坚", "去产能", "精准扶贫",
                                       "节能减排", "自主创新", "就业",     "预算",   "选举"};
        for (size_t i = 0; gl && i < sizeof GENERIC / sizeof *GENERIC; i++)
            CHECK(ct_stopwords_contains(gl, GENERIC[i], strlen(GENERIC[i])));
        for (size_t i = 0; gl && i < sizeof THEMES / sizeof *THEMES; i++)
            CHECK(!ct_stopwords_contains(gl, THEMES[i], strlen(THEMES[i])));
        ct_stopwords_free(gl);
    }

    static const char *const CLAUSE_TERMS[] = {"整顿", "矛盾", "更加积极的财政政策", NULL};
    static const char *const CLAUSE_PARTS[] = {"整顿好", "日益", NULL};
    expect(clauses, CLAUSE_TERMS, CLAUSE_PARTS);

    c = corpus_of(frames, 4, 6);
    CHECK(c != NULL);
    {
        ct_terms_options of;
        ct_terms_options_init(&of);
        const char *verbs[] = {"增长", "增加"};
        ct_stopwords *gv = NULL;
        CHECK_INT(ct_stopwords_from_array(&gv, verbs, 2, of.flags), CT_OK);
        of.generic = gv;
        ct_error ef;
        CHECK_INT(ct_terms_discover(&t, c, &of, &ef), CT_OK);
        CHECK(none_contains(t, "年均"));
        CHECK(none_contains(t, "去年增加"));
        CHECK(has(t, "特别国债"));
        ct_terms_free(t);
        ct_stopwords_free(gv);
    }
    ct_corpus_free(c);

    c = corpus_of(slogans, 4, 6);
    CHECK(c != NULL);
    t = discover(c, 0);
    /* Twelve characters, the default longest term (以 before it is a word boundary). */
    CHECK(has(t, "习近平同志为核心的党中央"));
    CHECK(has(t, "新时代"));
    CHECK(has(t, "供给侧结构性改革"));
    CHECK(!has(t, "推进供给侧结构性改革"));
    CHECK(has(t, "大众创业"));
    CHECK(none_contains(t, "推动大众创业"));
    CHECK(!has(t, "新时代中国特色社"));
    ct_terms_free(t);
    /* Sixteen characters with --max-len 16; its beginning 新时代 is still a term. */
    t = discover(c, 16);
    CHECK(has(t, "习近平新时代中国特色社会主义思想"));
    CHECK(has(t, "新时代"));
    CHECK(has(t, "以习近平同志为核心的党中央"));
    CHECK(none_contains(t, "推动大众创业"));
    ct_terms_free(t);
    /* A generic word (the shipped list's role) is never a term; the others stay. */
    ct_terms_options o;
    ct_terms_options_init(&o);
    const char *generic[] = {"大众创业"};
    ct_stopwords *g = NULL;
    CHECK_INT(ct_stopwords_from_array(&g, generic, 1, o.flags), CT_OK);
    o.generic = g;
    ct_error err;
    CHECK_INT(ct_terms_discover(&t, c, &o, &err), CT_OK);
    CHECK(!has(t, "大众创业"));
    CHECK(has(t, "供给侧结构性改革"));
    ct_terms_free(t);
    ct_stopwords_free(g);
    CHECK(ct_terms_generic_default_path() == NULL ||
          strstr(ct_terms_generic_default_path(), "generic-zh.txt") != NULL);
    ct_corpus_free(c);
    return check_finish();
}
