/* fold_dict.cpp — which characters OpenCC's t2s conversion can change, read from OpenCC itself.
 *
 * Script folding (fold.c) sends text through OpenCC's conversion, about 7 MB/s: far too slow
 * for every text. Most text needs no conversion at all, and only the code points that a t2s
 * dictionary entry changes can make a difference. This file loads the converter of a
 * configuration (t2s.json) with OpenCC's C++ API — the C API gives no access to the
 * dictionaries — keeps it for the conversions themselves (ct_fold_opencc_convert: the
 * dictionaries are loaded once), and walks the lexicon of every dictionary of its chain:
 *   - trigger: a code point at a position where an entry's default value (the one OpenCC
 *     writes) differs from its key — 國 (國→国), but also 覆 (反覆→反复) and 瞭 (瞭解→了解),
 *     which only phrases change; every code point of an entry whose value has another length;
 *   - phrase: every code point of a key of more than one code point; a code point outside
 *     this set can only be matched alone, so OpenCC's maximum-match segmentation always
 *     starts afresh after it, and a stretch between two such code points converts the same
 *     alone as inside the whole text;
 *   - traditional: a one-code-point key whose default value differs (the characters t2s
 *     changes on their own: what a document's count of traditional forms counts);
 * and the conversion of each trigger outside the phrase set, which OpenCC always converts
 * alone: what the chain's conversions (Conversion::Convert) make of it.
 * From s2t's character table (STCharacters.ocd2 — s2t.json's phrase table is a megabyte,
 * and loading it would cost more than all the rest), simplified: a one-code-point key none
 * of whose values is itself (国 → 國 only; not 干, which is also a traditional character). No list
 * of characters is written here: the sets are whatever the installed OpenCC data says. */
#include <cstdlib>
#include <cstring>
#include <new>
#include <exception>
#include <list>
#include <string>
#include <vector>

#include <opencc/Config.hpp>
#include <opencc/Conversion.hpp>
#include <opencc/ConversionChain.hpp>
#include <opencc/Converter.hpp>
#include <opencc/Dict.hpp>
#include <opencc/DictEntry.hpp>
#include <opencc/DictGroup.hpp>
#include <opencc/Lexicon.hpp>
#include <opencc/opencc.h>

#include "fold_impl.h"

namespace
{

/* UTF-8 (valid, as OpenCC's dictionaries are) to code points. */
std::vector<uint32_t> code_points(const std::string &s)
{
    std::vector<uint32_t> out;
    for (size_t i = 0; i < s.size();) {
        unsigned char c = (unsigned char)s[i];
        int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        uint32_t cp = n == 1 ? c : n == 2 ? c & 0x1F : n == 3 ? c & 0x0F : c & 0x07;
        for (int k = 1; k < n && i + k < s.size(); k++)
            cp = cp << 6 | ((unsigned char)s[i + k] & 0x3F);
        out.push_back(cp);
        i += (size_t)n;
    }
    return out;
}

void set_bit(uint8_t *bits, uint32_t cp)
{
    if (cp < CT_FOLD_CODEPOINTS)
        bits[cp >> 3] |= (uint8_t)(1u << (cp & 7));
}

/* The dictionaries of a conversion chain, groups opened up. */
void collect_dicts(const opencc::DictPtr &dict, std::vector<opencc::DictPtr> &out)
{
    auto group = std::dynamic_pointer_cast<opencc::DictGroup>(dict);
    if (group) {
        for (const auto &d : group->GetDicts())
            collect_dicts(d, out);
        return;
    }
    out.push_back(dict);
}

/* The converter of a configuration file, or (a name ending in .ocd2) of OpenCC's data file
 * of that name alone. */
opencc::ConverterPtr load_converter(const char *config)
{
    opencc::Config cfg;
    std::string name = config;
    if (name.size() > 5 && name.compare(name.size() - 5, 5, ".ocd2") == 0) {
        std::string dict = "{\"type\": \"ocd2\", \"file\": \"" + name + "\"}";
        return cfg.NewFromString("{\"name\": \"" + name +
                                     "\", \"segmentation\": {\"type\": "
                                     "\"mmseg\", \"dict\": " +
                                     dict +
                                     "}, \"conversion_chain\": "
                                     "[{\"dict\": " +
                                     dict + "}]}",
                                 "");
    }
    return cfg.NewFromFile(config);
}

/* The dictionaries of a converter's conversion chain. */
std::vector<opencc::DictPtr> chain_dicts(const opencc::ConverterPtr &conv)
{
    std::vector<opencc::DictPtr> dicts;
    for (const auto &c : conv->GetConversionChain()->GetConversions())
        collect_dicts(c->GetDict(), dicts);
    return dicts;
}

bool has_bit(const uint8_t *bits, uint32_t cp)
{
    return cp < CT_FOLD_CODEPOINTS && (bits[cp >> 3] >> (cp & 7) & 1);
}

std::string utf8(uint32_t cp)
{
    std::string s;
    if (cp < 0x80) {
        s += (char)cp;
    } else if (cp < 0x800) {
        s += (char)(0xC0 | cp >> 6);
        s += (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        s += (char)(0xE0 | cp >> 12);
        s += (char)(0x80 | (cp >> 6 & 0x3F));
        s += (char)(0x80 | (cp & 0x3F));
    } else {
        s += (char)(0xF0 | cp >> 18);
        s += (char)(0x80 | (cp >> 12 & 0x3F));
        s += (char)(0x80 | (cp >> 6 & 0x3F));
        s += (char)(0x80 | (cp & 0x3F));
    }
    return s;
}

void copy_message(char *err, size_t errlen, const char *config, const char *what)
{
    if (err && errlen)
        snprintf(err, errlen, "OpenCC configuration %s: %s", config, what);
}

/* The t2s converter, loaded once by ct_fold_dict_sets (fold.c calls it under pthread_once)
 * and used read-only from then on, from any thread — as OpenCC's C API uses its own. */
opencc::ConverterPtr t2s_converter;

/* The conversions of the triggers outside every phrase, all in one call of each conversion
 * of the chain, separated by '\n': such a code point is matched alone (it belongs to no key
 * of more than one code point), so the text of several converts to their conversions one
 * after another. Fills out (one string per code point) and returns true, or returns false
 * when '\n' could take part in a match (a key holds it) or the pieces do not come back one
 * for one: then each is converted alone. */
bool convert_singles(const opencc::ConverterPtr &conv, const std::vector<uint32_t> &cps,
                     const ct_fold_sets *sets, std::vector<std::string> &out)
{
    if (has_bit(sets->trigger, '\n') || has_bit(sets->phrase, '\n'))
        return false;
    std::string all;
    for (size_t i = 0; i < cps.size(); i++) {
        if (i > 0)
            all += '\n';
        all += utf8(cps[i]);
    }
    for (const auto &c : conv->GetConversionChain()->GetConversions())
        all = c->Convert(all);
    out.clear();
    size_t start = 0;
    for (;;) {
        size_t nl = all.find('\n', start);
        out.push_back(all.substr(start, nl == std::string::npos ? std::string::npos : nl - start));
        if (nl == std::string::npos)
            break;
        start = nl + 1;
    }
    return out.size() == cps.size();
}

} // namespace

extern "C" int ct_fold_dict_sets(const char *t2s_config, ct_fold_sets *sets,
                                 ct_fold_single_fn single, void *ctx, char *err, size_t errlen)
{
    try {
        opencc::ConverterPtr conv = load_converter(t2s_config);
        for (const auto &dict : chain_dicts(conv)) {
            opencc::LexiconPtr lex = dict->GetLexicon();
            for (const auto &entry : *lex) {
                std::vector<uint32_t> key = code_points(entry->Key());
                std::vector<uint32_t> value = code_points(entry->GetDefault());
                if (key.size() > 1)
                    for (uint32_t cp : key)
                        set_bit(sets->phrase, cp);
                if (key.size() != value.size()) {
                    for (uint32_t cp : key)
                        set_bit(sets->trigger, cp);
                    continue;
                }
                for (size_t i = 0; i < key.size(); i++)
                    if (key[i] != value[i])
                        set_bit(sets->trigger, key[i]);
                if (key.size() == 1 && key[0] != value[0])
                    set_bit(sets->traditional, key[0]);
            }
        }
        /* A trigger outside every phrase is a segment of its own: its conversion is what the
         * chain's conversions make of it alone. */
        std::vector<uint32_t> alone;
        for (uint32_t byte = 0; byte < CT_FOLD_CODEPOINTS / 8; byte++) {
            unsigned bits = sets->trigger[byte] & ~sets->phrase[byte] & 0xFFu;
            for (uint32_t cp = byte * 8; bits; cp++, bits >>= 1)
                if (bits & 1)
                    alone.push_back(cp);
        }
        std::vector<std::string> conversions;
        if (!convert_singles(conv, alone, sets, conversions)) {
            conversions.clear();
            for (uint32_t cp : alone) {
                std::string s = utf8(cp);
                for (const auto &c : conv->GetConversionChain()->GetConversions())
                    s = c->Convert(s);
                conversions.push_back(s);
            }
        }
        for (size_t i = 0; i < alone.size(); i++)
            single(ctx, alone[i], conversions[i].data(), conversions[i].size());
        t2s_converter = conv;
    } catch (const std::bad_alloc &) {
        copy_message(err, errlen, t2s_config, "out of memory while loading it");
        return -2;
    } catch (const std::exception &e) {
        copy_message(err, errlen, t2s_config, e.what());
        return -1;
    } catch (...) {
        copy_message(err, errlen, t2s_config, "cannot be loaded");
        return -1;
    }
    return 0;
}

extern "C" int ct_fold_dict_simplified(const char *s2t_config, uint8_t *simplified, char *err,
                                       size_t errlen)
{
    try {
        for (const auto &dict : chain_dicts(load_converter(s2t_config))) {
            opencc::LexiconPtr lex = dict->GetLexicon();
            for (const auto &entry : *lex) {
                std::vector<uint32_t> key = code_points(entry->Key());
                if (key.size() != 1)
                    continue;
                bool itself = false;
                for (const std::string &v : entry->Values())
                    itself = itself || v == entry->Key();
                if (!itself)
                    set_bit(simplified, key[0]);
            }
        }
    } catch (const std::bad_alloc &) {
        copy_message(err, errlen, s2t_config, "out of memory while loading it");
        return -2;
    } catch (const std::exception &e) {
        copy_message(err, errlen, s2t_config, e.what());
        return -1;
    } catch (...) {
        copy_message(err, errlen, s2t_config, "cannot be loaded");
        return -1;
    }
    return 0;
}

/* OpenCC lets C++ exceptions through (marisa's MARISA_MEMORY_ERROR, std::bad_alloc): they
 * would abort the process. The conversion stops them here, as a failure the C side reports. */
extern "C" char *ct_fold_opencc_convert(const char *text, size_t len, size_t *out_len)
{
    *out_len = 0;
    try {
        if (!t2s_converter)
            return NULL;
        std::string converted = t2s_converter->Convert(std::string(text, len));
        char *out = static_cast<char *>(malloc(converted.size() + 1));
        if (!out)
            return NULL;
        memcpy(out, converted.data(), converted.size());
        out[converted.size()] = '\0';
        *out_len = converted.size();
        return out;
    } catch (...) {
        return NULL;
    }
}
