#!/usr/bin/python3
"""Corpora as users have them: CSV and TSV tables, Word documents and PDF files.

- CSV: a table with a byte-order mark, CRLF records, quoted fields holding commas, doubled
  quotes and line breaks, and metadata columns is read as pandas.read_csv reads it (the
  peer): the same rows turned into JSON Lines by pandas give exactly the same `tokens`,
  `tf --group-by city` and ids; --text-field / --id-field choose other columns; without an
  id column the ids are FILE:LINE; TSV with the same quoting reads the same.
- DOCX: a Word document written here with zipfile (Chinese paragraphs, a run split in two,
  a tab, a table, a tracked deletion and a page header) gives the tokens of the text in
  reading order — paragraphs as lines, table cells one after another — without the
  deletion and the header.
- PDF: an HTML page with Chinese paragraphs (one long enough to wrap over several printed
  lines, and a second page) printed by headless Chromium gives the tokens of the page's
  paragraphs: wrapped lines joined, paragraphs and pages kept apart. A shipped report
  printed with Chromium's defaults (ragged right, the date, URL and page number in the
  margins) and justified with first-line indents gives the CJK n-grams of its text file.
  Skipped (with a message) when Chromium is missing or the build has no PDF support.
- A folder of a .txt, a .docx and a .pdf with a manifest: three documents, ids without
  extensions, metadata from the manifest.
Bad inputs (damaged, truncated, mislabelled files; malformed tables) are in bad_input.py."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile

EXE = os.environ['COMPTEXT']
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ctkit  # noqa: E402

checks = ctkit.Checks(say_ok=True)
check = checks.check


def run(*args, stdin=None):
    return subprocess.run([EXE, *args], capture_output=True, text=True, input=stdin)


def tokens(*args):
    r = run('tokens', '-n', '1-3', '--stopwords', 'none', *args)
    if r.returncode != 0:
        print(r.stderr)
    return r.returncode, [json.loads(l) for l in r.stdout.splitlines()]


def data_lines(out):
    """Output lines without a header row (one helper is adding headers to every TSV)."""
    lines = out.splitlines()
    if lines and lines[0].startswith('id\t'):
        lines = lines[1:]
    return lines


W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main'


def para(*runs):
    return '<w:p><w:pPr><w:jc w:val="left"/></w:pPr>' + ''.join(runs) + '</w:p>'


def run_t(text):
    return '<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">%s</w:t></w:r>' % text


def make_docx(path):
    cell = lambda t: '<w:tc><w:tcPr/>' + para(run_t(t)) + '</w:tc>'
    body = (para(run_t('城市政府'), run_t('工作报告')) +
            para(run_t('推进改革'), '<w:r><w:tab/></w:r>', run_t('扩大开放'),
                 '<w:del><w:r><w:delText>删除内容</w:delText></w:r></w:del>') +
            '<w:tbl><w:tblPr/>' +
            '<w:tr>' + cell('指标') + cell('数值') + '</w:tr>' +
            '<w:tr>' + cell('生产总值') + cell('增长六') + '</w:tr>' +
            '</w:tbl>' +
            para(run_t('生态环境持续改善')) + '<w:sectPr/>')
    doc = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
           '<w:document xmlns:w="%s"><w:body>%s</w:body></w:document>' % (W, body))
    types = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
             '.org/package/2006/content-types"><Default Extension="xml" ContentType="applicat'
             'ion/xml"/></Types>')
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as z:
        z.writestr('[Content_Types].xml', types)
        z.writestr('word/document.xml', doc)
        z.writestr('word/header1.xml', '<w:hdr xmlns:w="%s">%s</w:hdr>' % (W, para(run_t('页眉标题'))))
    # What a reader must see: paragraphs as lines, cells one after another.
    return '城市政府工作报告\n推进改革\t扩大开放\n指标\t数值\n生产总值\t增长六\n生态环境持续改善\n'


def chromium():
    for name in ('chromium', 'chromium-browser', 'google-chrome'):
        p = shutil.which(name)
        if p:
            return p
    return None


def print_pdf(tmp, html, path, chrome=False):
    """Print an HTML page to PDF with headless Chromium (with its date, URL and page-number
    header and footer when chrome); returns whether it worked."""
    src = os.path.join(tmp, os.path.basename(path) + '.html')
    with open(src, 'w', encoding='utf-8') as f:
        f.write(html)
    exe = chromium()
    if not exe:
        return False
    profile = os.path.join(tmp, 'chromium-profile')
    r = subprocess.run([exe, '--headless', '--no-sandbox', '--disable-gpu',
                        '--disable-background-networking', '--no-first-run',
                        '--user-data-dir=' + profile,
                        *([] if chrome else ['--no-pdf-header-footer']),
                        '--print-to-pdf=' + path, 'file://' + src],
                       capture_output=True, text=True, timeout=120)
    if r.returncode != 0 or not os.path.exists(path):
        print('chromium failed:', r.stderr[-500:])
        return False
    return True


def make_pdf(tmp, path):
    """A short page with one wrapped paragraph and a second page; returns the paragraphs or
    None."""
    long = '推进改革开放建设美丽城市' * 6
    paras = ['政府工作报告', long, '生态环境持续改善']
    page2 = '第二页保障民生'
    html = ('<!doctype html><html><head><meta charset="utf-8"><style>'
            'body{font-family:"WenQuanYi Micro Hei";font-size:14pt;width:320px}</style></head>'
            '<body>%s<div style="page-break-before:always"><p>%s</p></div></body></html>'
            % (''.join('<p>%s</p>' % p for p in paras), page2))
    return paras + [page2] if print_pdf(tmp, html, path) else None


def report_pdfs(tmp):
    """A shipped report (headings, paragraphs of Chinese with numbers and punctuation) printed
    as a user prints it: Chromium's defaults (ragged right: a line ends short where a ；
    may not start the next line or a number does not fit; the date, URL and page number in
    the margins, the page number further right than the text), and justified with first-line
    indents as LibreOffice and Word print reports. Returns (txt path, [pdf paths]) or None."""
    txt = os.path.join(ctkit.SOURCE, 'corpora', 'cities', 'fengling-2021.txt')
    with open(txt, encoding='utf-8') as f:
        paras = [l for l in f.read().splitlines() if l.strip()]
    body = ''.join('<p>%s</p>' % p for p in paras)
    styles = ['body{font-size:14px}',
              'body{font-size:15px;text-align:justify} p{text-indent:2em;margin:0}']
    pdfs = []
    for i, style in enumerate(styles):
        path = os.path.join(tmp, 'report%d.pdf' % i)
        html = ('<!doctype html><meta charset="utf-8"><style>%s</style><body>%s</body>'
                % (style, body))
        if not print_pdf(tmp, html, path, chrome=i == 0):
            return None
        pdfs.append(path)
    return txt, pdfs


def long_paragraph_pdf(tmp):
    """A shipped report printed by Chromium with its page chrome and its title in the running
    head, in a large type, its body one paragraph that must go on across page breaks.
    Returns (txt path of the same text, pdf path) or None."""
    src = os.path.join(ctkit.SOURCE, 'corpora', 'cities', 'fengling-2021.txt')
    with open(src, encoding='utf-8') as f:
        paras = [l for l in f.read().splitlines() if l.strip()]
    title, body = paras[0], ''.join(paras[1:])
    txt = os.path.join(tmp, 'long-paragraph.txt')
    with open(txt, 'w', encoding='utf-8') as f:
        f.write(title + '\n' + body + '\n')
    path = os.path.join(tmp, 'long-paragraph.pdf')
    html = ('<!doctype html><meta charset="utf-8"><title>%s</title>'
            '<style>body{font-size:22px}</style><body><p>%s</p><p>%s</p></body>'
            % (title, title, body))
    return (txt, path) if print_pdf(tmp, html, path, chrome=True) else None


def short_last_page_pdf(tmp):
    """A title and a paragraph printed by Chromium with its page chrome (the title in the
    running head) on small pages (14 full-width characters a line, 8 lines a page), the
    paragraph's last three characters alone on the second page: there the date and the
    file:// address above and below them hold more characters than the text. Returns (txt
    path of the same text, pdf path) or None."""
    title, text = '城市建设', '建设美丽城市，' * 14 + '完成。'
    txt = os.path.join(tmp, 'short-last-page.txt')
    with open(txt, 'w', encoding='utf-8') as f:
        f.write(title + '\n' + text + '\n')
    path = os.path.join(tmp, 'short-last-page.pdf')
    html = ('<!doctype html><meta charset="utf-8"><title>%s</title><style>'
            '@page{size:400px 300px;margin:40px 60px}'
            'body{margin:0;font-size:20px;line-height:27.5px} p{margin:0}</style>'
            '<body><p>%s</p><p>%s</p></body>' % (title, title, text))
    return (txt, path) if print_pdf(tmp, html, path, chrome=True) else None


def list_page_pdf(tmp):
    """A title, three list items indented by two characters and a paragraph printed by
    Chromium with its page chrome on small pages (14 full-width characters a line, 8 lines a
    page): the paragraph's first-line indent meets the items' edge, which holds the most
    characters of page 1 and so is its body's left margin; its next two lines start two
    characters further left, and it goes on onto page 2. Returns (txt path of the same
    text, pdf path) or None."""
    title = '城市建设'
    items = ['保障和改善民生水平持续提高城乡居民收入', '推进生态文明建设空气质量明显好转森林覆盖',
             '扩大对外开放水平']
    para = ('一是稳定工业增长，二是扩大有效投资，三是促进居民消费，四是深化改革开放，五是保护生态环境，'
            '六是改善民生福祉，七是建设法治政府，八是防范重大风险，九是推进乡村振兴，全年目标顺利完成。')
    txt = os.path.join(tmp, 'list-page.txt')
    with open(txt, 'w', encoding='utf-8') as f:
        f.write('\n'.join([title] + items + [para]) + '\n')
    path = os.path.join(tmp, 'list-page.pdf')
    html = ('<!doctype html><meta charset="utf-8"><title>%s</title><style>'
            '@page{size:400px 300px;margin:40px 60px}'
            'body{margin:0;font-size:20px;line-height:27.5px} p{margin:0;text-indent:2em}'
            'p.t{text-indent:0} ul{margin:0;padding-left:40px;list-style:none}</style>'
            '<body><p class="t">%s</p><ul>%s</ul><p>%s</p></body>'
            % (title, title, ''.join('<li>%s</li>' % i for i in items), para))
    return (txt, path) if print_pdf(tmp, html, path, chrome=True) else None


def built(ext):
    """Whether this build reads .docx / .pdf files (meson -Ddocx, -Dpdf)."""
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, 'probe' + ext)
        open(path, 'wb').close()
        return 'built without' not in run('tokens', path).stderr


with tempfile.TemporaryDirectory() as tmp:
    import pandas as pd

    # --- CSV, cross-checked with pandas ---------------------------------------------------
    csv_path = os.path.join(tmp, 'reports.csv')
    rows = [
        ('bj-2023', '北京', '2023', '推进改革，扩大开放。\n第二段：建设"美丽"城市'),
        ('sh-2023', '上海', '2023', '科技创新, 生态环境'),
        ('bj-2024', '北京', '2024', '民生保障\r\n\r\n城市更新'),
        ('gz-2024', '广州', '', ''),
    ]
    def q(s):
        return '"' + s.replace('"', '""') + '"' if any(c in s for c in ',"\n\r') else s
    with open(csv_path, 'w', encoding='utf-8', newline='') as f:
        f.write('\ufeffid,city,year,text\r\n')
        for r in rows:
            f.write(','.join(q(x) for x in r) + '\r\n')
    frame = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
    check(list(frame['text']) == [r[3].replace('\r\n', '\r\n') for r in rows],
          'pandas reads the test CSV as written')
    jsonl = os.path.join(tmp, 'reports.jsonl')
    with open(jsonl, 'w', encoding='utf-8') as f:
        for rec in frame.to_dict('records'):
            rec = {k: v for k, v in rec.items() if v != '' or k == 'text'}
            f.write(json.dumps(rec, ensure_ascii=False) + '\n')
    rc_csv, tok_csv = tokens(csv_path)
    rc_jl, tok_jl = tokens(jsonl)
    check(rc_csv == 0 and len(tok_csv) == 4, 'a CSV is one document a row, not one document')
    check(tok_csv == tok_jl, 'CSV tokens equal those of the same rows read by pandas')
    check([d['id'] for d in tok_csv] == [r[0] for r in rows], 'ids from the id column')
    check('美丽' in tok_csv[0]['tokens'] and '段' in tok_csv[0]['tokens'],
          'a quoted multi-line field with doubled quotes is one text')
    g_csv = run('tf', '--group-by', 'city', csv_path)
    g_jl = run('tf', '--group-by', 'city', jsonl)
    check(g_csv.returncode == 0 and data_lines(g_csv.stdout) == data_lines(g_jl.stdout) and
          data_lines(g_csv.stdout), 'tf --group-by city on the CSV equals pandas\' rows')
    check(sorted({l.split('\t')[0] for l in data_lines(g_csv.stdout)}) == ['上海', '北京'],
          '--group-by uses the metadata column (an empty document adds no terms)')
    g_year = run('tf', '--group-by', 'year', csv_path)
    check(g_year.returncode == 1 and 'reports.csv:8:' in g_year.stderr and
          'gz-2024' in g_year.stderr,
          'an empty cell is no value: --group-by names the row (line 8: the fields before '
          'span lines 2-3 and 5-7)')

    # --text-field / --id-field, and no id column
    other = os.path.join(tmp, 'other.csv')
    with open(other, 'w', encoding='utf-8') as f:
        f.write('name,body,note\nA,社区建设,x\nB,"城乡\n社区",y\n')
    rc, t = tokens('--text-field', 'body', '--id-field', 'name', other)
    check(rc == 0 and [d['id'] for d in t] == ['A', 'B'] and '城乡' in t[1]['tokens'],
          '--text-field and --id-field choose the columns')
    noid = os.path.join(tmp, 'noid.csv')
    with open(noid, 'w', encoding='utf-8') as f:
        f.write('text,city\n"第一\n行",北京\n第二,上海\n')
    rc, t = tokens(noid)
    check(rc == 0 and [d['id'] for d in t] == ['noid:2', 'noid:4'],
          'without an id column: FILE:LINE, the line the record starts on')

    # JSON Lines records without an id: NAME:LINE, with one note when others have one
    def write_jsonl(name, records):
        path = os.path.join(tmp, name)
        with open(path, 'w', encoding='utf-8') as f:
            f.writelines(json.dumps(r, ensure_ascii=False) + '\n' for r in records)
        return path
    mixed = write_jsonl('mixed.jsonl', [{'id': 'a', 'text': '社区'}, {'text': '建设'},
                                        {'id': None, 'text': '城乡'}])
    r = run('tokens', mixed)
    check(r.returncode == 0 and [json.loads(l)['id'] for l in r.stdout.splitlines()] ==
          ['a', 'mixed:2', 'mixed:3'], 'a record without an id, or with null: NAME:LINE')
    check(r.stderr.count('records have no') == 1 and
          'mixed.jsonl: 2 of 3 records have no "id" (missing or null), so their ids are '
          'mixed:LINE (lines 2, 3)' in r.stderr, 'one note names the records without an id')
    years = write_jsonl('years.jsonl', [{'year': 2000 + i if i % 4 else None, 'text': '社区'}
                                        for i in range(30)])
    r = run('tokens', '--id-field', 'year', years)
    check(r.returncode == 0 and r.stderr.count('records have no') == 1 and
          '8 of 30 records have no "year" (missing or null), so their ids are years:LINE '
          '(lines 1, 5, 9, 13, 17, ...)' in r.stderr,
          '--id-field year with null years: one note, its first lines and "..."')
    none = write_jsonl('none.jsonl', [{'text': '社区'}, {'text': '建设'}])
    r = run('tokens', none)
    check(r.returncode == 0 and 'records have no' not in r.stderr,
          'a file without any "id" (the layout without ids) gets no note')
    r = run('tokens', '--id-field', 'name', none)
    check(r.returncode == 0 and '2 of 2 records have no "name"' in r.stderr,
          'an --id-field that no record has is noted')

    # TSV with the same quoting rules
    tsv = os.path.join(tmp, 'reports.tsv')
    frame.to_csv(tsv, sep='\t', index=False)
    rc, tok_tsv = tokens(tsv)
    check(rc == 0 and tok_tsv == tok_csv, 'a TSV written by pandas reads as the CSV does')

    # --- DOCX ----------------------------------------------------------------------------
    if not built('.docx'):
        print('SKIP: DOCX and folder parts: this build has no DOCX support')
        checks.finish()
    docx = os.path.join(tmp, 'report.docx')
    expected_text = make_docx(docx)
    txt = os.path.join(tmp, 'expected-docx.txt')
    with open(txt, 'w', encoding='utf-8') as f:
        f.write(expected_text)
    rc, t_docx = tokens(docx)
    rc2, t_txt = tokens(txt)
    check(rc == 0 and len(t_docx) == 1 and t_docx[0]['id'] == 'report', 'a DOCX is one document')
    check(rc == 0 and t_docx[0]['tokens'] == t_txt[0]['tokens'],
          'DOCX tokens are those of its text in reading order (table cells apart)')
    check(rc == 0 and '删除' not in t_docx[0]['tokens'] and '页眉' not in t_docx[0]['tokens'],
          'tracked deletions and page headers are not read')
    check(rc == 0 and '开放' in t_docx[0]['tokens'] and '报告' in t_docx[0]['tokens'] and
          '作报' in t_docx[0]['tokens'], 'runs of one paragraph join')
    check(rc == 0 and '数生' not in t_docx[0]['tokens'] and '指数' not in t_docx[0]['tokens'],
          'table cells and rows do not run together')
    k = run('kwic', '--term', '数值', '--window', '3', docx)
    check(k.returncode == 0 and data_lines(k.stdout) and
          data_lines(k.stdout)[0].split('\t')[2] == '指标\\t', 'kwic in a DOCX table')

    # --- PDF -----------------------------------------------------------------------------
    pdf = os.path.join(tmp, 'printed.pdf')
    have_pdf = False
    if not built('.pdf'):
        print('SKIP: PDF part: this build has no PDF support')
    else:
        paras = make_pdf(tmp, pdf)
        if paras is None:
            print('SKIP: PDF part: no headless Chromium to print a PDF')
        else:
            have_pdf = True
            ptxt = os.path.join(tmp, 'expected-pdf.txt')
            with open(ptxt, 'w', encoding='utf-8') as f:
                f.write('\n'.join(paras) + '\n')
            rc, t_pdf = tokens(pdf)
            rc2, t_ptxt = tokens(ptxt)
            check(rc == 0 and len(t_pdf) == 1 and t_pdf[0]['id'] == 'printed',
                  'a PDF is one document')
            got, want = (t_pdf[0]['tokens'] if rc == 0 else []), t_ptxt[0]['tokens']
            check(got == want, 'PDF tokens are those of the page\'s paragraphs in order '
                  '(wrapped lines joined, paragraphs and pages apart)')
            if got != want:
                print('  extra:', sorted(set(got) - set(want))[:20])
                print('  missing:', sorted(set(want) - set(got))[:20])

            # A real report: every wrapped line joined (inside words and numbers), every
            # paragraph end and heading kept — the CJK n-grams are exactly the text file's
            # (the page chrome Chromium prints, a date, a file:// URL, page numbers, aside).
            rep = report_pdfs(tmp)
            check(rep is not None, 'Chromium prints the report')
            if rep:
                cjk = lambda ts: sorted(t for t in ts if all('\u4e00' <= c <= '\u9fff' for c in t))
                _, t_txt = tokens(rep[0])
                for pdf_path, how in zip(rep[1], ['ragged right, page chrome',
                                                  'justified, first-line indents']):
                    rc, t_rep = tokens(pdf_path)
                    got = cjk(t_rep[0]['tokens']) if rc == 0 and t_rep else []
                    want = cjk(t_txt[0]['tokens'])
                    check(got == want, 'a printed report (%s) reads as its text: lines joined '
                          'where they wrapped, paragraphs and headings apart' % how)
                    if got != want:
                        import collections
                        g, w = collections.Counter(got), collections.Counter(want)
                        print('  extra:', list((g - w).items())[:15])
                        print('  missing:', list((w - g).items())[:15])
                    check(rc == 0 and t_rep and t_rep[0]['tokens'] == t_txt[0]['tokens'],
                          'a printed report (%s) has exactly the tokens of its text: no date, '
                          'file:// address or page number of the page chrome' % how)
                    k = run('kwic', '--term', '全覆盖', pdf_path)
                    check(k.returncode == 0 and len(data_lines(k.stdout)) == 1 and
                          '\\n' not in data_lines(k.stdout)[0].split('\t')[2],
                          'kwic finds a word across a wrap (%s)' % how)

            long_pdf = long_paragraph_pdf(tmp)
            check(long_pdf is not None, 'Chromium prints the long paragraph')
            if long_pdf:
                _, t_txt = tokens(long_pdf[0])
                rc, t_rep = tokens(long_pdf[1])
                pages = len(data_lines(run('chrome', '--rule', long_pdf[1]).stdout))
                check(rc == 0 and t_rep and t_rep[0]['tokens'] == t_txt[0]['tokens'] and
                      pages >= 6, 'a paragraph printed across page breaks (%d chrome lines) '
                      'reads as one: the running heads, dates, addresses and page numbers '
                      'between its pages removed, its title once' % pages)

            short = short_last_page_pdf(tmp)
            check(short is not None, 'Chromium prints the short last page')
            if short:
                _, t_txt = tokens(short[0])
                rc, t_rep = tokens(short[1])
                rules = run('chrome', '--rule', short[1]).stdout
                check(rc == 0 and t_rep and t_rep[0]['tokens'] == t_txt[0]['tokens'] and
                      '2/2\tcounter' in rules, 'a paragraph whose last characters are alone '
                      'on the last page, among its date and address: the date stays a line of '
                      'its own (removed), not glued to the paragraph')

            lst = list_page_pdf(tmp)
            check(lst is not None, 'Chromium prints the list page')
            if lst:
                _, t_txt = tokens(lst[0])
                rc, t_rep = tokens(lst[1])
                extra = (set(t_rep[0]['tokens']) - set(t_txt[0]['tokens'])) if rc == 0 and t_rep else {'?'}
                rules = run('chrome', '--rule', lst[1]).stdout
                check(not extra and '2/2\tcounter' in rules, 'a paragraph below a page of '
                      'indented list items, going on onto the next page: its lines outside the '
                      "items' edge stay in their place (no n-gram the text does not have: %s)"
                      % sorted(extra)[:5])

    # --- a folder of all three, with a manifest -------------------------------------------
    d = os.path.join(tmp, 'mixed')
    os.mkdir(d)
    with open(os.path.join(d, 'a.txt'), 'w', encoding='utf-8') as f:
        f.write('社区建设\n')
    shutil.copy(docx, os.path.join(d, 'b.docx'))
    files = ['a.txt', 'b.docx']
    if have_pdf:
        shutil.copy(pdf, os.path.join(d, 'c.pdf'))
        files.append('c.pdf')
    with open(os.path.join(d, 'manifest.tsv'), 'w', encoding='utf-8') as f:
        f.write('file\tcity\n' + ''.join('%s\t%s\n' % (n, c) for n, c in
                                          zip(files, ['北京', '上海', '北京'])))
    rc, t = tokens(d)
    check(rc == 0 and [x['id'] for x in t] == [n.rsplit('.', 1)[0] for n in files],
          'a folder picks up .txt, .docx and .pdf files, ids without the extension')
    check(rc == 0 and t[1]['tokens'] == t_docx[0]['tokens'], 'the DOCX in a folder reads the same')
    g = run('tf', '--group-by', 'city', d)
    check(g.returncode == 0 and {l.split('\t')[0] for l in data_lines(g.stdout)} == {'北京', '上海'},
          'manifest metadata applies to DOCX and PDF documents')

checks.finish()
