/* The worker side of isolated PKCS#11 probing (protocol: pkcs11_worker.h).
 * Runs in a child process that may be killed at any moment, so every record
 * is flushed as soon as it is written. */
#include "pkcs11_worker.h"

#include <stdlib.h>
#include <string.h>

#include "../platform/platform.h"
#include "pkcs11_min.h"

static const struct {
	unsigned long rv;
	const char *name;
} ckr_names[] = {
	{CKR_OK, "CKR_OK"},
	{CKR_CANCEL, "CKR_CANCEL"},
	{CKR_HOST_MEMORY, "CKR_HOST_MEMORY"},
	{CKR_SLOT_ID_INVALID, "CKR_SLOT_ID_INVALID"},
	{CKR_GENERAL_ERROR, "CKR_GENERAL_ERROR"},
	{CKR_FUNCTION_FAILED, "CKR_FUNCTION_FAILED"},
	{CKR_ARGUMENTS_BAD, "CKR_ARGUMENTS_BAD"},
	{CKR_NEED_TO_CREATE_THREADS, "CKR_NEED_TO_CREATE_THREADS"},
	{CKR_CANT_LOCK, "CKR_CANT_LOCK"},
	{CKR_ATTRIBUTE_SENSITIVE, "CKR_ATTRIBUTE_SENSITIVE"},
	{CKR_ATTRIBUTE_TYPE_INVALID, "CKR_ATTRIBUTE_TYPE_INVALID"},
	{CKR_DEVICE_ERROR, "CKR_DEVICE_ERROR"},
	{CKR_DEVICE_MEMORY, "CKR_DEVICE_MEMORY"},
	{CKR_DEVICE_REMOVED, "CKR_DEVICE_REMOVED"},
	{CKR_FUNCTION_NOT_SUPPORTED, "CKR_FUNCTION_NOT_SUPPORTED"},
	{CKR_OPERATION_ACTIVE, "CKR_OPERATION_ACTIVE"},
	{CKR_OPERATION_NOT_INITIALIZED, "CKR_OPERATION_NOT_INITIALIZED"},
	{CKR_PIN_LOCKED, "CKR_PIN_LOCKED"},
	{CKR_SESSION_COUNT, "CKR_SESSION_COUNT"},
	{CKR_SESSION_HANDLE_INVALID, "CKR_SESSION_HANDLE_INVALID"},
	{CKR_SESSION_PARALLEL_NOT_SUPPORTED, "CKR_SESSION_PARALLEL_NOT_SUPPORTED"},
	{CKR_TEMPLATE_INCOMPLETE, "CKR_TEMPLATE_INCOMPLETE"},
	{CKR_TOKEN_NOT_PRESENT, "CKR_TOKEN_NOT_PRESENT"},
	{CKR_TOKEN_NOT_RECOGNIZED, "CKR_TOKEN_NOT_RECOGNIZED"},
	{CKR_USER_NOT_LOGGED_IN, "CKR_USER_NOT_LOGGED_IN"},
	{CKR_BUFFER_TOO_SMALL, "CKR_BUFFER_TOO_SMALL"},
	{CKR_CRYPTOKI_NOT_INITIALIZED, "CKR_CRYPTOKI_NOT_INITIALIZED"},
	{CKR_CRYPTOKI_ALREADY_INITIALIZED, "CKR_CRYPTOKI_ALREADY_INITIALIZED"},
};

const char *cd_ckr_name(unsigned long rv)
{
	size_t i;
	for (i = 0; i < sizeof(ckr_names) / sizeof(ckr_names[0]); i++)
		if (ckr_names[i].rv == rv)
			return ckr_names[i].name;
	return rv >= CKR_VENDOR_DEFINED ? "CKR_VENDOR_DEFINED" : NULL;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

void cd_p11_unescape(char *s)
{
	char *w = s;
	for (; *s; s++) {
		int hi, lo;
		if (*s == '%' && (hi = hexval((unsigned char)s[1])) >= 0 &&
		    (lo = hexval((unsigned char)s[2])) >= 0) {
			*w++ = (char)(hi * 16 + lo);
			s += 2;
		} else {
			*w++ = *s;
		}
	}
	*w = '\0';
}

/* ---- writing records ---- */

static void put_escaped(FILE *out, const unsigned char *p, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++) {
		unsigned char c = p[i];
		if (c < 0x20 || c == 0x7f || c == '%')
			fprintf(out, "%%%02X", c);
		else
			fputc(c, out);
	}
}

/* key=value with a blank-padded PKCS#11 string: trailing blanks and NULs go. */
static void put_fixed(FILE *out, const char *key, const unsigned char *p, size_t n)
{
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\0'))
		n--;
	fprintf(out, "\t%s=", key);
	put_escaped(out, p, n);
}

static void put_hex(FILE *out, const char *key, const unsigned char *p, size_t n)
{
	size_t i;
	fprintf(out, "\t%s=", key);
	for (i = 0; i < n; i++)
		fprintf(out, "%02x", p[i]);
}

static void end_record(FILE *out)
{
	fputc('\n', out);
	fflush(out);
}

static void rec_call(FILE *out, const char *fn, int has_slot, CK_SLOT_ID slot)
{
	fprintf(out, "call\tfn=%s", fn);
	if (has_slot)
		fprintf(out, "\tslot=%lu", (unsigned long)slot);
	end_record(out);
}

static void rec_error(FILE *out, const char *kind, const char *step, int has_slot, CK_SLOT_ID slot,
		      CK_RV rv)
{
	const char *name = cd_ckr_name(rv);
	fprintf(out, "%s\tstep=%s", kind, step);
	if (has_slot)
		fprintf(out, "\tslot=%lu", (unsigned long)slot);
	fprintf(out, "\trv=0x%lx", (unsigned long)rv);
	if (name)
		fprintf(out, "\tname=%s", name);
	end_record(out);
}

static void rec_message(FILE *out, const char *kind, const char *step, const char *msg)
{
	fprintf(out, "%s\tstep=%s\tmessage=", kind, step);
	put_escaped(out, (const unsigned char *)msg, strlen(msg));
	end_record(out);
}

/* ---- reading a module ---- */

/* Reads one attribute of an object into a new buffer: *len = (CK_ULONG)-1
 * when the module has no value for it. */
static unsigned char *get_attr(FILE *out, CK_FUNCTION_LIST *f, CK_SESSION_HANDLE s, CK_SLOT_ID slot,
			       CK_OBJECT_HANDLE o, CK_ATTRIBUTE_TYPE type, CK_ULONG *len)
{
	CK_ATTRIBUTE a;
	unsigned char *v;
	CK_RV rv;

	*len = CK_UNAVAILABLE_INFORMATION;
	a.type = type;
	a.pValue = NULL;
	a.ulValueLen = 0;
	rv = f->C_GetAttributeValue(s, o, &a, 1);
	if (rv != CKR_OK || a.ulValueLen == CK_UNAVAILABLE_INFORMATION) {
		if (rv != CKR_OK && rv != CKR_ATTRIBUTE_TYPE_INVALID && rv != CKR_ATTRIBUTE_SENSITIVE)
			rec_error(out, "error", "C_GetAttributeValue", 1, slot, rv);
		return NULL;
	}
	if (a.ulValueLen > CD_P11_MAX_VALUE) {
		rec_message(out, "error", "C_GetAttributeValue", "attribute value larger than 1 MiB: skipped");
		return NULL;
	}
	/* One spare byte: a module that writes one more than it announced. */
	v = calloc(1, (size_t)a.ulValueLen + 16);
	if (!v)
		return NULL;
	a.pValue = v;
	rv = f->C_GetAttributeValue(s, o, &a, 1);
	if (rv != CKR_OK || a.ulValueLen == CK_UNAVAILABLE_INFORMATION || a.ulValueLen > CD_P11_MAX_VALUE) {
		if (rv != CKR_OK)
			rec_error(out, "error", "C_GetAttributeValue", 1, slot, rv);
		free(v);
		return NULL;
	}
	*len = a.ulValueLen;
	return v;
}

/* CKA_IDs of the private keys a session sees without login, to mark the
 * certificates whose key is there. Most tokens hide private keys until
 * login (CKA_PRIVATE): then none is found, and that says nothing. */
#define MAX_KEY_IDS 64
struct key_ids {
	unsigned char *id[MAX_KEY_IDS];
	CK_ULONG len[MAX_KEY_IDS];
	size_t n;
};

static void read_key_ids(FILE *out, CK_FUNCTION_LIST *f, CK_SESSION_HANDLE s, CK_SLOT_ID slot, struct key_ids *k)
{
	CK_OBJECT_CLASS cls = CKO_PRIVATE_KEY;
	CK_ATTRIBUTE tmpl;
	CK_OBJECT_HANDLE objs[MAX_KEY_IDS + 8];
	CK_ULONG n = 0, i;
	CK_RV rv;

	tmpl.type = CKA_CLASS;
	tmpl.pValue = &cls;
	tmpl.ulValueLen = sizeof(cls);
	rec_call(out, "C_FindObjects(private keys)", 1, slot);
	rv = f->C_FindObjectsInit(s, &tmpl, 1);
	if (rv != CKR_OK) {
		rec_error(out, "error", "C_FindObjectsInit(private keys)", 1, slot, rv);
		return;
	}
	rv = f->C_FindObjects(s, objs, MAX_KEY_IDS, &n);
	if (rv != CKR_OK) {
		rec_error(out, "error", "C_FindObjects(private keys)", 1, slot, rv);
		n = 0;
	}
	if (n > MAX_KEY_IDS)
		n = MAX_KEY_IDS; /* returned more than asked for */
	for (i = 0; i < n; i++) {
		CK_ULONG len;
		unsigned char *id = get_attr(out, f, s, slot, objs[i], CKA_ID, &len);
		if (id && len > 0 && k->n < MAX_KEY_IDS) {
			k->id[k->n] = id;
			k->len[k->n++] = len;
		} else {
			free(id);
		}
	}
	f->C_FindObjectsFinal(s);
}

static void release_key_ids(struct key_ids *k)
{
	size_t i;
	for (i = 0; i < k->n; i++)
		free(k->id[i]);
	k->n = 0;
}

static int has_key_id(const struct key_ids *k, const unsigned char *id, CK_ULONG len)
{
	size_t i;
	for (i = 0; id && len > 0 && i < k->n; i++)
		if (k->len[i] == len && !memcmp(k->id[i], id, len))
			return 1;
	return 0;
}

/* Certificate objects of a token, from a read-only session without login.
 * An uninitialised token has none; its refusal to open a session is no error. */
static void read_certs(FILE *out, CK_FUNCTION_LIST *f, CK_SLOT_ID slot, int initialized)
{
	struct key_ids keys;
	CK_OBJECT_CLASS cls = CKO_CERTIFICATE;
	CK_ATTRIBUTE tmpl;
	CK_SESSION_HANDLE s = 0;
	CK_OBJECT_HANDLE objs[32 + 8];
	CK_ULONG n = 0, total = 0, i;
	CK_RV rv;

	rec_call(out, "C_OpenSession", 1, slot);
	rv = f->C_OpenSession(slot, CKF_SERIAL_SESSION, NULL, NULL, &s);
	if (rv != CKR_OK) {
		if (initialized)
			rec_error(out, "error", "C_OpenSession", 1, slot, rv);
		return;
	}
	memset(&keys, 0, sizeof(keys));
	read_key_ids(out, f, s, slot, &keys);
	tmpl.type = CKA_CLASS;
	tmpl.pValue = &cls;
	tmpl.ulValueLen = sizeof(cls);
	rec_call(out, "C_FindObjects", 1, slot);
	rv = f->C_FindObjectsInit(s, &tmpl, 1);
	if (rv != CKR_OK) {
		rec_error(out, "error", "C_FindObjectsInit", 1, slot, rv);
		f->C_CloseSession(s);
		release_key_ids(&keys);
		return;
	}
	for (;;) {
		n = 0;
		rv = f->C_FindObjects(s, objs, 32, &n);
		if (rv != CKR_OK) {
			rec_error(out, "error", "C_FindObjects", 1, slot, rv);
			break;
		}
		if (n == 0)
			break;
		if (n > 32)
			n = 32; /* returned more than asked for */
		for (i = 0; i < n && total < CD_P11_MAX_CERTS; i++, total++) {
			CK_ULONG vlen, llen, ilen;
			unsigned char *value = get_attr(out, f, s, slot, objs[i], CKA_VALUE, &vlen);
			unsigned char *label = get_attr(out, f, s, slot, objs[i], CKA_LABEL, &llen);
			unsigned char *id = get_attr(out, f, s, slot, objs[i], CKA_ID, &ilen);
			fprintf(out, "cert\tslot=%lu", (unsigned long)slot);
			if (label) {
				fprintf(out, "\tlabel=");
				put_escaped(out, label, llen);
			}
			if (id)
				put_hex(out, "id", id, ilen);
			if (value)
				put_hex(out, "value", value, vlen);
			if (has_key_id(&keys, id, ilen))
				fprintf(out, "\tkey=1");
			end_record(out);
			free(value);
			free(label);
			free(id);
		}
		if (total >= CD_P11_MAX_CERTS) {
			rec_message(out, "error", "C_FindObjects", "more than 512 certificates: the rest skipped");
			break;
		}
	}
	f->C_FindObjectsFinal(s);
	f->C_CloseSession(s);
	release_key_ids(&keys);
}

static void read_slot(FILE *out, CK_FUNCTION_LIST *f, CK_SLOT_ID slot, int listed_present)
{
	CK_SLOT_INFO si;
	CK_TOKEN_INFO ti;
	CK_RV rv;
	int present = listed_present;

	memset(&si, 0, sizeof(si));
	rec_call(out, "C_GetSlotInfo", 1, slot);
	rv = f->C_GetSlotInfo(slot, &si);
	if (rv != CKR_OK) {
		rec_error(out, "error", "C_GetSlotInfo", 1, slot, rv);
	} else {
		present = present || (si.flags & CKF_TOKEN_PRESENT);
		fprintf(out, "slot\tid=%lu", (unsigned long)slot);
		put_fixed(out, "description", si.slotDescription, sizeof(si.slotDescription));
		put_fixed(out, "manufacturer", si.manufacturerID, sizeof(si.manufacturerID));
		fprintf(out, "\tflags=%lu\tpresent=%d", (unsigned long)si.flags, present);
		end_record(out);
	}
	if (!present)
		return;
	memset(&ti, 0, sizeof(ti));
	rec_call(out, "C_GetTokenInfo", 1, slot);
	rv = f->C_GetTokenInfo(slot, &ti);
	if (rv != CKR_OK) {
		rec_error(out, "error", "C_GetTokenInfo", 1, slot, rv);
		return;
	}
	fprintf(out, "token\tslot=%lu", (unsigned long)slot);
	put_fixed(out, "label", ti.label, sizeof(ti.label));
	put_fixed(out, "manufacturer", ti.manufacturerID, sizeof(ti.manufacturerID));
	put_fixed(out, "model", ti.model, sizeof(ti.model));
	put_fixed(out, "serial", ti.serialNumber, sizeof(ti.serialNumber));
	fprintf(out, "\tflags=%lu", (unsigned long)ti.flags);
	end_record(out);
	read_certs(out, f, slot, (ti.flags & CKF_TOKEN_INITIALIZED) != 0);
}

/* C_GetSlotList into a new array. The array is larger than the module asked
 * for, so a module that writes more slots than it announced does not write
 * past it; the surplus is reported and dropped. */
static CK_SLOT_ID *slot_list(FILE *out, CK_FUNCTION_LIST *f, CK_BBOOL present, CK_ULONG *count)
{
	const char *step = present ? "C_GetSlotList(TRUE)" : "C_GetSlotList(FALSE)";
	CK_SLOT_ID *v = NULL;
	CK_ULONG n = 0, announced, cap;
	CK_RV rv;
	int tries;

	*count = 0;
	for (tries = 0; tries < 4; tries++) {
		n = 0;
		rv = f->C_GetSlotList(present, NULL, &n);
		if (rv != CKR_OK) {
			rec_error(out, "error", step, 0, 0, rv);
			return NULL;
		}
		if (n > CD_P11_MAX_SLOTS) {
			rec_message(out, "error", step, "the module announces more than 256 slots: only 256 read");
			n = CD_P11_MAX_SLOTS;
		}
		announced = n;
		cap = n + 64;
		free(v);
		v = calloc((size_t)cap, sizeof(*v));
		if (!v)
			return NULL;
		if (n == 0) {
			*count = 0;
			return v;
		}
		rv = f->C_GetSlotList(present, v, &n);
		if (rv == CKR_BUFFER_TOO_SMALL)
			continue; /* a token came in between the two calls */
		if (rv != CKR_OK) {
			rec_error(out, "error", step, 0, 0, rv);
			free(v);
			return NULL;
		}
		if (n > announced) {
			fprintf(out, "slots\tstep=%s\tannounced=%lu\treturned=%lu", step, (unsigned long)announced,
				(unsigned long)n);
			end_record(out);
			n = n > cap ? cap : n;
			if (n > CD_P11_MAX_SLOTS)
				n = CD_P11_MAX_SLOTS;
		}
		*count = n;
		return v;
	}
	rec_message(out, "error", step, "CKR_BUFFER_TOO_SMALL four times in a row");
	free(v);
	return NULL;
}

int cd_pkcs11_worker(const char *module_path, FILE *out)
{
	CK_C_GetFunctionList get_list = NULL;
	CK_FUNCTION_LIST *f = NULL;
	CK_C_INITIALIZE_ARGS args;
	CK_INFO info;
	CK_SLOT_ID *all, *with_token;
	CK_ULONG n_all = 0, n_tok = 0, i, j;
	CK_RV rv;
	char err[512];
	void *lib, *sym;

	fprintf(out, "%s", CD_P11_PROTO_HEADER);
	end_record(out);
	if (!module_path || !*module_path) {
		rec_message(out, "fatal", "load", "no module path given");
		return 2;
	}
	rec_call(out, "load", 0, 0);
	err[0] = '\0';
	lib = cd_lib_open(module_path, err, sizeof(err));
	if (!lib) {
		rec_message(out, "fatal", "load", err[0] ? err : "cannot load the library");
		fprintf(out, "end");
		end_record(out);
		return 0;
	}
	sym = cd_lib_sym(lib, "C_GetFunctionList");
	if (!sym) {
		rec_message(out, "fatal", "C_GetFunctionList",
			    "the library exports no C_GetFunctionList: not a PKCS#11 module");
		fprintf(out, "end");
		end_record(out);
		return 0;
	}
	memcpy(&get_list, &sym, sizeof(get_list));
	rec_call(out, "C_GetFunctionList", 0, 0);
	rv = get_list(&f);
	if (rv != CKR_OK || !f) {
		rec_error(out, "fatal", "C_GetFunctionList", 0, 0, rv == CKR_OK ? CKR_GENERAL_ERROR : rv);
		fprintf(out, "end");
		end_record(out);
		return 0;
	}
	if (!f->C_Initialize || !f->C_GetInfo || !f->C_GetSlotList || !f->C_GetSlotInfo ||
	    !f->C_GetTokenInfo || !f->C_OpenSession || !f->C_CloseSession || !f->C_FindObjectsInit ||
	    !f->C_FindObjects || !f->C_FindObjectsFinal || !f->C_GetAttributeValue) {
		rec_message(out, "fatal", "C_GetFunctionList", "the function list has empty entries");
		fprintf(out, "end");
		end_record(out);
		return 0;
	}

	/* The library's own OS locking; no callbacks into cadoctor. */
	memset(&args, 0, sizeof(args));
	args.flags = CKF_OS_LOCKING_OK;
	rec_call(out, "C_Initialize", 0, 0);
	rv = f->C_Initialize(&args);
	if (rv != CKR_OK && rv != CKR_CRYPTOKI_ALREADY_INITIALIZED) {
		rec_error(out, "fatal", "C_Initialize", 0, 0, rv);
		fprintf(out, "end");
		end_record(out);
		return 0;
	}

	memset(&info, 0, sizeof(info));
	rec_call(out, "C_GetInfo", 0, 0);
	rv = f->C_GetInfo(&info);
	if (rv != CKR_OK) {
		rec_error(out, "error", "C_GetInfo", 0, 0, rv);
	} else {
		fprintf(out, "module\tcryptoki=%u.%u", info.cryptokiVersion.major, info.cryptokiVersion.minor);
		put_fixed(out, "manufacturer", info.manufacturerID, sizeof(info.manufacturerID));
		put_fixed(out, "description", info.libraryDescription, sizeof(info.libraryDescription));
		fprintf(out, "\tlibrary=%u.%u", info.libraryVersion.major, info.libraryVersion.minor);
		end_record(out);
	}

	rec_call(out, "C_GetSlotList", 0, 0);
	all = slot_list(out, f, CK_FALSE, &n_all);
	with_token = slot_list(out, f, CK_TRUE, &n_tok);
	for (i = 0; all && i < n_all; i++) {
		int listed = 0;
		for (j = 0; with_token && j < n_tok; j++)
			if (with_token[j] == all[i])
				listed = 1;
		read_slot(out, f, all[i], listed);
	}
	/* A slot with a token that the full list left out. */
	for (j = 0; with_token && j < n_tok; j++) {
		int seen = 0;
		for (i = 0; all && i < n_all; i++)
			if (all[i] == with_token[j])
				seen = 1;
		if (!seen)
			read_slot(out, f, with_token[j], 1);
	}
	free(all);
	free(with_token);

	rec_call(out, "C_Finalize", 0, 0);
	if (f->C_Finalize)
		f->C_Finalize(NULL);
	/* The library stays loaded: some modules crash when unloaded, and the
	 * process ends right after this. */
	fprintf(out, "end");
	end_record(out);
	return 0;
}
