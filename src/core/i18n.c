#include "i18n.h"

#include <string.h>

#include "error.h"

/* Generated table: cd_strings[id][lang], cd_string_names[id]. */
extern const char *const cd_strings[CD_STR__COUNT][2];
extern const char *const cd_string_names[CD_STR__COUNT];

static enum cd_lang current_lang = CD_LANG_ZH;

void cd_set_lang(enum cd_lang lang)
{
	if (lang >= 0 && lang < CD_LANG_COUNT)
		current_lang = lang;
}

enum cd_lang cd_get_lang(void)
{
	return current_lang;
}

static int ieq_prefix(const char *s, const char *p)
{
	for (; *p; s++, p++) {
		char c = *s;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != *p)
			return 0;
	}
	return *s == '\0' || *s == '-' || *s == '_' || *s == '.';
}

int cd_lang_parse(const char *s, enum cd_lang *out)
{
	if (!s)
		return -1;
	if (ieq_prefix(s, "zh") || ieq_prefix(s, "cn") || ieq_prefix(s, "chs")) {
		*out = CD_LANG_ZH;
		return 0;
	}
	if (ieq_prefix(s, "en")) {
		*out = CD_LANG_EN;
		return 0;
	}
	return -1;
}

const char *cd_lang_tag(enum cd_lang lang)
{
	return lang == CD_LANG_EN ? "en" : "zh-CN";
}

const char *cd_tr_lang(enum cd_str id, enum cd_lang lang)
{
	const char *s;
	if ((int)id < 0 || id >= CD_STR__COUNT)
		return "";
	s = cd_strings[id][lang == CD_LANG_EN ? 1 : 0];
	if (!s || !*s)
		s = cd_strings[id][lang == CD_LANG_EN ? 0 : 1];
	return s ? s : "";
}

const char *cd_tr(enum cd_str id)
{
	return cd_tr_lang(id, current_lang);
}

const char *cd_str_name(enum cd_str id)
{
	if ((int)id < 0 || id >= CD_STR__COUNT)
		return "";
	return cd_string_names[id];
}

/* Messages for cd_err, kept here because they are user-visible text. */
const char *cd_err_message(cd_err e)
{
	static const struct {
		cd_err code;
		enum cd_str msg;
	} t[] = {
		{CD_OK, S_ERR_OK},
		{CD_ERR_NOMEM, S_ERR_NOMEM},
		{CD_ERR_IO, S_ERR_IO},
		{CD_ERR_PARSE, S_ERR_PARSE},
		{CD_ERR_SQL, S_ERR_SQL},
		{CD_ERR_NOT_FOUND, S_ERR_NOT_FOUND},
		{CD_ERR_INVALID, S_ERR_INVALID},
		{CD_ERR_TIMEOUT, S_ERR_TIMEOUT},
		{CD_ERR_DENIED, S_ERR_DENIED},
		{CD_ERR_UNSUPPORTED, S_ERR_UNSUPPORTED},
		{CD_ERR_LIMIT, S_ERR_LIMIT},
		{CD_ERR_NET, S_ERR_NET},
		{CD_ERR_VERSION, S_ERR_VERSION},
		{CD_ERR_CRASH, S_ERR_CRASH},
		{CD_ERR_INTERNAL, S_ERR_INTERNAL},
	};
	size_t i;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (t[i].code == e)
			return cd_tr(t[i].msg);
	return cd_tr(S_ERR_INTERNAL);
}
