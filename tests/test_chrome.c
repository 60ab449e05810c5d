/* test_chrome.c — finding and blanking scraped page chrome (comptext/chrome.h).
 *
 * First the rules one by one on small lines and documents (which rule fires, and that
 * numbered headings and prose are protected), the footer rule on small corpora at its
 * thresholds, the blanking (bytes and code points keep their offsets), and the corpus
 * (chrome removed by default, the per-document counts, the removed lines). Then the real
 * texts, skipped (exit 77, with a message) when ../shared is absent:
 *  - the seed as scraped: the lines blanked are exactly the chrome lines listed in
 *    tests/cases/chrome-seed/lines.txt (classified by reading the seed), every body line
 *    there is kept byte for byte, and the kept text is corpora/cities/taizhou-2009.txt;
 *  - the shipped default corpus: no line is blanked;
 *  - ../shared/corpora: every blanked line is a footer, menu or timestamp line; a blanked
 *    line that is prose (sentence punctuation inside a long Han run) is one of the licence
 *    footer, which the issue asks to remove — checked on its own by position: in
 *    gov-work-reports.jsonl, every blanked line comes at or after the line where the
 *    Wikisource licence starts (the first holding 本作品), and the licence is removed. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "comptext.h"

static const char *source_dir(void)
{
    const char *s = getenv("COMPTEXT_SOURCE");
    return s && *s ? s : ".";
}

static char phrases_path[1024];

static ct_chrome *new_chrome(const char *phrases)
{
    ct_chrome *c = NULL;
    int rc = ct_chrome_new(&c, phrases);
    CHECK_INT(rc, CT_OK);
    if (rc != CT_OK)
        exit(1);
    return c;
}

static size_t cps(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += ((unsigned char)s[i] & 0xC0) != 0x80;
    return k;
}

/* Is the text's line blank after stripping: only the blanks chrome.c writes. */
static int blank_line(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        if (s[i] == ' ')
            i++;
        else if (n - i >= 2 && memcmp(s + i, "\xC2\xA0", 2) == 0)
            i += 2;
        else if (n - i >= 3 && memcmp(s + i, "\xE3\x80\x80", 3) == 0)
            i += 3;
        else if (n - i >= 4 && memcmp(s + i, "\xF3\xA0\x80\xA0", 4) == 0)
            i += 4;
        else
            return 0;
    }
    return 1;
}

/* Strip text (a copy) with c; returns the kept non-blank lines joined by '|', and checks
 * that bytes, code points and newlines are where they were. */
static const char *kept(const ct_chrome *c, const char *text)
{
    static char out[8192];
    size_t len = strlen(text);
    char *buf = malloc(len + 1);
    memcpy(buf, text, len + 1);
    size_t lines = 0, chars = 0;
    CHECK_INT(ct_chrome_strip(c, buf, len, &lines, &chars), CT_OK);
    CHECK_INT(strlen(buf), len);
    CHECK_INT(cps(buf, len), cps(text, len));
    for (size_t i = 0; i < len; i++)
        if ((text[i] == '\n') != (buf[i] == '\n')) {
            CHECK(!"a newline moved");
            break;
        }
    out[0] = '\0';
    for (char *line = buf; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        if (!blank_line(line, strlen(line))) {
            size_t used = strlen(out);
            snprintf(out + used, sizeof out - used, "%s%s", used ? "|" : "", line);
        }
        line = nl ? nl + 1 : NULL;
    }
    free(buf);
    return out;
}

static const char *rule_of(const ct_chrome *c, const char *line)
{
    return ct_chrome_rule_name(ct_chrome_line_rule(c, line, strlen(line)));
}

static void single_lines(void)
{
    ct_chrome *c = new_chrome(phrases_path);
    /* counters: a bullet and a number, or a number with a counter's unit */
    CHECK_STR(rule_of(c, "- 25"), "counter");
    CHECK_STR(rule_of(c, "- 0"), "counter");
    CHECK_STR(rule_of(c, "- 约1.03万字"), "counter");
    CHECK_STR(rule_of(c, "- 约 8页"), "counter");
    CHECK_STR(rule_of(c, "共8页"), "counter");
    CHECK_STR(rule_of(c, "1372次阅读"), "counter");
    CHECK_STR(rule_of(c, "Page 1 of 8"), "counter");
    CHECK_STR(rule_of(c, "第 1 页 / 共 8 页"), "counter");
    CHECK_STR(rule_of(c, "2.5"), "keep"); /* PM / 2.5 / ）: a fragment of the text */
    CHECK_STR(rule_of(c, "2"), "keep");
    CHECK_STR(rule_of(c, "李克强"), "keep");
    CHECK_STR(rule_of(c, "正式明确"), "keep");
    CHECK_STR(rule_of(c, "社区建设"), "keep"); /* a short heading */
    /* timestamps, whatever their separators */
    CHECK_STR(rule_of(c, "2009-12-25 15:08:00"), "timestamp");
    CHECK_STR(rule_of(c, "2009年12月25日 15时08分"), "timestamp");
    CHECK_STR(rule_of(c, "2009/12/25"), "timestamp");
    CHECK_STR(rule_of(c, "2009.12.25 15：08"), "timestamp");
    CHECK_STR(rule_of(c, "- 2017-03-04 发布于河北"), "timestamp");
    CHECK_STR(rule_of(c, "更新日期 2021年3月5日"), "timestamp");
    CHECK_STR(rule_of(c, "2009-12-25 15:08 泰州市发展和改革委员会"), "timestamp");
    CHECK_STR(rule_of(c, "（2021年3月11日第十三届全国人民代表大会第四次会议通过）"), "keep");
    CHECK_STR(rule_of(c, "2009年12月25日，市委召开全市社区建设工作会议。"), "keep");
    CHECK_STR(rule_of(c, "2023年工作回顾"), "keep"); /* a year is no date */
    /* menus */
    CHECK_STR(rule_of(c, "首页 新闻中心 政务公开 办事服务 互动交流"), "menu");
    CHECK_STR(rule_of(c, "首页 > 政务公开 > 规划计划"), "menu");
    CHECK_STR(rule_of(c, "首页 | 概况 | 新闻"), "menu");
    CHECK_STR(rule_of(c, "社区 建设 服务 管理"), "menu");
    CHECK_STR(rule_of(c, "李　强"), "keep");              /* a name with a space in it */
    CHECK_STR(rule_of(c, "首页 新闻 政务"), "keep");      /* three items and spaces: too little */
    CHECK_STR(rule_of(c, "2019 2020 2021 2022"), "keep"); /* numbers are no menu items */
    /* files, whatever else the line holds */
    CHECK_STR(rule_of(c, "- 民法总论课件.ppt VIP"), "file");
    CHECK_STR(rule_of(c, "- 降低患者胃肠减压管非计划拔管率品管圈.pdf"), "file");
    CHECK_STR(
        rule_of(c, "2026年党支部班子在对照加强理论武装、做好群众工作等检查材料2份稿.docx VIP"),
        "file");
    CHECK_STR(rule_of(c, "全市社区工作总结汇编及经验材料.DOCX"), "file");
    CHECK_STR(rule_of(c, "全市社区工作总结汇编及经验材料.wps"), "file");
    CHECK_STR(rule_of(c, "会议讨论了.doc格式的文件如何存档，并形成决定。"), "keep");
    CHECK_STR(rule_of(c, "全市社区工作总结汇编及经验材料docx"), "keep");
    /* a bare web address: a browser's footer on each page of a saved PDF, a link line */
    CHECK_STR(rule_of(c, "file:///tmp/pdfx/r.html"), "file");
    CHECK_STR(rule_of(c, "https://www.gov.cn/zhengce/content/2026-01/05/content_1.htm"), "file");
    CHECK_STR(rule_of(c, "  www.example.gov.cn/xxgk/  "), "file");
    CHECK_STR(rule_of(c, "http://x.cn/关于做好社区工作的通知"), "file");
    CHECK_STR(rule_of(c, "详见https://www.gov.cn/zhengce，欢迎查阅。"), "keep"); /* in a sentence */
    CHECK_STR(rule_of(c, "网址 https://www.gov.cn/zhengce"), "keep"); /* a label with it */
    CHECK_STR(rule_of(c, "://"), "keep");
    CHECK_STR(rule_of(c, "3://x"), "keep");  /* a scheme begins with a letter */
    CHECK_STR(rule_of(c, "www.cn"), "keep"); /* no dot after www. */
    /* phrases */
    CHECK_STR(rule_of(c, "发布时间: 2009-12-25 15:08:00 来源: 泰州市发展和改革委员会"), "phrase");
    CHECK_STR(rule_of(c, "【 字体:大 中 小 】 本文被阅读次数: 1372 【 打印PRINT 】"), "phrase");
    CHECK_STR(rule_of(c, "您可能关注的文档"), "phrase");
    CHECK_STR(rule_of(c, "上一篇：关于加强社区居家养老服务工作的通知"), "phrase");
    CHECK_STR(rule_of(c, "- 举报"), "phrase");
    CHECK_STR(rule_of(c, "举报"), "phrase");
    CHECK_STR(rule_of(c, "畅通举报渠道"), "keep"); /* a whole-line phrase only alone */
    CHECK_STR(rule_of(c, "文档评论(0)"), "phrase");
    CHECK_STR(rule_of(c, "本站每条信息都标明发布时间，方便群众查阅。"), "keep");
    CHECK_STR(rule_of(c, "居民反映问题后，上一篇报道已经说明情况！"), "keep");
    /* protected: numbered headings and prose, from every rule but files */
    CHECK_STR(rule_of(c, "二、主要做法"), "keep");
    CHECK_STR(rule_of(c, "三、存在的问题"), "keep");
    CHECK_STR(rule_of(c, "（一）以社区服务为平台"), "keep");
    CHECK_STR(rule_of(c, "(2) 发布时间与来源的规范"), "keep");
    CHECK_STR(rule_of(c, "1. 首页 新闻 政务 服务"), "keep");
    CHECK_STR(rule_of(c, "第三章 发布时间"), "keep");
    CHECK_STR(rule_of(c, "①网站地图的建设"), "keep");
    CHECK(ct_chrome_line_is_protected("二、主要做法", strlen("二、主要做法")));
    CHECK(ct_chrome_line_is_protected("1、健全便民利民服务网络。",
                                      strlen("1、健全便民利民服务网络。")));
    CHECK(!ct_chrome_line_is_protected("2.5", 3));
    CHECK(!ct_chrome_line_is_protected("问题：对策", strlen("问题：对策")));
    const char *prose = "关于网站地图和当前位置栏目的建设，市里作了部署";
    CHECK(ct_chrome_line_is_protected(prose, strlen(prose)));
    CHECK_STR(rule_of(c, prose), "keep"); /* the phrases 网站地图, 当前位置 inside prose */
    CHECK_STR(rule_of(c, "发布时间：由各社区自行确定，并报街道备案"), "keep");
    CHECK_STR(rule_of(c, ""), "keep");
    CHECK_STR(rule_of(c, "   "), "keep");
    CHECK(!ct_chrome_line_is_chrome(c, "泰州市城乡和谐社区建设调研情况报告",
                                    strlen("泰州市城乡和谐社区建设调研情况报告")));
    ct_chrome_free(c);

    /* The phrase list is the one given: with another list the same line stays. */
    char empty[] = "/tmp/ct-test-chrome-XXXXXX";
    int fd = mkstemp(empty);
    CHECK(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs("# only a comment\n\n自定义短语\n=整行短语\n", f);
    fclose(f);
    ct_chrome *e = new_chrome(empty);
    CHECK_STR(rule_of(e, "上一篇：关于加强社区居家养老服务工作的通知"), "keep");
    CHECK_STR(rule_of(e, "这一行有自定义短语没有句末标点"), "phrase");
    CHECK_STR(rule_of(e, "这一行有自定义短语，也有句末标点。"), "keep");
    CHECK_STR(rule_of(e, "整行短语"), "phrase");
    CHECK_STR(rule_of(e, "这里有整行短语"), "keep");
    ct_chrome_free(e);
    remove(empty);
    ct_chrome *x;
    CHECK_INT(ct_chrome_new(&x, "/nonexistent/chrome-phrases.txt"), CT_EIO);
    CHECK(x == NULL);
    ct_chrome_free(NULL);
    CHECK_STR(ct_chrome_rule_name(CT_CHROME_FOOTER), "footer");
    CHECK_STR(ct_chrome_rule_name((ct_chrome_rule)99), "?");
}

/* Observe n documents docs[i] and strip docs[0]: its kept lines. */
static const char *kept_in_corpus(const char *const *docs, size_t n)
{
    ct_chrome *c = new_chrome(phrases_path);
    for (size_t i = 0; i < n; i++)
        CHECK_INT(ct_chrome_observe(c, docs[i], strlen(docs[i])), CT_OK);
    ct_chrome_finish(c, n);
    const char *k = kept(c, docs[0]);
    ct_chrome_free(c);
    return k;
}

#define FOOT                                                                                                                       \
    "本作品是中华人民共和国的\n法律\n、\n法规\n，依据著作权法第五条，属于公有领域。\n\nPublic " \
    "domain\n"

/* Documents with a two-line footer in `with` of n; document 0 always has it. */
static const char *footer_case(size_t n, size_t with)
{
    static char docs[16][512];
    const char *p[16];
    for (size_t i = 0; i < n; i++) {
        snprintf(docs[i], sizeof docs[i], "第%zu号报告的正文，讲的是社区服务。\n%s", i,
                 i < with ? FOOT : "本报告没有脚注，只有正文内容。\n");
        p[i] = docs[i];
    }
    return kept_in_corpus(p, n);
}

static void footers(void)
{
    const char *body = "第0号报告的正文，讲的是社区服务。";
    /* in at least 3 documents and at least half of them */
    CHECK_STR(footer_case(2, 2), "第0号报告的正文，讲的是社区服务。|本作品是中华人民共和国的|"
                                 "法律|、|法规|，依据著作权法第五条，属于公有领域。|Public domain");
    CHECK_STR(footer_case(3, 3), body);
    CHECK(strcmp(footer_case(3, 2), body) != 0);
    CHECK(strcmp(footer_case(4, 2), body) != 0); /* half, but fewer than 3 */
    CHECK_STR(footer_case(4, 3), body);
    CHECK_STR(footer_case(6, 3), body);          /* exactly half */
    CHECK(strcmp(footer_case(7, 3), body) != 0); /* 3 < 3.5 */
    CHECK_STR(footer_case(7, 4), body);
    CHECK_STR(footer_case(10, 10), body);

    /* Lines in 3 documents join a block that has one line in half of them. */
    {
        const char *d[] = {"甲文正文，讲社区养老。\n本决议来自全国人大，依据著作权法。\n" FOOT,
                           "乙文正文，讲网格管理。\n本决议来自全国人大，依据著作权法。\n" FOOT,
                           "丙文正文，讲志愿服务。\n本决议来自全国人大，依据著作权法。\n" FOOT,
                           "丁文正文，讲流动人口。\n" FOOT,
                           "戊文正文，讲农村社区。\n" FOOT,
                           "己文正文。\n",
                           "庚文正文。\n"};
        CHECK_STR(kept_in_corpus(d, 7), "甲文正文，讲社区养老。");
    }
    /* Not at an edge: a line repeated in every document in the middle stays (二、主要做法 in
     * four reports is a heading, and so is any other repeated line inside the text). */
    {
        const char *d[] = {
            "甲文正文，讲社区养老。\n二、主要做法\n主要做法\n甲文第二段，讲做法。\n",
            "乙文正文，讲网格管理。\n二、主要做法\n主要做法\n乙文第二段，讲做法。\n",
            "丙文正文，讲志愿服务。\n二、主要做法\n主要做法\n丙文第二段，讲做法。\n",
            "丁文正文，讲流动人口。\n二、主要做法\n主要做法\n丁文第二段，讲做法。\n"};
        CHECK_STR(kept_in_corpus(d, 4),
                  "甲文正文，讲社区养老。|二、主要做法|主要做法|甲文第二段，讲做法。");
    }
    /* A repeated numbered heading at the end stays too; so does a one-line footer of prose
     * (特此报告。) and a one-line header (各位代表：). */
    {
        const char *d[] = {"各位代表：\n甲文正文，讲社区养老。\n四、下一步打算\n特此报告。\n",
                           "各位代表：\n乙文正文，讲网格管理。\n四、下一步打算\n特此报告。\n",
                           "各位代表：\n丙文正文，讲志愿服务。\n四、下一步打算\n特此报告。\n"};
        CHECK_STR(kept_in_corpus(d, 3),
                  "各位代表：|甲文正文，讲社区养老。|四、下一步打算|特此报告。");
        const char *e[] = {"各位代表：\n甲文正文，讲社区养老。\n本文完\n",
                           "各位代表：\n乙文正文，讲网格管理。\n本文完\n",
                           "各位代表：\n丙文正文，讲志愿服务。\n本文完\n"};
        CHECK_STR(kept_in_corpus(e, 3), "各位代表：|甲文正文，讲社区养老。"); /* 本文完: no prose */
    }
    /* A header block of two lines without punctuation (a site's banner) goes. */
    {
        const char *d[] = {"某某市人民政府门户网站\n政务公开 专栏\n甲文正文，讲社区养老。\n",
                           "某某市人民政府门户网站\n政务公开 专栏\n乙文正文，讲网格管理。\n",
                           "某某市人民政府门户网站\n政务公开 专栏\n丙文正文，讲志愿服务。\n"};
        CHECK_STR(kept_in_corpus(d, 3), "甲文正文，讲社区养老。");
    }
    /* Lines are compared with surrounding spaces (ASCII and U+3000) trimmed, and a line counts
     * once a document however often it occurs in it. */
    {
        const char *d[] = {"甲文正文，讲社区养老。\n版权声明一行\n版权声明一行\n本页结束一行\n",
                           "乙文正文。\n\u3000版权声明一行 \n本页结束一行\n", "丙文正文。\n",
                           "丁文正文。\n"};
        /* in 2 of 4: below 3; 版权声明一行 repeated in d0 is a repeat, the last line stays */
        CHECK_STR(kept_in_corpus(d, 4), "甲文正文，讲社区养老。|版权声明一行|本页结束一行");
    }
}

static void repeats(void)
{
    ct_chrome *c = new_chrome(phrases_path);
    /* the title twice, adjacent or not, at the start */
    CHECK_STR(kept(c, "泰州市城乡和谐社区建设调研情况报告\n\n  泰州市城乡和谐社区建设调研情况报告\n"
                      "正文，讲社区。\n"),
              "泰州市城乡和谐社区建设调研情况报告|正文，讲社区。");
    CHECK_STR(kept(c,
                   "泰州市城乡和谐社区建设调研情况报告\n- 25\n泰州市城乡和谐社区建设调研情况报告\n"
                   "正文，讲社区。\n"),
              "泰州市城乡和谐社区建设调研情况报告|正文，讲社区。");
    /* prose repeated, and a salutation, stay */
    CHECK_STR(kept(c, "社区服务是社区建设的关键。\n社区服务是社区建设的关键。\n下一句话，不同。"),
              "社区服务是社区建设的关键。|社区服务是社区建设的关键。|下一句话，不同。");
    CHECK_STR(kept(c, "各位代表！\n第一段，讲过去。\n各位代表！\n第二段，讲今后。"),
              "各位代表！|第一段，讲过去。|各位代表！|第二段，讲今后。");
    /* running heads: the title a printer puts on each page beside the date or the page
     * number goes (past the first CT_CHROME_HEAD_LINES lines, where repeats are titles
     * anyway), but for a first copy at the start (the document's title) */
    static const char *const page_marks[][2] = {
        {"12/3/26, 7:29 AM\n城市社区建设报告\n", "file:///tmp/r.html\n%d/3\n"}, /* Chromium */
        {"城市社区建设报告\n", "第 %d 页\n"}};                                  /* Word */
    for (int style = 0; style < 2; style++) {
        char doc[8192] = "", want[8192] = "城市社区建设报告", mark[64];
        for (int page = 1; page <= 3; page++) {
            strcat(doc, page_marks[style][0]);
            for (int i = 0; i < CT_CHROME_HEAD_LINES; i++) {
                char line[128];
                snprintf(line, sizeof line, "第%d页第%d段正文，讲社区。", page, i);
                strcat(doc, line);
                strcat(doc, "\n");
                strcat(want, "|");
                strcat(want, line);
            }
            snprintf(mark, sizeof mark, page_marks[style][1], page);
            strcat(doc, mark);
        }
        CHECK_STR(kept(c, doc), want);
    }
    /* a date the text gives once (a chronicle's entries) or twice (two signatures) is no
     * print stamp: the lines beside it stay, however often they recur */
    {
        char doc[8192] = "";
        for (int i = 0; i < 12; i++) {
            char entry[256];
            snprintf(entry, sizeof entry, "2023年%d月%d日\n%s\n第%d条记事正文，讲社区。\n", i + 1,
                     i + 5, i % 2 ? "市政府召开常务会议" : "全市营商环境大会召开", i);
            strcat(doc, entry);
        }
        const char *k = kept(c, doc);
        size_t n_kept = 0;
        for (const char *p = k; (p = strstr(p, "全市营商环境大会召开")) != NULL; p++)
            n_kept++;
        CHECK(n_kept == 4); /* 2 of its 6 go as repeats near the top; past them, none */
        char notice[8192] = "关于印发两个实施方案的通知\n";
        for (int a = 1; a <= 2; a++) {
            for (int i = 0; i < CT_CHROME_HEAD_LINES; i++) {
                char line[128];
                snprintf(line, sizeof line, "附件%d第%d段正文，讲社区。\n", a, i);
                strcat(notice, line);
            }
            strcat(notice, "某市人民政府办公室\n2023年3月5日\n");
        }
        k = kept(c, notice);
        CHECK(strstr(k, "某市人民政府办公室") != NULL &&
              strstr(strstr(k, "某市人民政府办公室") + 1, "某市人民政府办公室") != NULL);
    }
    /* a line beside a margin mark once only is text */
    char heads[4096] = "小结\n第一段正文，讲社区。\n";
    for (int i = 0; i < 20; i++)
        strcat(heads, "又一段正文，内容不同。\n");
    strcat(heads, "第 1 页\n小结\n第二段正文，讲服务。\n");
    CHECK(strstr(kept(c, heads), "页|") == NULL && strstr(kept(c, heads), "|小结|") != NULL);
    /* far from the start, a repeat that is not adjacent stays */
    char buf[4096] = "";
    strcat(buf, "结束语\n");
    for (int i = 0; i < 20; i++)
        strcat(buf, "又一段正文，内容不同。\n");
    strcat(buf, "结束语\n");
    const char *k = kept(c, buf);
    CHECK(strncmp(k, "结束语|", strlen("结束语|")) == 0);
    CHECK(strlen(k) > 9 && strcmp(k + strlen(k) - 9, "结束语") == 0);
    ct_chrome_free(c);
}

static void blanking(void)
{
    /* Every code point becomes one blank of its length: é (2 bytes), 举 (3), 𠀀 (4). */
    char text[] = "正文，讲社区。\n- é举𠀀 发布时间\n正文。";
    char copy[sizeof text];
    memcpy(copy, text, sizeof text);
    size_t off = strlen("正文，讲社区。\n");
    size_t len = strlen("- é举𠀀 发布时间");
    ct_chrome_hit hit = {
        .line = 2, .offset = off, .length = len, .chars = 10, .rule = CT_CHROME_PHRASE};
    ct_chrome_blank(copy, strlen(copy), &hit, 1);
    CHECK_INT(memcmp(copy, text, off), 0);
    CHECK(memcmp(copy + off,
                 "  \xC2\xA0\xE3\x80\x80\xF3\xA0\x80\xA0 "
                 "\xE3\x80\x80\xE3\x80\x80\xE3\x80\x80\xE3\x80\x80",
                 len) == 0);
    CHECK_STR(copy + off + len, "\n正文。");
    /* find gives line numbers, offsets and code points */
    ct_chrome *c = new_chrome(phrases_path);
    ct_chrome_hit *hits;
    size_t n;
    CHECK_INT(ct_chrome_find(c, text, strlen(text), &hits, &n), CT_OK);
    CHECK_INT(n, 1);
    if (n == 1) {
        CHECK_INT(hits[0].line, 2);
        CHECK_INT(hits[0].offset, off);
        CHECK_INT(hits[0].length, len);
        CHECK_INT(hits[0].chars, 10);
    }
    ct_free(hits);
    CHECK_INT(ct_chrome_find(c, "正文。", strlen("正文。"), &hits, &n), CT_OK);
    CHECK(n == 0 && hits == NULL);
    ct_chrome_free(c);
}

static void through_corpus(void)
{
    /* Chrome is removed by default; clearing the flag keeps it. */
    for (int strip = 0; strip <= 1; strip++) {
        ct_read_options o;
        ct_read_options_init(&o);
        CHECK(o.flags & CT_READ_STRIP_CHROME);
        if (!strip)
            o.flags &= ~(unsigned)CT_READ_STRIP_CHROME;
        ct_corpus *corpus;
        ct_error err;
        CHECK_INT(ct_corpus_new(&corpus, &o), CT_OK);
        const char *texts[] = {
            "甲文正文，讲社区养老。\n- 举报\n某某市社区网\n联系电话 12345\n",
            "乙文正文，讲网格管理。\n某某市社区网\n联系电话 12345\n",
            "丙文正文，讲志愿服务。\n某某市社区网\n联系电话 12345\n",
        };
        for (int i = 0; i < 3; i++) {
            char id[8];
            snprintf(id, sizeof id, "d%d", i);
            CHECK_INT(ct_corpus_add_text(corpus, id, NULL, texts[i], strlen(texts[i]), &err),
                      CT_OK);
        }
        size_t lines = 9, chars = 9;
        CHECK_INT(ct_corpus_chrome_removed(corpus, 0, &lines, &chars, &err),
                  CT_OK); /* before a read */
        CHECK_INT(lines, strip ? 3 : 0);
        const char *removed = "- 举报某某市社区网联系电话 12345";
        CHECK_INT(chars, strip ? cps(removed, strlen(removed)) : 0);
        char *t = NULL;
        size_t len;
        CHECK_INT(ct_corpus_read_text(corpus, 0, &t, &len, &err), CT_OK);
        CHECK_INT(len, strlen(texts[0]));
        if (strip)
            CHECK(t && strstr(t, "甲文正文，讲社区养老。") && !strstr(t, "社区网") &&
                  !strstr(t, "举报"));
        else
            CHECK_STR(t, texts[0]);
        ct_free(t);
        ct_chrome_hit *hits;
        size_t n;
        CHECK_INT(ct_corpus_chrome_find(corpus, 1, &t, &len, &hits, &n, &err), CT_OK);
        CHECK_STR(t, texts[1]); /* the text with its chrome */
        CHECK_INT(n, strip ? 2 : 0);
        if (strip && n == 2)
            CHECK(hits[0].line == 2 && hits[1].line == 3 && hits[0].rule == CT_CHROME_FOOTER);
        ct_free(hits);
        ct_free(t);
        CHECK_INT(ct_corpus_chrome_removed(corpus, 3, &lines, &chars, &err), CT_EINVAL);
        ct_corpus_free(corpus);
    }
}

/* Read a whole file into a malloc'd string, or NULL. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        fclose(f);
        return NULL;
    }
    buf[n] = '\0';
    fclose(f);
    if (len)
        *len = (size_t)n;
    return buf;
}

/* Line `number` (1-based) of text: its start and length. */
static const char *line_at(const char *text, size_t number, size_t *n)
{
    const char *p = text;
    for (size_t i = 1; i < number && p; i++) {
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    if (!p)
        return NULL;
    const char *nl = strchr(p, '\n');
    *n = nl ? (size_t)(nl - p) : strlen(p);
    return p;
}

/* The fixture's line sets: 1 for body, 2 for chrome, per line number (< 256). */
static int load_fixture(unsigned char *kind)
{
    char path[2048];
    snprintf(path, sizeof path, "%s/tests/cases/chrome-seed/lines.txt", source_dir());
    char *t = slurp(path, NULL);
    if (!t)
        return 0;
    memset(kind, 0, 256);
    for (char *line = strtok(t, "\n"); line; line = strtok(NULL, "\n")) {
        int k = strncmp(line, "body ", 5) == 0 ? 1 : strncmp(line, "chrome ", 7) == 0 ? 2 : 0;
        if (!k)
            continue;
        for (char *p = strchr(line, ' '); p && *p;) {
            char *end;
            long v = strtol(p, &end, 10);
            if (end == p)
                break;
            if (v > 0 && v < 256)
                kind[v] = (unsigned char)k;
            p = end;
        }
    }
    free(t);
    return 1;
}

/* The seed alone, or after the default corpus. */
static void seed_case(const char *seed, const char *body_path, const char *extra,
                      const unsigned char *kind)
{
    ct_corpus *corpus;
    ct_error err;
    CHECK_INT(ct_corpus_new(&corpus, NULL), CT_OK);
    if (extra)
        CHECK_INT(ct_corpus_add(corpus, extra, &err), CT_OK);
    CHECK_INT(ct_corpus_add(corpus, seed, &err), CT_OK);
    size_t doc = ct_corpus_size(corpus) - 1, len = 0, raw_len = 0, n = 0;
    char *text = NULL, *raw = slurp(seed, &raw_len), *body = slurp(body_path, NULL);
    ct_chrome_hit *hits = NULL;
    CHECK_INT(ct_corpus_read_text(corpus, doc, &text, &len, &err), CT_OK);
    char *unstripped;
    size_t ulen;
    CHECK_INT(ct_corpus_chrome_find(corpus, doc, &unstripped, &ulen, &hits, &n, &err), CT_OK);
    if (!text || !raw || !body) {
        CHECK(!"cannot read the seed or the body file");
        return;
    }
    CHECK_INT(len, raw_len); /* blanked, not removed */
    CHECK_INT(cps(text, len), cps(raw, raw_len));
    unsigned char hit[256] = {0};
    for (size_t i = 0; i < n; i++)
        if (hits[i].line < 256)
            hit[hits[i].line] = 1;
    size_t body_kept = 0, chrome_lines = 0, chrome_chars = 0;
    for (size_t number = 1; number < 256; number++) {
        size_t kn = 0, rn = 0;
        const char *k = line_at(text, number, &kn), *r = line_at(raw, number, &rn);
        if (!r || !k)
            break;
        check_count++;
        if (kind[number] == 1 && !(kn == rn && memcmp(k, r, rn) == 0 && !hit[number])) {
            check_failed++;
            fprintf(stderr, "seed%s: body line %zu was blanked: %.*s\n",
                    extra ? " with cities" : "", number, (int)rn, r);
        } else if (kind[number] == 2 && !(hit[number] && blank_line(k, kn))) {
            check_failed++;
            fprintf(stderr, "seed%s: chrome line %zu was kept: %.*s\n", extra ? " with cities" : "",
                    number, (int)rn, r);
        } else if (kind[number] == 0 && hit[number]) {
            check_failed++;
            fprintf(stderr, "seed: line %zu is in neither list but was blanked\n", number);
        }
        body_kept += kind[number] == 1;
        if (kind[number] == 2) {
            chrome_lines++;
            chrome_chars += cps(r, rn);
        }
    }
    CHECK_INT(body_kept, 13);
    CHECK_INT(chrome_lines, 23);
    size_t lines, chars;
    CHECK_INT(ct_corpus_chrome_removed(corpus, doc, &lines, &chars, &err), CT_OK);
    CHECK_INT(lines, chrome_lines);
    CHECK_INT(chars, chrome_chars);
    /* characters as counted: the body's, and the seed's 36 line breaks instead of the body
     * file's 13 */
    size_t body_chars = cps(body, strlen(body));
    CHECK_INT(cps(text, len) - chars, body_chars + 36 - 13);
    free(unstripped);
    ct_free(hits);
    ct_free(text);
    free(raw);
    free(body);
    ct_corpus_free(corpus);
}

/* Every blanked line of a corpus: footer, menu or timestamp, and prose only in a footer. In a
 * JSON Lines corpus with a licence footer, every blanked line comes at or after the line
 * where the licence starts, and every non-blank line from there on is blanked but at most
 * `residue` lines over the corpus. Returns the number of lines blanked. */
static size_t shared_case(const char *path, int jsonl, size_t *residue, size_t *licence_lines)
{
    ct_read_options o;
    ct_read_options_init(&o);
    if (jsonl) {
        o.text_field = "content";
        o.id_field = "title";
    }
    ct_corpus *corpus;
    ct_error err;
    CHECK_INT(ct_corpus_new(&corpus, &o), CT_OK);
    CHECK_INT(ct_corpus_add(corpus, path, &err), CT_OK);
    size_t total = 0, kept_in_licence = 0, in_licence = 0;
    for (size_t d = 0; d < ct_corpus_size(corpus); d++) {
        char *text;
        size_t len, n;
        ct_chrome_hit *hits;
        if (ct_corpus_chrome_find(corpus, d, &text, &len, &hits, &n, &err) != CT_OK) {
            CHECK(!"cannot read a document");
            continue;
        }
        const char *licence = strstr(text, "本作品");
        size_t licence_off = licence ? (size_t)(licence - text) : len;
        /* back to the start of its line */
        while (licence && licence_off > 0 && text[licence_off - 1] != '\n')
            licence_off--;
        for (size_t i = 0; i < n; i++) {
            const ct_chrome_hit *h = &hits[i];
            int ok = h->rule == CT_CHROME_FOOTER || h->rule == CT_CHROME_MENU ||
                     h->rule == CT_CHROME_TIMESTAMP;
            if (ct_chrome_line_is_protected(text + h->offset, h->length))
                ok &= h->rule == CT_CHROME_FOOTER;
            if (jsonl)
                ok &= h->offset >= licence_off;
            check_count++;
            if (!ok) {
                check_failed++;
                fprintf(stderr, "%s: %s line %zu blanked (%s): %.*s\n", path,
                        ct_corpus_id(corpus, d), h->line, ct_chrome_rule_name(h->rule),
                        (int)h->length, text + h->offset);
            }
        }
        if (jsonl && licence) {
            size_t k = 0, number = 0, pos = 0;
            while (pos < len) {
                const char *nl = memchr(text + pos, '\n', len - pos);
                size_t end = nl ? (size_t)(nl - text) : len;
                number++;
                int blank = 1;
                for (size_t b = pos; b < end; b++)
                    blank &= text[b] == ' ';
                if (pos >= licence_off && !blank) {
                    in_licence++;
                    while (k < n && hits[k].line < number)
                        k++;
                    kept_in_licence += !(k < n && hits[k].line == number);
                }
                pos = end + 1;
            }
        }
        total += n;
        ct_free(hits);
        ct_free(text);
    }
    if (residue)
        *residue = kept_in_licence;
    if (licence_lines)
        *licence_lines = in_licence;
    ct_corpus_free(corpus);
    return total;
}

int main(void)
{
    snprintf(phrases_path, sizeof phrases_path, "%s/corpora/chrome-zh.txt", source_dir());
    single_lines();
    footers();
    repeats();
    blanking();
    through_corpus();

    char cities[2048], body[2048];
    snprintf(body, sizeof body, "%s/corpora/cities/taizhou-2009.txt", source_dir());
    snprintf(cities, sizeof cities, "%s/corpora/cities", source_dir());
    /* The default corpus loses nothing. */
    CHECK_INT(shared_case(cities, 0, NULL, NULL), 0);

    const char *shared = getenv("COMPTEXT_SHARED");
    shared = shared && *shared ? shared : "../shared";
    char seed[2048], jsonl[2048], txt[2048];
    snprintf(seed, sizeof seed, "%s/seed/000_06cc0866c4911e13.txt", shared);
    snprintf(jsonl, sizeof jsonl, "%s/corpora/gov-work-reports.jsonl", shared);
    snprintf(txt, sizeof txt, "%s/corpora/gov-reports-txt", shared);
    FILE *f = fopen(seed, "rb");
    if (!f) {
        if (check_finish() != 0)
            return 1; /* a failing rule is a failure even without the seed */
        printf("SKIP the seed and shared-corpora parts: %s is absent (../shared not present)\n",
               seed);
        return CHECK_SKIP;
    }
    fclose(f);
    unsigned char kind[256];
    CHECK(load_fixture(kind));
    seed_case(seed, body, NULL, kind);
    seed_case(seed, body, cities, kind);
    size_t residue = 99, licence = 0;
    size_t blanked = shared_case(jsonl, 1, &residue, &licence);
    /* The licence of 65 of the 72 records goes, but for 3 fragment lines of one resolution's
     * (本作品来自 / 中华人民共和国法律 / 。依据《, in no other record). */
    CHECK(licence > 900);
    CHECK_INT(blanked, licence - residue);
    CHECK_INT(residue, 3);
    CHECK_INT(shared_case(txt, 0, NULL, NULL), 0);
    return check_finish();
}
