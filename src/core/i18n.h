/* User-visible text. Every string the program shows comes from one source,
 * resources/strings.txt (zh-CN first, en second), compiled by cadoctor-gen into
 * strings_gen.h (enum cd_str) and strings_gen.c. Rule texts live with their rules. */
#ifndef CD_I18N_H
#define CD_I18N_H

#include "strings_gen.h"

enum cd_lang { CD_LANG_ZH = 0, CD_LANG_EN = 1, CD_LANG_COUNT = 2 };

void cd_set_lang(enum cd_lang lang);
enum cd_lang cd_get_lang(void);
/* Accepts zh, zh-CN, zh_CN, cn, en, en-US ... Returns 0 on success. */
int cd_lang_parse(const char *s, enum cd_lang *out);
/* "zh-CN" or "en". */
const char *cd_lang_tag(enum cd_lang lang);
/* Text in the current language; falls back to the other language if empty. */
const char *cd_tr(enum cd_str id);
const char *cd_tr_lang(enum cd_str id, enum cd_lang lang);
/* Identifier of a string (its Id: in strings.txt), for tests and docs. */
const char *cd_str_name(enum cd_str id);

#endif
