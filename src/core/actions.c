#include "actions.h"

#include <string.h>

#include "template.h"

static const struct cd_action_kind kinds[] = {
	{"registry_set", "key,value,type,data", "view", 1, "windows", S_ACT_REGISTRY_SET},
	{"registry_delete_value", "key,value", "view", 1, "windows", S_ACT_REGISTRY_DELETE_VALUE},
	{"registry_delete_key", "key", "view", 1, "windows", S_ACT_REGISTRY_DELETE_KEY},
	{"service_start", "name", "", 1, "any", S_ACT_SERVICE_START},
	{"service_stop", "name", "", 1, "any", S_ACT_SERVICE_STOP},
	{"service_set_start", "name,start_type", "", 1, "any", S_ACT_SERVICE_SET_START},
	{"program_uninstall", "key", "source,user", 1, "windows", S_ACT_PROGRAM_UNINSTALL},
	{"file_quarantine", "path", "", 1, "any", S_ACT_FILE_QUARANTINE},
	{"com_register", "clsid,path", "view,progid", 1, "windows", S_ACT_COM_REGISTER},
	{"run_vendor_installer", "path", "args", 1, "windows", S_ACT_RUN_VENDOR_INSTALLER},
	{"browser_extension_policy", "browser,ext_id", "update_url,mode", 1, "any",
	 S_ACT_BROWSER_EXTENSION_POLICY},
	{"native_host_register", "browser,name,manifest_path", "scope,view,user", 0, "any",
	 S_ACT_NATIVE_HOST_REGISTER},
	{"nss_module_register", "db,name,path", "", 0, "any", S_ACT_NSS_MODULE_REGISTER},
	{"p11kit_module_register", "name,path", "", 1, "linux", S_ACT_P11KIT_MODULE_REGISTER},
	{"clock_sync", "", "server", 1, "any", S_ACT_CLOCK_SYNC},
	{"open_url", "url", "browser", 0, "any", S_ACT_OPEN_URL},
};

const struct cd_action_kind *cd_action_kinds(size_t *count)
{
	*count = sizeof(kinds) / sizeof(kinds[0]);
	return kinds;
}

const struct cd_action_kind *cd_action_kind_find(const char *name)
{
	size_t i;
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(kinds[i].name, name))
			return &kinds[i];
	return NULL;
}

static int in_list(const char *list, const char *arg)
{
	size_t n = strlen(arg);
	const char *p = list;
	while (*p) {
		const char *c = strchr(p, ',');
		size_t len = c ? (size_t)(c - p) : strlen(p);
		if (len == n && !strncmp(p, arg, n))
			return 1;
		if (!c)
			break;
		p = c + 1;
	}
	return 0;
}

int cd_action_kind_has_arg(const struct cd_action_kind *k, const char *arg)
{
	return in_list(k->required, arg) || in_list(k->optional, arg);
}

int cd_action_firefox_addon_id(const char *id)
{
	size_t n = id ? strlen(id) : 0, i;
	if (!n || n > 128 || id[0] == '-')
		return 0;
	for (i = 0; i < n; i++)
		if (!((id[i] >= 'a' && id[i] <= 'z') || (id[i] >= 'A' && id[i] <= 'Z') || (id[i] >= '0' && id[i] <= '9') ||
		      strchr("@._{}+-", id[i])))
			return 0;
	return strchr(id, '@') != NULL || (id[0] == '{' && id[n - 1] == '}');
}

/* Argument values shown as words of the reader's language. */
static const struct {
	const char *arg, *value;
	enum cd_str word;
} arg_words[] = {
	{"start_type", "auto", S_ACTARG_START_AUTO},
	{"start_type", "manual", S_ACTARG_START_MANUAL},
	{"start_type", "disabled", S_ACTARG_START_DISABLED},
};

#define MAX_DESCRIBE_ARGS 16

char *cd_action_describe(const struct cd_action_kind *k, const char *const *keys, const char *const *values,
			 size_t n, enum cd_lang lang)
{
	const char *shown[MAX_DESCRIBE_ARGS];
	size_t i, w;
	if (n > MAX_DESCRIBE_ARGS)
		n = MAX_DESCRIBE_ARGS;
	for (i = 0; i < n; i++) {
		shown[i] = values[i];
		for (w = 0; values[i] && w < sizeof(arg_words) / sizeof(arg_words[0]); w++)
			if (!strcmp(keys[i], arg_words[w].arg) && !strcmp(values[i], arg_words[w].value))
				shown[i] = cd_tr_lang(arg_words[w].word, lang);
	}
	return cd_template_fill_args(cd_tr_lang(k->describe, lang), keys, shown, n);
}
