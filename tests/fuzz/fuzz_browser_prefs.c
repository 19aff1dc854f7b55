/* Browser profile files a probe reads from any user's home: Chromium
 * Preferences / Secure Preferences / Local State / manifests, Firefox
 * extensions.json / extension-preferences.json / profiles.ini /
 * compatibility.ini, native messaging host manifests. Every parser of
 * browser.h gets the same input; none may crash, leak or read past it. */
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/probes/browser.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data, *why = NULL;
	struct cd_bext_list exts = { 0 };
	struct cd_bprof_list profs = { 0 };
	struct cd_bhost host;
	cJSON *doc;
	char *s, *copy;

	doc = cd_bjson_parse(text, size, &why);
	if (doc) {
		struct cd_bext e;
		cd_bprefs_chromium_extensions(doc, NULL, &exts);
		cd_bprefs_chromium_extensions(NULL, doc, &exts);
		cd_bprefs_chromium_extensions(doc, doc, &exts);
		cd_bprefs_firefox_extensions(doc, doc, &exts);
		cd_bext_list_release(&exts);
		cd_bini_local_state(doc, &profs);
		cd_bprof_list_release(&profs);
		free(cd_bprefs_chromium_version(doc));
		free(cd_bprefs_message(doc, "extName"));
		memset(&e, 0, sizeof(e));
		cd_bprefs_manifest_fill(doc, &e);
		free(cd_bprefs_msg_key(e.name));
		free(e.name);
		free(e.version);
		free(e.default_locale);
		cJSON_Delete(doc);
	}
	cd_bini_profiles_ini(text, size, &profs);
	cd_bprof_list_release(&profs);
	free(cd_bini_compat_version(text, size));
	cd_bhost_parse(text, size, "com.cfca.cryptokit.lnwl", 0, &host);
	cd_bhost_release(&host);
	cd_bhost_parse(text, size, NULL, 1, &host);
	cd_bhost_release(&host);
	copy = malloc(size + 1);
	if (copy) {
		memcpy(copy, data, size);
		copy[size] = '\0';
		s = cd_bprefs_msg_key(copy);
		free(s);
		free(cd_bprefs_disable_reason_names((long long)size * 2654435761LL));
		free(copy);
	}
	return 0;
}
