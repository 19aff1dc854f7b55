/* CryptoAPI providers (CSPs) and smart-card minidrivers, as registered under
 * HKLM\SOFTWARE\Microsoft\Cryptography in each registry view. A CSP whose DLL
 * is gone, or two per-CA renamed CSPs for one vendor's token, are common
 * reasons a certificate's name does not show; the rules decide that, these
 * probes only record what is registered and whether the DLLs are there. */
#include <windows.h>
#include <wincrypt.h>
#include <stdlib.h>
#include <string.h>

#include "../core/probe.h"
#include "../core/util.h"
#include "../platform/platform.h"
#include "../platform/win32_util.h"
#include "win32_reg.h"

#define PROVIDERS "SOFTWARE\\Microsoft\\Cryptography\\Defaults\\Provider"
#define SMARTCARDS "SOFTWARE\\Microsoft\\Cryptography\\Calais\\SmartCards"

/* CryptEnumProviders reads the registry view of the calling process only. */
static enum cd_reg_view process_view(void)
{
	return sizeof(void *) == 8 ? CD_REG_VIEW_64 : CD_REG_VIEW_32;
}

/* The provider names CryptEnumProvidersW lists. An entry it cannot read
 * (a Type of the wrong type, say) makes that index fail while the next
 * ones still work, so failures are counted and skipped, not fatal. */
static void enum_providers(struct cd_probe_ctx *ctx, char ***names, size_t *count)
{
	char **v = NULL;
	size_t n = 0, cap = 0;
	DWORD i, failed = 0, last = 0;

	for (i = 0; i < 4096; i++) {
		DWORD type, len = 0;
		wchar_t *w;
		char *u;
		if (!CryptEnumProvidersW(i, NULL, 0, &type, NULL, &len)) {
			DWORD err = GetLastError();
			if (err == ERROR_NO_MORE_ITEMS)
				break;
			last = err;
			if (++failed > 64)
				break; /* nothing more will come */
			continue;
		}
		w = calloc(1, (size_t)len + 2 * sizeof(wchar_t));
		if (!w)
			break;
		if (!CryptEnumProvidersW(i, NULL, 0, &type, w, &len)) {
			/* changed between the calls: count it like any failure */
			last = GetLastError();
			failed++;
			free(w);
			continue;
		}
		u = cd_utf8_from_w(w); /* calloc'd beyond len: terminated even if the API did not */
		free(w);
		if (!u)
			break;
		if (n == cap) {
			char **nv;
			cap = cap ? cap * 2 : 16;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				free(u);
				break;
			}
			v = nv;
		}
		v[n++] = u;
	}
	if (failed)
		cd_probe_error(ctx, "CryptEnumProvidersW", CD_ERR_IO,
			       "%lu providers could not be listed (last Windows error %lu)",
			       (unsigned long)failed, (unsigned long)last);
	*names = v;
	*count = n;
}

/* -1 when not known (the other view), else 1 if listed. Names are
 * case-insensitive like the registry keys they come from. */
static int listed(char **names, size_t n, int known, const char *name)
{
	size_t i;
	if (!known)
		return -1;
	for (i = 0; i < n; i++)
		if (cd_strieq(names[i], name))
			return 1;
	return 0;
}

/* Opens the list key of one view; absence is normal (no CSP or card of
 * that view), anything else is recorded. */
static int open_list(struct cd_probe_ctx *ctx, const char *path, enum cd_reg_view view, HKEY *h,
		     char ***names, size_t *count)
{
	char *where;
	cd_err e = cd_reg_open(HKEY_LOCAL_MACHINE, path, view, h);
	if (e == CD_OK) {
		e = cd_reg_subkeys(*h, names, count);
		if (e == CD_OK)
			return 1;
		cd_reg_close(*h);
	}
	if (e == CD_ERR_NOT_FOUND)
		return 0;
	where = cd_reg_describe(HKEY_LOCAL_MACHINE, path, view, NULL);
	cd_probe_error(ctx, where, e, "cannot list the registered entries");
	free(where);
	return 0;
}

static void csp_view(struct cd_probe_ctx *ctx, enum cd_reg_view view, char **enumerated,
		     size_t n_enum, int enum_known)
{
	HKEY list;
	char **names;
	size_t n, i;

	if (!open_list(ctx, PROVIDERS, view, &list, &names, &n))
		return;
	for (i = 0; i < n; i++) {
		char *sub = cd_aprintf("%s\\%s", PROVIDERS, names[i]);
		char *where = sub ? cd_reg_describe(HKEY_LOCAL_MACHINE, sub, view, NULL) : NULL;
		char *image = NULL, *resolved = NULL;
		uint32_t type = 0;
		int have_type = 0;
		struct cd_row r;
		HKEY k;
		cd_err e;

		if (!where) {
			free(sub);
			break;
		}
		e = cd_reg_open(list, names[i], view, &k);
		if (e == CD_OK) {
			image = cd_reg_probe_str(ctx, k, where, "Image Path", 0);
			have_type = cd_reg_probe_dword(ctx, k, where, "Type", &type);
			cd_reg_close(k);
		} else {
			/* Still a registered name: the row says so with the rest unknown. */
			cd_probe_error(ctx, where, e, "cannot open the provider key");
		}
		if (image)
			resolved = cd_win_expand_path(image, view);
		cd_row_init(&r, "csp");
		cd_row_text(&r, "name", names[i]);
		if (have_type)
			cd_row_int(&r, "type", type);
		cd_row_text(&r, "image_path", image);
		cd_row_text(&r, "image_resolved", resolved);
		cd_row_bool(&r, "image_exists", resolved ? cd_win_file_exists(resolved) : -1);
		cd_row_text(&r, "view", cd_reg_view_name(view));
		cd_row_bool(&r, "enumerated", listed(enumerated, n_enum, enum_known, names[i]));
		cd_row_insert(ctx->facts, &r);
		free(image);
		free(resolved);
		free(where);
		free(sub);
	}
	cd_free_list(names, n);
	cd_reg_close(list);
}

static cd_err collect_csp(struct cd_probe_ctx *ctx)
{
	enum cd_reg_view views[2];
	char **enumerated = NULL;
	size_t n_enum = 0;
	int nv, i;

	/* The registry of this machine says nothing about a system under --root. */
	if (!cd_probe_is_live(ctx))
		return CD_ERR_UNSUPPORTED;
	enum_providers(ctx, &enumerated, &n_enum);
	nv = cd_reg_views(views);
	for (i = 0; i < nv; i++)
		csp_view(ctx, views[i], enumerated, n_enum, views[i] == process_view());
	cd_free_list(enumerated, n_enum);
	return CD_OK;
}

const struct cd_probe cd_probe_win32_csp = {
	"windows.csp",
	"csp",
	collect_csp,
};

static void minidriver_view(struct cd_probe_ctx *ctx, enum cd_reg_view view)
{
	HKEY list;
	char **names;
	size_t n, i;

	if (!open_list(ctx, SMARTCARDS, view, &list, &names, &n))
		return;
	for (i = 0; i < n; i++) {
		char *sub = cd_aprintf("%s\\%s", SMARTCARDS, names[i]);
		char *where = sub ? cd_reg_describe(HKEY_LOCAL_MACHINE, sub, view, NULL) : NULL;
		char *atr = NULL, *mask = NULL, *dll = NULL, *provider = NULL, *resolved = NULL;
		struct cd_row r;
		HKEY k;
		cd_err e;

		if (!where) {
			free(sub);
			break;
		}
		e = cd_reg_open(list, names[i], view, &k);
		if (e == CD_OK) {
			atr = cd_reg_probe_hex(ctx, k, where, "ATR");
			mask = cd_reg_probe_hex(ctx, k, where, "ATRMask");
			/* 80000001 names the minidriver; cards served only by a CSP have none. */
			dll = cd_reg_probe_str(ctx, k, where, "80000001", 0);
			provider = cd_reg_probe_str(ctx, k, where, "Crypto Provider", 0);
			cd_reg_close(k);
		} else {
			cd_probe_error(ctx, where, e, "cannot open the smart card key");
		}
		/* A bare name loads from the system directory of the view. */
		if (dll && *dll)
			resolved = cd_win_expand_path(dll, view);
		cd_row_init(&r, "minidrivers");
		cd_row_text(&r, "card_name", names[i]);
		cd_row_text(&r, "atr", atr);
		cd_row_text(&r, "atr_mask", mask);
		cd_row_text(&r, "dll", dll);
		cd_row_bool(&r, "dll_exists", resolved ? cd_win_file_exists(resolved) : -1);
		cd_row_text(&r, "crypto_provider", provider);
		cd_row_text(&r, "view", cd_reg_view_name(view));
		cd_row_insert(ctx->facts, &r);
		free(atr);
		free(mask);
		free(dll);
		free(provider);
		free(resolved);
		free(where);
		free(sub);
	}
	cd_free_list(names, n);
	cd_reg_close(list);
}

static cd_err collect_minidrivers(struct cd_probe_ctx *ctx)
{
	enum cd_reg_view views[2];
	int nv, i;

	if (!cd_probe_is_live(ctx))
		return CD_ERR_UNSUPPORTED;
	nv = cd_reg_views(views);
	for (i = 0; i < nv; i++)
		minidriver_view(ctx, views[i]);
	return CD_OK;
}

const struct cd_probe cd_probe_win32_minidrivers = {
	"windows.minidrivers",
	"minidrivers",
	collect_minidrivers,
};
