/* A PKCS#11 module that misbehaves on purpose, for tests/integration/
 * probe_pkcs11.sh and the Wine machine tests/wine/machines/pkcs11_middleware.
 * The behaviour (the variant) comes from the name of the file it was loaded
 * from (the Linux test copies the one library to several names), or from the
 * first line "variant NAME" of a side file next to it, FILE.testmod (the Wine
 * machine plants it under fixed catalog DLL names):
 *   *locked*     one token whose user PIN is locked
 *   *finaltry*   one token on its final PIN try (count low too)
 *   *crash*      crashes in C_GetSlotList
 *   *hang*       hangs in C_GetTokenInfo (after C_GetInfo answered)
 *   *initfail*   C_Initialize returns CKR_DEVICE_ERROR
 *   *manyslots*  announces 1 slot, then writes and returns 3
 *   *badcerts*   besides the files below, serves a malformed certificate,
 *                a zero-length value and a certificate cut short
 *   *empty*      one initialised token with no certificate at all
 *   *keys*       a private key with the first certificate's CKA_ID that is
 *                visible without login
 *   *gbk*        the token label is GBK bytes ("测试锁 GBK"), not UTF-8
 * Every token serves as certificate objects the DER files listed in
 * CD_P11TEST_CERTS (colon separated) and in "cert PATH" lines of the side
 * file, except *empty*. Every variant prints junk that looks like worker
 * records to stdout in C_Initialize: the reader must not take it for facts.
 * What differs between Linux and Windows (finding its own file, sleeping) is
 * in pkcs11_testmod_posix.c / pkcs11_testmod_win32.c. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkcs11_testmod.h"
#include "probes/pkcs11_min.h"

static char self_path[1024];
static char variant_name[1024];
static int variant_from_side_file;

/* The side file's "KEY VALUE" lines, for key, calling fn on each value. */
static void side_file(const char *key, void (*fn)(const char *value))
{
	char path[1100], line[1100];
	size_t kl = strlen(key);
	FILE *f;
	snprintf(path, sizeof(path), "%s.testmod", self_path);
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (!strncmp(line, key, kl) && line[kl] == ' ')
			fn(line + kl + 1);
	}
	fclose(f);
}

static void set_variant(const char *v)
{
	snprintf(variant_name, sizeof(variant_name), "%s", v);
}

static const char *variant(void)
{
	const char *base;
	if (variant_name[0])
		return variant_name;
	if (testmod_self_path(self_path, sizeof(self_path)))
		return "";
	base = strrchr(self_path, '/');
	if (!base)
		base = strrchr(self_path, '\\');
	set_variant(base ? base + 1 : self_path);
	side_file("variant", set_variant);
	variant_from_side_file = strcmp(variant_name, base ? base + 1 : self_path) != 0;
	return variant_name;
}

static int is(const char *what)
{
	return strstr(variant(), what) != NULL;
}

static void pad(CK_UTF8CHAR *dst, size_t n, const char *s)
{
	size_t l = strlen(s);
	memset(dst, ' ', n);
	memcpy(dst, s, l < n ? l : n);
}

/* ---- certificate objects ---- */
struct obj {
	CK_OBJECT_CLASS cls;
	unsigned char id;
	unsigned char *value;
	size_t len;
	char label[64];
};
static struct obj objs[64];
static size_t nobjs, found_pos;
static CK_OBJECT_CLASS found_class; /* C_FindObjectsInit's CKA_CLASS, else ~0 */
static int initialized;

static void add_obj(const unsigned char *v, size_t n, const char *label)
{
	if (nobjs >= 64)
		return;
	objs[nobjs].cls = CKO_CERTIFICATE;
	objs[nobjs].id = (unsigned char)(nobjs + 1);
	objs[nobjs].value = malloc(n ? n : 1);
	if (n)
		memcpy(objs[nobjs].value, v, n);
	objs[nobjs].len = n;
	snprintf(objs[nobjs].label, sizeof(objs[nobjs].label), "%s", label);
	nobjs++;
}

static void add_file(const char *p)
{
	static unsigned char buf[65536];
	FILE *f = fopen(p, "rb");
	size_t n;
	const char *b = strrchr(p, '/');
	if (!b)
		b = strrchr(p, '\\');
	if (!f)
		return;
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	add_obj(buf, n, b ? b + 1 : p);
}

static void load_objs(void)
{
	const char *env = getenv("CD_P11TEST_CERTS");
	nobjs = 0;
	if (is("empty"))
		return;
	while (env && *env) {
		char one[1024];
		size_t n = strcspn(env, ":");
		snprintf(one, sizeof(one), "%.*s", (int)n, env);
		if (n)
			add_file(one);
		env += n + (env[n] == ':');
	}
	side_file("cert", add_file);
	if (is("badcerts")) {
		static const unsigned char junk[] = { 0x30, 0x82, 0x7f, 0xff, 0x02, 0x01, 0x00, 0xde, 0xad };
		add_obj(junk, sizeof(junk), "malformed");
		add_obj(NULL, 0, "zero-length");
		if (nobjs > 0 && objs[0].len > 40)
			add_obj(objs[0].value, objs[0].len / 2, "cut-short");
	}
	if (is("keys") && nobjs > 0) {
		add_obj(NULL, 0, "private key");
		objs[nobjs - 1].cls = CKO_PRIVATE_KEY;
		objs[nobjs - 1].id = objs[0].id;
	}
}

/* ---- the functions ---- */
static CK_RV C_Initialize(CK_VOID_PTR a)
{
	(void)a;
	printf("vendor debug: init\ncert\tslot=0\tvalue=3000\nend\n");
	fflush(stdout);
	if (is("initfail"))
		return CKR_DEVICE_ERROR;
	if (initialized)
		return CKR_CRYPTOKI_ALREADY_INITIALIZED;
	initialized = 1;
	load_objs();
	return CKR_OK;
}

static CK_RV C_Finalize(CK_VOID_PTR r)
{
	(void)r;
	initialized = 0;
	return CKR_OK;
}

static CK_RV C_GetInfo(CK_INFO *i)
{
	memset(i, 0, sizeof(*i));
	i->cryptokiVersion.major = 2;
	i->cryptokiVersion.minor = 40;
	pad(i->manufacturerID, sizeof(i->manufacturerID), "cadoctor tests");
	pad(i->libraryDescription, sizeof(i->libraryDescription), variant());
	i->libraryVersion.major = 1;
	i->libraryVersion.minor = 7;
	return CKR_OK;
}

static CK_RV C_GetSlotList(CK_BBOOL present, CK_SLOT_ID *list, CK_ULONG *n)
{
	(void)present;
	if (is("crash")) {
		volatile int *p = NULL;
		*p = 1;
		raise(SIGSEGV);
	}
	if (is("manyslots")) {
		/* Announces one slot, then writes three. */
		if (list) {
			list[0] = 1;
			list[1] = 2;
			list[2] = 3;
			*n = 3;
		} else {
			*n = 1;
		}
		return CKR_OK;
	}
	if (!list) {
		*n = 1;
		return CKR_OK;
	}
	if (*n < 1) {
		*n = 1;
		return CKR_BUFFER_TOO_SMALL;
	}
	list[0] = 1;
	*n = 1;
	return CKR_OK;
}

static CK_RV C_GetSlotInfo(CK_SLOT_ID id, CK_SLOT_INFO *s)
{
	char d[64];
	memset(s, 0, sizeof(*s));
	snprintf(d, sizeof(d), "test slot %lu", (unsigned long)id);
	pad(s->slotDescription, sizeof(s->slotDescription), d);
	pad(s->manufacturerID, sizeof(s->manufacturerID), "cadoctor tests");
	s->flags = CKF_TOKEN_PRESENT | CKF_REMOVABLE_DEVICE | CKF_HW_SLOT;
	return CKR_OK;
}

static CK_RV C_GetTokenInfo(CK_SLOT_ID id, CK_TOKEN_INFO *t)
{
	char serial[32];
	const char *v;
	if (is("hang"))
		testmod_sleep_forever();
	memset(t, 0, sizeof(*t));
	pad(t->label, sizeof(t->label),
	    is("gbk") ? "\xb2\xe2\xca\xd4\xcb\xf8 GBK" : is("locked") ? "测试锁 locked" : variant());
	pad(t->manufacturerID, sizeof(t->manufacturerID), "cadoctor tests");
	pad(t->model, sizeof(t->model), "TestKey 3000");
	/* "libtest-locked.so" gives SN1-locked.s; a side file's variant, its first word */
	v = variant();
	if (variant_from_side_file)
		snprintf(serial, sizeof(serial), "SN%lu-%.*s", (unsigned long)id, (int)strcspn(v, "-"), v);
	else
		snprintf(serial, sizeof(serial), "SN%lu-%.8s", (unsigned long)id, strlen(v) > 8 ? v + 8 : v);
	pad(t->serialNumber, sizeof(t->serialNumber), serial);
	t->flags = CKF_TOKEN_INITIALIZED | CKF_LOGIN_REQUIRED | CKF_USER_PIN_INITIALIZED;
	if (is("locked"))
		t->flags |= CKF_USER_PIN_LOCKED;
	if (is("finaltry"))
		t->flags |= CKF_USER_PIN_FINAL_TRY | CKF_USER_PIN_COUNT_LOW;
	return CKR_OK;
}

static CK_RV C_OpenSession(CK_SLOT_ID id, CK_FLAGS f, CK_VOID_PTR app, CK_NOTIFY n, CK_SESSION_HANDLE *h)
{
	(void)id;
	(void)app;
	(void)n;
	if (!(f & CKF_SERIAL_SESSION))
		return CKR_SESSION_PARALLEL_NOT_SUPPORTED;
	if (f & CKF_RW_SESSION)
		return CKR_ARGUMENTS_BAD; /* the reader must only read */
	*h = 7;
	return CKR_OK;
}

static CK_RV C_CloseSession(CK_SESSION_HANDLE h)
{
	(void)h;
	return CKR_OK;
}

static CK_RV C_FindObjectsInit(CK_SESSION_HANDLE h, CK_ATTRIBUTE *t, CK_ULONG n)
{
	CK_ULONG i;
	(void)h;
	found_pos = 0;
	found_class = ~(CK_OBJECT_CLASS)0;
	for (i = 0; i < n; i++)
		if (t[i].type == CKA_CLASS && t[i].pValue && t[i].ulValueLen == sizeof(CK_OBJECT_CLASS))
			memcpy(&found_class, t[i].pValue, sizeof(found_class));
	return CKR_OK;
}

static CK_RV C_FindObjects(CK_SESSION_HANDLE h, CK_OBJECT_HANDLE *o, CK_ULONG max, CK_ULONG *n)
{
	(void)h;
	*n = 0;
	while (found_pos < nobjs && *n < max) {
		found_pos++;
		if (found_class == ~(CK_OBJECT_CLASS)0 || objs[found_pos - 1].cls == found_class)
			o[(*n)++] = (CK_OBJECT_HANDLE)found_pos;
	}
	return CKR_OK;
}

static CK_RV C_FindObjectsFinal(CK_SESSION_HANDLE h)
{
	(void)h;
	return CKR_OK;
}

static CK_RV C_GetAttributeValue(CK_SESSION_HANDLE h, CK_OBJECT_HANDLE o, CK_ATTRIBUTE *t, CK_ULONG n)
{
	CK_ULONG i;
	CK_RV rv = CKR_OK;
	(void)h;
	if (o < 1 || o > nobjs)
		return CKR_ARGUMENTS_BAD;
	for (i = 0; i < n; i++) {
		const struct obj *ob = &objs[o - 1];
		const void *v;
		size_t len;
		unsigned char id = ob->id;
		if (t[i].type == CKA_VALUE && ob->cls == CKO_PRIVATE_KEY) {
			t[i].ulValueLen = CK_UNAVAILABLE_INFORMATION;
			rv = CKR_ATTRIBUTE_SENSITIVE;
			continue;
		} else if (t[i].type == CKA_CLASS) {
			v = &ob->cls;
			len = sizeof(ob->cls);
		} else if (t[i].type == CKA_VALUE) {
			v = ob->value;
			len = ob->len;
		} else if (t[i].type == CKA_LABEL) {
			v = ob->label;
			len = strlen(ob->label);
		} else if (t[i].type == CKA_ID) {
			v = &id;
			len = 1;
		} else {
			t[i].ulValueLen = CK_UNAVAILABLE_INFORMATION;
			rv = CKR_ATTRIBUTE_TYPE_INVALID;
			continue;
		}
		if (!t[i].pValue) {
			t[i].ulValueLen = len;
		} else if (t[i].ulValueLen < len) {
			t[i].ulValueLen = CK_UNAVAILABLE_INFORMATION;
			rv = CKR_BUFFER_TOO_SMALL;
		} else {
			if (len)
				memcpy(t[i].pValue, v, len);
			t[i].ulValueLen = len;
		}
	}
	return rv;
}

static CK_FUNCTION_LIST list = {
	.version = { 2, 40 },
	.C_Initialize = C_Initialize,
	.C_Finalize = C_Finalize,
	.C_GetInfo = C_GetInfo,
	.C_GetSlotList = C_GetSlotList,
	.C_GetSlotInfo = C_GetSlotInfo,
	.C_GetTokenInfo = C_GetTokenInfo,
	.C_OpenSession = C_OpenSession,
	.C_CloseSession = C_CloseSession,
	.C_GetAttributeValue = C_GetAttributeValue,
	.C_FindObjectsInit = C_FindObjectsInit,
	.C_FindObjects = C_FindObjects,
	.C_FindObjectsFinal = C_FindObjectsFinal,
};

TESTMOD_EXPORT CK_RV C_GetFunctionList(CK_FUNCTION_LIST **pp);
TESTMOD_EXPORT CK_RV C_GetFunctionList(CK_FUNCTION_LIST **pp)
{
	list.C_GetFunctionList = C_GetFunctionList;
	*pp = &list;
	return CKR_OK;
}
