/* Certificates in the Windows personal ("MY") stores of the current user and
 * of the machine, through CryptoAPI: one certificates row per certificate
 * (source "store", location "CurrentUser\MY" / "LocalMachine\MY"), parsed by
 * x509.c, with the CSP and key container from its key provider info. A
 * certificate with key provider info has a private key linked to it (on a
 * token, that is where the CSP finds the key).
 *
 * When elevated, the personal certificates of the other users, who may not be
 * logged on (CryptoAPI opens only the current user's store), are read from
 * the files in their profiles, %APPDATA%\Microsoft\SystemCertificates\My\
 * Certificates\<SHA1>, by certser.c: source "profile_file", location
 * "<user>\MY", with the key provider info the file holds. Certificates
 * their registry holds (HKCU\Software\Microsoft\SystemCertificates\My\
 * Certificates\<SHA1>, value "Blob", the same element format: older or
 * roaming set-ups keep them there) are read from their hive, loaded for the
 * read when they are not logged on: source "profile_registry".
 *
 * Only the system stores are opened, read-only and only when they exist. The
 * "UserDS" store (the user's certificates in Active Directory) is NOT opened:
 * on a domain machine whose controller is out of reach, opening it can stall
 * for minutes. */
#include <windows.h>
#include <wincrypt.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "../core/probe.h"
#include "../core/util.h"
#include "../platform/platform.h"
#include "../platform/win32_util.h"
#include "certser.h"
#include "win32_profiles.h"
#include "win32_reg.h"
#include "x509.h"

#define MAX_PROV_INFO ((DWORD)1 << 16) /* bigger key provider info is not read */

/* A UTF-16 string of the key provider info blob buf[0..size), read only
 * within the blob when it points into it (CryptoAPI puts it there). */
static char *prov_str(const BYTE *buf, DWORD size, const wchar_t *w)
{
	const BYTE *p = (const BYTE *)w;
	if (!w)
		return NULL;
	if (p >= buf && p < buf + size) {
		size_t max = (size_t)(buf + size - p) / sizeof(wchar_t);
		return cd_utf8_from_w_n(w, (int)wcsnlen(w, max));
	}
	return cd_utf8_from_w(w);
}

/* The provider and container of ctx's CERT_KEY_PROV_INFO_PROP_ID, if any.
 * Returns 1 when the property is present. */
static int key_prov_info(PCCERT_CONTEXT cert, char **provider, char **container)
{
	DWORD size = 0;
	BYTE *buf;
	const CRYPT_KEY_PROV_INFO *info;
	*provider = *container = NULL;
	if (!CertGetCertificateContextProperty(cert, CERT_KEY_PROV_INFO_PROP_ID, NULL, &size))
		return 0;
	if (size < sizeof(CRYPT_KEY_PROV_INFO) || size > MAX_PROV_INFO)
		return 1;
	buf = malloc(size);
	if (!buf)
		return 1;
	if (CertGetCertificateContextProperty(cert, CERT_KEY_PROV_INFO_PROP_ID, buf, &size) &&
	    size >= sizeof(CRYPT_KEY_PROV_INFO)) {
		info = (const CRYPT_KEY_PROV_INFO *)buf;
		*provider = prov_str(buf, size, info->pwszProvName);
		*container = prov_str(buf, size, info->pwszContainerName);
	}
	free(buf);
	return 1;
}

static void read_store(struct cd_probe_ctx *ctx, DWORD where, const char *location, const char *user)
{
	HCERTSTORE store;
	PCCERT_CONTEXT cert = NULL;
	store = CertOpenStore(CERT_STORE_PROV_SYSTEM_W, 0, 0,
			      where | CERT_STORE_READONLY_FLAG | CERT_STORE_OPEN_EXISTING_FLAG, L"MY");
	if (!store) {
		DWORD err = GetLastError();
		/* A store nobody has created yet (a fresh profile) holds no
		 * certificates: that is an answer, not a failure. */
		if (err == ERROR_FILE_NOT_FOUND || err == ERROR_PATH_NOT_FOUND)
			return;
		cd_probe_error(ctx, location,
			       err == ERROR_ACCESS_DENIED		? CD_ERR_DENIED
			       : err == ERROR_FILE_NOT_FOUND ? CD_ERR_NOT_FOUND
							     : CD_ERR_IO,
			       "cannot open the certificate store (error %lu)", (unsigned long)err);
		return;
	}
	while ((cert = CertEnumCertificatesInStore(store, cert)) != NULL) {
		struct cd_x509 x;
		struct cd_row row;
		char *provider = NULL, *container = NULL;
		int has_key;
		memset(&x, 0, sizeof(x));
		if (cert->pbCertEncoded && cert->cbCertEncoded)
			cd_x509_parse(cert->pbCertEncoded, cert->cbCertEncoded, &x);
		else
			x.parse_error = cd_strdup("the store holds an empty certificate");
		has_key = key_prov_info(cert, &provider, &container);
		cd_row_init(&row, "certificates");
		cd_row_text(&row, "source", "store");
		cd_row_text(&row, "location", location);
		cd_row_text(&row, "user", user);
		cd_x509_fill_row(&x, &row);
		cd_row_text(&row, "provider", provider);
		cd_row_text(&row, "container", container);
		cd_row_int(&row, "has_private_key", has_key);
		if (cd_row_insert(ctx->facts, &row))
			cd_probe_error(ctx, location, CD_ERR_SQL, "cannot store a certificate row");
		cd_x509_release(&x);
		free(provider);
		free(container);
	}
	CertCloseStore(store, 0);
}

#define USER_CERT_DIR "AppData\\Roaming\\Microsoft\\SystemCertificates\\My\\Certificates"
#define MAX_CERT_FILE ((size_t)1 << 20)

/* One serialized certificate store element of another user's MY store:
 * a file (source "profile_file") or a registry "Blob" (source
 * "profile_registry"); where names it in messages. */
static void cert_element(struct cd_probe_ctx *ctx, const char *user, const char *location,
			 const char *source, const char *where, const unsigned char *data, size_t len)
{
	struct cd_cert_element el;
	struct cd_x509 x;
	struct cd_row row;

	memset(&x, 0, sizeof(x));
	cd_cert_element_parse(data, len, &el);
	if (el.cert)
		cd_x509_parse(el.cert, el.cert_len, &x);
	else
		x.parse_error = cd_aprintf("not a certificate store element: %s", el.error ? el.error : "?");
	/* A damaged key provider info does not hide the certificate. */
	if (el.cert && el.error)
		cd_probe_error(ctx, where, CD_ERR_PARSE, "damaged certificate element: %s", el.error);
	cd_row_init(&row, "certificates");
	cd_row_text(&row, "source", source);
	cd_row_text(&row, "location", location);
	cd_row_text(&row, "user", user);
	cd_x509_fill_row(&x, &row);
	cd_row_text(&row, "provider", el.provider);
	cd_row_text(&row, "container", el.container);
	cd_row_int(&row, "has_private_key", el.has_key_prov_info);
	if (cd_row_insert(ctx->facts, &row))
		cd_probe_error(ctx, where, CD_ERR_SQL, "cannot store a certificate row");
	cd_x509_release(&x);
	cd_cert_element_release(&el);
}

/* One serialized certificate file of another user's MY store. */
static void cert_file(struct cd_probe_ctx *ctx, const char *user, const char *location, const char *path)
{
	char *data = NULL;
	size_t len = 0;
	cd_err e = cd_read_file(path, MAX_CERT_FILE, &data, &len);

	if (e) {
		cd_probe_error(ctx, path, e, "cannot read the certificate file: %s", cd_err_message(e));
		free(data);
		return;
	}
	cert_element(ctx, user, location, "profile_file", path, (const unsigned char *)data, len);
	free(data);
}

/* Another user's MY store files (cd_win_other_profiles). */
static void other_user(struct cd_probe_ctx *ctx, const char *user, const char *profile, void *ud)
{
	char *dir = cd_aprintf("%s\\" USER_CERT_DIR, profile), *location = cd_aprintf("%s\\MY", user);
	char **names = NULL;
	size_t n = 0, i;
	cd_err e;
	(void)ud;
	if (!dir || !location || !cd_is_dir(dir)) {
		free(dir);
		free(location);
		return; /* no personal certificate was ever stored */
	}
	e = cd_list_dir(dir, &names, &n);
	if (e)
		cd_probe_error(ctx, dir, e, "cannot list the user's certificate files");
	for (i = 0; !e && i < n; i++) {
		char *path = cd_aprintf("%s\\%s", dir, names[i]);
		if (path && !cd_is_dir(path))
			cert_file(ctx, user, location, path);
		free(path);
	}
	cd_free_list(names, n);
	free(dir);
	free(location);
}

#define USER_CERT_KEY "Software\\Microsoft\\SystemCertificates\\My\\Certificates"

/* The "Blob" value of one registry-held certificate: a new buffer, or NULL
 * with a probe error. */
static unsigned char *read_blob(struct cd_probe_ctx *ctx, HKEY k, const char *where, DWORD *len)
{
	DWORD type = 0, n = 0;
	unsigned char *buf;
	LONG rc = RegQueryValueExW(k, L"Blob", NULL, &type, NULL, &n);
	if (rc == ERROR_FILE_NOT_FOUND) {
		cd_probe_error(ctx, where, CD_ERR_NOT_FOUND, "the certificate key has no Blob value");
		return NULL;
	}
	if (rc != ERROR_SUCCESS || type != REG_BINARY || n == 0 || n > MAX_CERT_FILE) {
		cd_probe_error(ctx, where, rc != ERROR_SUCCESS ? CD_ERR_IO : CD_ERR_PARSE,
			       "the certificate's Blob value cannot be read (error %ld, type %lu, %lu bytes)",
			       (long)rc, (unsigned long)type, (unsigned long)n);
		return NULL;
	}
	buf = malloc(n);
	if (buf && RegQueryValueExW(k, L"Blob", NULL, &type, buf, &n) == ERROR_SUCCESS)
		*len = n;
	else {
		cd_probe_error(ctx, where, buf ? CD_ERR_IO : CD_ERR_NOMEM, "cannot read the certificate's Blob value");
		free(buf);
		buf = NULL;
	}
	return buf;
}

/* Another user's registry-held MY certificates (cd_win_other_hives):
 * HKCU\Software\Microsoft\SystemCertificates\My\Certificates\<SHA1>,
 * value "Blob", the same serialized element as the store files. */
static void other_hive(struct cd_probe_ctx *ctx, const char *sid, const char *user,
		       const char *hive, const char *file, void *ud)
{
	char *base = cd_aprintf("%s\\%s", hive, USER_CERT_KEY), *location = cd_aprintf("%s\\MY", user);
	char **names = NULL;
	size_t n = 0, i;
	HKEY list = NULL;
	cd_err e = base && location ? cd_reg_open(HKEY_USERS, base, CD_REG_VIEW_64, &list) : CD_ERR_NOMEM;
	(void)sid;
	(void)ud;
	if (e == CD_OK)
		e = cd_reg_subkeys(list, &names, &n);
	if (e && e != CD_ERR_NOT_FOUND) {
		char *where = cd_aprintf("HKU\\%s%s%s%s", base ? base : hive, file ? " (" : "",
					 file ? file : "", file ? ")" : "");
		cd_probe_error(ctx, where ? where : hive, e, "cannot list the user's registry certificates");
		free(where);
	}
	for (i = 0; e == CD_OK && i < n; i++) {
		char *where = cd_aprintf("HKU\\%s\\%s%s%s%s", base, names[i], file ? " (" : "",
					 file ? file : "", file ? ")" : "");
		HKEY k;
		DWORD len = 0;
		unsigned char *blob;
		if (!where)
			break;
		if (cd_reg_open(list, names[i], CD_REG_VIEW_64, &k) == CD_OK) {
			blob = read_blob(ctx, k, where, &len);
			cd_reg_close(k);
			if (blob)
				cert_element(ctx, user, location, "profile_registry", where, blob, len);
			free(blob);
		} else {
			cd_probe_error(ctx, where, CD_ERR_IO, "cannot open the certificate key");
		}
		free(where);
	}
	cd_free_list(names, n);
	cd_reg_close(list);
	free(base);
	free(location);
}

static cd_err collect_certstore(struct cd_probe_ctx *ctx)
{
	wchar_t wuser[256 + 1];
	DWORD n = 256 + 1;
	char *user = NULL;
	if (!cd_probe_is_live(ctx))
		return CD_ERR_UNSUPPORTED;
	if (GetUserNameW(wuser, &n))
		user = cd_utf8_from_w(wuser);
	read_store(ctx, CERT_SYSTEM_STORE_CURRENT_USER, "CurrentUser\\MY", user);
	read_store(ctx, CERT_SYSTEM_STORE_LOCAL_MACHINE, "LocalMachine\\MY", NULL);
	if (cd_win_is_elevated()) {
		char *own = cd_win_own_profile();
		cd_win_other_profiles(ctx, own, other_user, NULL);
		free(own);
		cd_win_other_hives(ctx, "registry certificates", other_hive, NULL);
	}
	free(user);
	return CD_OK;
}

const struct cd_probe cd_probe_win32_certstore = {
	"windows.certstore",
	"certificates",
	collect_certstore,
};
