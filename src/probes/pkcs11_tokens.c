/* pkcs11.tokens: every known PKCS#11 module (the pkcs11_modules rows other
 * probes found: p11-kit and NSS registrations on Linux, middleware DLLs on
 * Windows) is read in a child process of its own -- cadoctor re-executed as
 * `cadoctor __pkcs11-worker MODULE` (pkcs11_worker.h) -- with a time limit,
 * so a module that crashes, hangs or fails C_Initialize becomes a probe_errors
 * row and a load_status, and the scan goes on. What the worker reports fills
 * the module's info columns, tokens (one row per slot) and certificates
 * (source "pkcs11", parsed by x509.c). No PIN is ever asked for or used. */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "../core/probe.h"
#include "../core/util.h"
#include "../platform/platform.h"
#include "pe.h"
#include "pkcs11_worker.h"
#include "x509.h"

#define DEFAULT_TIMEOUT_MS 5000
#define MAX_WORKER_OUTPUT ((size_t)64 << 20)
#define MAX_FIELDS 16

struct rec {
	const char *type;
	int n;
	const char *k[MAX_FIELDS], *v[MAX_FIELDS];
};

static const char *field(const struct rec *r, const char *key)
{
	int i;
	for (i = 0; i < r->n; i++)
		if (!strcmp(r->k[i], key))
			return r->v[i];
	return NULL;
}

/* Splits one line (in place) into a record; values are unescaped. */
static void split_line(char *line, struct rec *r)
{
	char *p = line, *tab;
	memset(r, 0, sizeof(*r));
	tab = strchr(p, '\t');
	if (tab)
		*tab = '\0';
	r->type = p;
	while (tab && r->n < MAX_FIELDS) {
		char *eq;
		p = tab + 1;
		tab = strchr(p, '\t');
		if (tab)
			*tab = '\0';
		eq = strchr(p, '=');
		if (!eq)
			continue;
		*eq = '\0';
		cd_p11_unescape(eq + 1);
		r->k[r->n] = p;
		r->v[r->n] = eq + 1;
		r->n++;
	}
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

/* Hex to bytes in a new buffer; NULL for odd length or a bad digit. */
static unsigned char *unhex(const char *h, size_t *n)
{
	size_t len = strlen(h), i;
	unsigned char *b;
	if (len % 2)
		return NULL;
	b = malloc(len / 2 + 1);
	if (!b)
		return NULL;
	for (i = 0; i < len / 2; i++) {
		int hi = hexval((unsigned char)h[2 * i]), lo = hexval((unsigned char)h[2 * i + 1]);
		if (hi < 0 || lo < 0) {
			free(b);
			return NULL;
		}
		b[i] = (unsigned char)(hi * 16 + lo);
	}
	*n = len / 2;
	return b;
}

static int64_t to_int(const char *s, int64_t dflt)
{
	char *end;
	long long v;
	if (!s || !*s)
		return dflt;
	v = strtoll(s, &end, 10);
	return *end ? dflt : (int64_t)v;
}

/* One slot as the worker reported it. */
struct slot {
	int64_t id;
	char *description;
	int present; /* -1 unknown */
	int has_token;
	char *label, *manufacturer, *model, *serial;
	int64_t flags;
};

struct module_run {
	struct cd_probe_ctx *ctx;
	const char *module; /* system path */
	struct slot *slots;
	size_t nslots, capslots;
	int header, end, fatal, slots_reported;
	char *fatal_msg;
	char *last_call;
	char *manufacturer, *description, *library, *cryptoki;
	int certs;
};

static struct slot *slot_get(struct module_run *m, int64_t id)
{
	size_t i;
	for (i = 0; i < m->nslots; i++)
		if (m->slots[i].id == id)
			return &m->slots[i];
	if (m->nslots == m->capslots) {
		size_t cap = m->capslots ? m->capslots * 2 : 8;
		struct slot *n = realloc(m->slots, cap * sizeof(*n));
		if (!n)
			return NULL;
		m->slots = n;
		m->capslots = cap;
	}
	memset(&m->slots[m->nslots], 0, sizeof(m->slots[0]));
	m->slots[m->nslots].id = id;
	m->slots[m->nslots].present = -1;
	return &m->slots[m->nslots++];
}

static void set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = v ? cd_strdup(v) : NULL;
}

/* A token's own text: Chinese vendors' tools often wrote labels in GBK.
 * Bytes that are not UTF-8 but valid GBK are decoded as GBK; anything else
 * is kept for the row to sanitise (U+FFFD). */
static void set_token_str(char **dst, const char *v)
{
	char *g = v && !cd_utf8_valid(v, strlen(v)) ? cd_gbk_to_utf8(v, strlen(v)) : NULL;
	if (g) {
		free(*dst);
		*dst = g;
	} else {
		set_str(dst, v);
	}
}

static char *rv_text(const struct rec *r)
{
	const char *rv = field(r, "rv"), *name = field(r, "name"), *msg = field(r, "message");
	if (msg)
		return cd_strdup(msg);
	if (name)
		return cd_aprintf("%s (%s)", name, rv ? rv : "?");
	return cd_aprintf("return value %s", rv ? rv : "?");
}

static void on_cert(struct module_run *m, const struct rec *r)
{
	const char *hex = field(r, "value");
	struct slot *s = slot_get(m, to_int(field(r, "slot"), -1));
	struct cd_x509 x;
	struct cd_row row;
	unsigned char *der = NULL;
	size_t n = 0;

	memset(&x, 0, sizeof(x));
	if (!hex)
		x.parse_error = cd_strdup("the object has no readable CKA_VALUE");
	else if (!(der = unhex(hex, &n)))
		x.parse_error = cd_strdup("the worker sent a damaged value");
	else
		cd_x509_parse(der, n, &x);
	cd_row_init(&row, "certificates");
	cd_row_text(&row, "source", "pkcs11");
	cd_row_text(&row, "location", s && s->has_token ? s->label : NULL);
	cd_x509_fill_row(&x, &row);
	cd_row_text(&row, "module_path", m->module);
	cd_row_text(&row, "token_serial", s && s->has_token ? s->serial : NULL);
	cd_row_text(&row, "object_label", field(r, "label"));
	cd_row_text(&row, "object_id", field(r, "id"));
	/* Private keys are usually hidden until login: not seeing one proves nothing. */
	if (field(r, "key") && !strcmp(field(r, "key"), "1"))
		cd_row_int(&row, "has_private_key", 1);
	else
		cd_row_null(&row, "has_private_key");
	if (cd_row_insert(m->ctx->facts, &row))
		cd_probe_error(m->ctx, m->module, CD_ERR_SQL, "cannot store a certificate row");
	m->certs++;
	cd_x509_release(&x);
	free(der);
}

static void on_record(struct module_run *m, const struct rec *r)
{
	const char *t = r->type;
	if (!m->header) {
		if (!strcmp(t, CD_P11_PROTO_HEADER))
			m->header = 1;
		return; /* nothing counts before the header */
	}
	if (!strcmp(t, "call")) {
		const char *slot = field(r, "slot");
		free(m->last_call);
		m->last_call = slot ? cd_aprintf("%s (slot %s)", field(r, "fn") ? field(r, "fn") : "?", slot)
				    : cd_strdup(field(r, "fn") ? field(r, "fn") : "?");
	} else if (!strcmp(t, "fatal")) {
		char *why = rv_text(r);
		m->fatal = 1;
		free(m->fatal_msg);
		m->fatal_msg = cd_aprintf("%s: %s", field(r, "step") ? field(r, "step") : "?", why ? why : "?");
		free(why);
	} else if (!strcmp(t, "error")) {
		char *why = rv_text(r);
		const char *slot = field(r, "slot");
		cd_probe_error(m->ctx, m->module, CD_ERR_IO, "%s%s%s: %s", field(r, "step") ? field(r, "step") : "?",
			       slot ? " on slot " : "", slot ? slot : "", why ? why : "?");
		free(why);
	} else if (!strcmp(t, "module")) {
		set_str(&m->manufacturer, field(r, "manufacturer"));
		set_str(&m->description, field(r, "description"));
		set_str(&m->library, field(r, "library"));
		set_str(&m->cryptoki, field(r, "cryptoki"));
	} else if (!strcmp(t, "slots")) {
		/* Once per module: the TRUE and FALSE lists usually agree. */
		if (!m->slots_reported)
			cd_probe_error(m->ctx, m->module, CD_ERR_INVALID,
				       "%s wrote %s slots after announcing %s (a module bug; the reader's"
				       " buffer had room for them)",
				       field(r, "step") ? field(r, "step") : "C_GetSlotList",
				       field(r, "returned") ? field(r, "returned") : "?",
				       field(r, "announced") ? field(r, "announced") : "?");
		m->slots_reported = 1;
	} else if (!strcmp(t, "slot")) {
		struct slot *s = slot_get(m, to_int(field(r, "id"), -1));
		if (!s)
			return;
		set_str(&s->description, field(r, "description"));
		s->present = (int)to_int(field(r, "present"), -1);
	} else if (!strcmp(t, "token")) {
		struct slot *s = slot_get(m, to_int(field(r, "slot"), -1));
		if (!s)
			return;
		s->has_token = 1;
		s->present = 1;
		set_token_str(&s->label, field(r, "label"));
		set_token_str(&s->manufacturer, field(r, "manufacturer"));
		set_token_str(&s->model, field(r, "model"));
		set_str(&s->serial, field(r, "serial"));
		s->flags = to_int(field(r, "flags"), -1);
	} else if (!strcmp(t, "cert")) {
		on_cert(m, r);
	} else if (!strcmp(t, "end")) {
		m->end = 1;
	}
}

/* PKCS#11 token flags (pkcs11_min.h values, repeated here to keep the
 * Cryptoki declarations in the worker). */
#define TF_LOGIN_REQUIRED 0x04
#define TF_TOKEN_INITIALIZED 0x400
#define TF_USER_PIN_COUNT_LOW 0x10000
#define TF_USER_PIN_FINAL_TRY 0x20000
#define TF_USER_PIN_LOCKED 0x40000

static void flag_col(struct cd_row *row, const char *col, const struct slot *s, int64_t bit)
{
	if (s->has_token && s->flags >= 0)
		cd_row_int(row, col, (s->flags & bit) != 0);
	else
		cd_row_null(row, col);
}

static void store_slots(struct module_run *m)
{
	size_t i;
	for (i = 0; i < m->nslots; i++) {
		const struct slot *s = &m->slots[i];
		struct cd_row row;
		cd_row_init(&row, "tokens");
		cd_row_text(&row, "module_path", m->module);
		cd_row_int(&row, "slot_id", s->id);
		cd_row_text(&row, "slot_description", s->description);
		cd_row_bool(&row, "token_present", s->present);
		cd_row_text(&row, "label", s->label);
		cd_row_text(&row, "manufacturer", s->manufacturer);
		cd_row_text(&row, "model", s->model);
		cd_row_text(&row, "serial", s->serial);
		if (s->has_token && s->flags >= 0)
			cd_row_int(&row, "flags", s->flags);
		else
			cd_row_null(&row, "flags");
		flag_col(&row, "user_pin_locked", s, TF_USER_PIN_LOCKED);
		flag_col(&row, "user_pin_final_try", s, TF_USER_PIN_FINAL_TRY);
		flag_col(&row, "user_pin_count_low", s, TF_USER_PIN_COUNT_LOW);
		flag_col(&row, "token_initialized", s, TF_TOKEN_INITIALIZED);
		flag_col(&row, "login_required", s, TF_LOGIN_REQUIRED);
		if (cd_row_insert(m->ctx->facts, &row))
			cd_probe_error(m->ctx, m->module, CD_ERR_SQL, "cannot store a token row");
	}
}

static void bind_utf8(sqlite3_stmt *st, int i, const char *s)
{
	char *clean = s ? cd_utf8_sanitize(s, strlen(s)) : NULL;
	if (clean)
		sqlite3_bind_text(st, i, clean, -1, free);
	else
		sqlite3_bind_null(st, i);
}

static void update_module(struct module_run *m, const char *status, const char *error)
{
	static const char sql[] =
		"UPDATE pkcs11_modules SET manufacturer = ?1, description = ?2, library_version = ?3,"
		" cryptoki_version = ?4, load_status = ?5, load_error = ?6"
		" WHERE resolved_path = ?7 AND file_exists = 1";
	sqlite3 *db = cd_facts_db(m->ctx->facts);
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		cd_probe_error(m->ctx, m->module, CD_ERR_SQL, "cannot update the module row: %s", sqlite3_errmsg(db));
		return;
	}
	bind_utf8(st, 1, m->manufacturer);
	bind_utf8(st, 2, m->description);
	bind_utf8(st, 3, m->library);
	bind_utf8(st, 4, m->cryptoki);
	bind_utf8(st, 5, status);
	bind_utf8(st, 6, error);
	bind_utf8(st, 7, m->module);
	if (sqlite3_step(st) != SQLITE_DONE)
		cd_probe_error(m->ctx, m->module, CD_ERR_SQL, "cannot update the module row: %s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
}

static void module_run_release(struct module_run *m)
{
	size_t i;
	for (i = 0; i < m->nslots; i++) {
		free(m->slots[i].description);
		free(m->slots[i].label);
		free(m->slots[i].manufacturer);
		free(m->slots[i].model);
		free(m->slots[i].serial);
	}
	free(m->slots);
	free(m->fatal_msg);
	free(m->last_call);
	free(m->manufacturer);
	free(m->description);
	free(m->library);
	free(m->cryptoki);
}

#define CRASH_NOTE "the scan went on without it"

/* The last component of a Windows or POSIX path. */
static const char *file_part(const char *path)
{
	const char *p, *r = path;
	for (p = path; *p; p++)
		if (*p == '\\' || *p == '/')
			r = p + 1;
	return r;
}

/* Which program reads the module. A DLL built for another machine (a
 * 32-bit middleware DLL in SysWOW64 seen by 64-bit cadoctor) cannot be
 * loaded in any of our processes -- LoadLibrary would fail with
 * ERROR_BAD_EXE_FORMAT -- so it goes to the cadoctor built for its machine
 * when that is installed next to this one (pe.h: the x64 MSI ships
 * cadoctor-x86.exe), and otherwise is recorded as not loaded, saying why.
 * Returns the reader's path (a new string), or NULL when the module was
 * recorded as not loaded. */
static char *choose_reader(struct cd_probe_ctx *ctx, struct module_run *m, const char *self,
			   const char *load_path)
{
	long mine = cd_self_pe_machine(), theirs;
	char a[32], b[32];
	char *why, *sibling;
	if (mine <= 0)
		return cd_strdup(self);
	theirs = cd_pe_file_machine(load_path);
	if (theirs < 0 || theirs == mine)
		return cd_strdup(self); /* not a PE image or unreadable: the worker says why */
	sibling = cd_pe_sibling_reader(self, theirs);
	if (sibling && cd_pe_file_machine(sibling) == theirs)
		return sibling;
	why = cd_aprintf("the DLL is built for %s and this cadoctor for %s: a process loads only DLLs of"
			 " its own kind, and %s%s is not installed next to cadoctor; the module was not"
			 " read (the middleware still works for programs of its own kind)",
			 cd_pe_machine_name(theirs, a, sizeof(a)), cd_pe_machine_name(mine, b, sizeof(b)),
			 sibling ? "its reader " : "a reader for it", sibling ? file_part(sibling) : "");
	update_module(m, "not_loaded", why ? why : "built for another machine");
	cd_probe_error(ctx, m->module, CD_ERR_UNSUPPORTED, "%s", why ? why : "built for another machine");
	free(why);
	free(sibling);
	return NULL;
}

static void read_module(struct cd_probe_ctx *ctx, const char *self, const char *module, int timeout_ms)
{
	struct module_run m;
	char *load_path = cd_probe_path(ctx, module), *out = NULL, *line, *nl, *reader;
	char *status_err = NULL;
	const char *status;
	const char *argv[4];
	size_t out_len = 0;
	int exit_code = 0;
	cd_err e;

	if (!load_path) {
		cd_probe_error(ctx, module, CD_ERR_NOMEM, "out of memory");
		return;
	}
	memset(&m, 0, sizeof(m));
	m.ctx = ctx;
	m.module = module;
	reader = choose_reader(ctx, &m, self, load_path);
	if (!reader) {
		free(load_path);
		return;
	}
	argv[0] = reader;
	argv[1] = "__pkcs11-worker";
	argv[2] = load_path;
	argv[3] = NULL;
	e = cd_spawn_capture(argv, timeout_ms, MAX_WORKER_OUTPUT, &out, &out_len, &exit_code);
	if (e != CD_OK && e != CD_ERR_CRASH && e != CD_ERR_TIMEOUT && e != CD_ERR_LIMIT) {
		cd_probe_error(ctx, module, e, "cannot start the module reader (%s): %s", reader, cd_err_message(e));
		update_module(&m, "failed", "the module reader could not be started");
		free(reader);
		free(load_path);
		return;
	}
	/* Complete lines only: a line cut off by a crash is not trusted. */
	for (line = out; line && (nl = memchr(line, '\n', out_len - (size_t)(line - out))) != NULL;
	     line = nl + 1) {
		struct rec r;
		*nl = '\0';
		split_line(line, &r);
		on_record(&m, &r);
	}
	store_slots(&m);

	if (e == CD_ERR_TIMEOUT) {
		status = "timeout";
		status_err = cd_aprintf("no answer within %d ms%s%s: stopped", timeout_ms,
					m.last_call ? " in " : "", m.last_call ? m.last_call : "");
		cd_probe_error(ctx, module, CD_ERR_TIMEOUT, "the module hung (no answer within %d ms%s%s); %s",
			       timeout_ms, m.last_call ? " in " : "", m.last_call ? m.last_call : "", CRASH_NOTE);
	} else if (e == CD_ERR_LIMIT) {
		status = "failed";
		status_err = cd_strdup("the module reported more than 64 MiB: stopped");
		cd_probe_error(ctx, module, CD_ERR_LIMIT, "%s; %s", status_err ? status_err : "?", CRASH_NOTE);
	} else if (e == CD_ERR_CRASH || !m.end) {
		char how[48];
		/* Signal numbers are small; Windows exception codes are NTSTATUS values. */
		if (e != CD_ERR_CRASH)
			snprintf(how, sizeof(how), "exit code %d before finishing", exit_code);
		else if (exit_code > 0 && exit_code < 256)
			snprintf(how, sizeof(how), "signal %d", exit_code);
		else
			snprintf(how, sizeof(how), "exception 0x%08X", (unsigned)exit_code);
		status = "crashed";
		status_err = cd_aprintf("crashed%s%s (%s)", m.last_call ? " in " : "",
					m.last_call ? m.last_call : "", how);
		cd_probe_error(ctx, module, CD_ERR_CRASH, "the module %s; %s",
			       status_err ? status_err : "crashed", CRASH_NOTE);
	} else if (m.fatal) {
		status = "failed";
		status_err = cd_strdup(m.fatal_msg ? m.fatal_msg : "failed");
		cd_probe_error(ctx, module, CD_ERR_IO, "the module cannot be used: %s", status_err ? status_err : "?");
	} else {
		status = "ok";
	}
	update_module(&m, status, status_err);
	free(status_err);
	free(out);
	free(reader);
	free(load_path);
	module_run_release(&m);
}

static cd_err collect_tokens(struct cd_probe_ctx *ctx)
{
	static const char sql[] = "SELECT DISTINCT resolved_path FROM pkcs11_modules"
				  " WHERE file_exists = 1 AND resolved_path IS NOT NULL AND resolved_path <> ''"
				  " ORDER BY resolved_path";
	sqlite3 *db = cd_facts_db(ctx->facts);
	sqlite3_stmt *st = NULL;
	char **paths = NULL, *self;
	size_t n = 0, cap = 0, i;
	int timeout = ctx->opts && ctx->opts->module_timeout_ms > 0 ? ctx->opts->module_timeout_ms
								   : DEFAULT_TIMEOUT_MS;
	cd_err e = CD_OK;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return CD_ERR_SQL;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *p = (const char *)sqlite3_column_text(st, 0);
		if (!p)
			continue;
		if (n == cap) {
			char **np;
			cap = cap ? cap * 2 : 8;
			np = realloc(paths, cap * sizeof(*np));
			if (!np) {
				e = CD_ERR_NOMEM;
				break;
			}
			paths = np;
		}
		if (!(paths[n] = cd_strdup(p))) {
			e = CD_ERR_NOMEM;
			break;
		}
		n++;
	}
	sqlite3_finalize(st);
	if (e || n == 0) {
		cd_free_list(paths, n);
		return e;
	}
	self = cd_self_exe();
	if (!self) {
		cd_free_list(paths, n);
		cd_probe_error(ctx, NULL, CD_ERR_NOT_FOUND,
			       "cannot find cadoctor's own executable to read modules in isolation");
		return CD_ERR_NOT_FOUND;
	}
	for (i = 0; i < n; i++)
		read_module(ctx, self, paths[i], timeout);
	free(self);
	cd_free_list(paths, n);
	return CD_OK;
}

const struct cd_probe cd_probe_pkcs11_tokens = {
	"pkcs11.tokens",
	"pkcs11_modules, tokens, certificates",
	collect_tokens,
};
