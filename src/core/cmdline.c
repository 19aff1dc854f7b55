/* Windows command lines and uninstall strings (cmdline.h). */
#include "cmdline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "util.h"

#define CMDLINE_MAX 32767

void cd_cmdline_release(struct cd_cmdline *c)
{
	size_t i;
	if (!c)
		return;
	for (i = 0; i < c->argc; i++)
		free(c->argv[i]);
	free(c->argv);
	c->argv = NULL;
	c->argc = 0;
}

static int push_arg(struct cd_cmdline *c, const char *s, size_t n)
{
	char **nv = realloc(c->argv, (c->argc + 2) * sizeof(char *));
	if (!nv)
		return -1;
	c->argv = nv;
	if (!(c->argv[c->argc] = cd_strndup(s, n)))
		return -1;
	c->argc++;
	c->argv[c->argc] = NULL;
	return 0;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* The algorithm of CommandLineToArgvW (as Windows and Wine implement it),
 * over UTF-8: every character it looks at is ASCII. */
cd_err cd_cmdline_split(const char *line, size_t len, struct cd_cmdline *out)
{
	struct cd_cmdline c = {NULL, 0};
	const char *s = line, *end = line + len;
	char *d, *buf;
	size_t qcount = 0, bcount = 0;

	if (len > CMDLINE_MAX)
		return CD_ERR_LIMIT;
	if (memchr(line, '\0', len) || !cd_utf8_valid(line, len))
		return CD_ERR_INVALID;
	out->argv = NULL;
	out->argc = 0;
	if (!len)
		return CD_OK;
	buf = malloc(len + 1);
	if (!buf)
		return CD_ERR_NOMEM;
	/* The program name: up to the next quote, or the first blank. */
	d = buf;
	if (*s == '"') {
		s++;
		while (s < end) {
			if (*s == '"') {
				s++;
				break;
			}
			*d++ = *s++;
		}
	} else {
		while (s < end && !is_blank(*s))
			*d++ = *s++;
	}
	if (push_arg(&c, buf, (size_t)(d - buf)))
		goto nomem;
	while (s < end && is_blank(*s))
		s++;
	if (s == end) {
		free(buf);
		*out = c;
		return CD_OK;
	}
	d = buf;
	while (s < end) {
		if (is_blank(*s) && qcount == 0) {
			if (push_arg(&c, buf, (size_t)(d - buf)))
				goto nomem;
			d = buf;
			bcount = 0;
			do
				s++;
			while (s < end && is_blank(*s));
			if (s == end) {
				free(buf);
				*out = c;
				return CD_OK;
			}
		} else if (*s == '\\') {
			*d++ = *s++;
			bcount++;
		} else if (*s == '"') {
			if ((bcount & 1) == 0) {
				d -= bcount / 2;
				qcount++;
			} else {
				d = d - bcount / 2 - 1;
				*d++ = '"';
			}
			s++;
			bcount = 0;
			while (s < end && *s == '"') {
				if (++qcount == 3) {
					*d++ = '"';
					qcount = 0;
				}
				s++;
			}
			if (qcount == 2)
				qcount = 0;
		} else {
			*d++ = *s++;
			bcount = 0;
		}
	}
	if (push_arg(&c, buf, (size_t)(d - buf)))
		goto nomem;
	free(buf);
	*out = c;
	return CD_OK;
nomem:
	free(buf);
	cd_cmdline_release(&c);
	return CD_ERR_NOMEM;
}

static void join_arg(struct cd_buf *b, const char *a)
{
	const char *p;
	if (*a && !strpbrk(a, " \t\"")) {
		cd_buf_adds(b, a);
		return;
	}
	cd_buf_addc(b, '"');
	for (p = a;; p++) {
		size_t n = 0, i;
		while (*p == '\\') {
			p++;
			n++;
		}
		if (!*p) {
			for (i = 0; i < n * 2; i++)
				cd_buf_addc(b, '\\');
			break;
		}
		if (*p == '"') {
			for (i = 0; i < n * 2 + 1; i++)
				cd_buf_addc(b, '\\');
		} else {
			for (i = 0; i < n; i++)
				cd_buf_addc(b, '\\');
		}
		cd_buf_addc(b, *p);
	}
	cd_buf_addc(b, '"');
}

char *cd_cmdline_join(char *const *argv, size_t argc)
{
	struct cd_buf b;
	size_t i;
	if (!argc || !argv[0])
		return NULL;
	/* The program name has no escapes: it cannot hold a quote when it must
	 * be quoted, nor start with one. */
	if (argv[0][0] == '"' || (strchr(argv[0], '"') && strpbrk(argv[0], " \t")))
		return NULL;
	cd_buf_init(&b, (size_t)CMDLINE_MAX * 4);
	if (!argv[0][0] || strpbrk(argv[0], " \t"))
		cd_buf_addf(&b, "\"%s\"", argv[0]);
	else
		cd_buf_adds(&b, argv[0]);
	for (i = 1; i < argc; i++) {
		cd_buf_addc(&b, ' ');
		join_arg(&b, argv[i]);
	}
	return cd_buf_detach(&b);
}

int cd_win_path_is_plain_absolute(const char *p)
{
	const char *comp;
	if (!p || !((p[0] >= 'A' && p[0] <= 'Z') || (p[0] >= 'a' && p[0] <= 'z')) || p[1] != ':' ||
	    p[2] != '\\')
		return 0;
	comp = p + 3;
	for (;;) {
		const char *e = strchr(comp, '\\');
		size_t n = e ? (size_t)(e - comp) : strlen(comp), i;
		if (n == 0)
			return 0; /* "\\" inside, or a trailing backslash */
		if ((n == 1 && comp[0] == '.') || (n == 2 && comp[0] == '.' && comp[1] == '.'))
			return 0;
		if (comp[n - 1] == '.' || comp[n - 1] == ' ')
			return 0; /* Windows drops these: the name would not be what it seems */
		for (i = 0; i < n; i++) {
			unsigned char ch = (unsigned char)comp[i];
			if (ch < 0x20 || strchr("/:*?\"<>|", ch))
				return 0;
		}
		if (!e)
			return 1;
		comp = e + 1;
	}
}

static void set_why(char *why, size_t whylen, const char *fmt, const char *arg)
{
	if (why && whylen)
		snprintf(why, whylen, fmt, arg ? arg : "");
}

static const char *base_name(const char *p)
{
	const char *b = p, *s;
	for (s = p; *s; s++)
		if (*s == '\\' || *s == '/')
			b = s + 1;
	return b;
}

static int ends_with_exe(const char *s, size_t n)
{
	static const char ext[] = ".exe";
	size_t i;
	if (n < 4)
		return 0;
	for (i = 0; i < 4; i++) {
		char c = s[n - 4 + i];
		if ((c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c) != ext[i])
			return 0;
	}
	return 1;
}

/* Programs that run other code given to them: never run as an uninstaller. */
static int is_wrapper(const char *base)
{
	static const char *const names[] = {
		"cmd", "command", "powershell", "powershell_ise", "pwsh", "rundll32", "regsvr32",
		"mshta", "wscript", "cscript", "msbuild", "installutil", "forfiles", "schtasks",
		"bash", "wsl", "conhost", "explorer", "hh", "certutil", "bitsadmin", "start",
		"runas", "psexec", "at", "sc", "reg", "regedit", "msdt", "control", "pcalua",
	};
	char name[64];
	size_t i, n = strlen(base);
	if (ends_with_exe(base, n))
		n -= 4;
	if (n >= sizeof(name))
		return 0;
	memcpy(name, base, n);
	name[n] = '\0';
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (cd_strieq(name, names[i]))
			return 1;
	return 0;
}

/* {XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}, copied upper-case into out[39]. */
static int parse_guid(const char *s, size_t n, char out[39])
{
	static const char shape[] = "{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}";
	size_t i;
	if (n != 38)
		return 0;
	for (i = 0; i < 38; i++) {
		char c = s[i];
		if (shape[i] == 'x') {
			if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
				return 0;
			out[i] = (char)(c >= 'a' && c <= 'f' ? c - 'a' + 'A' : c);
		} else {
			if (c != shape[i])
				return 0;
			out[i] = c;
		}
	}
	out[38] = '\0';
	return 1;
}

/* msiexec with /I or /X and a product code: the canonical silent removal. */
static cd_err parse_msiexec(const struct cd_cmdline *c, const struct cd_uninstall_opts *opt,
			    struct cd_cmdline *out, char *why, size_t whylen)
{
	char guid[39], *exe;
	size_t i;
	int found = 0;
	for (i = 1; i < c->argc && !found; i++) {
		const char *a = c->argv[i];
		if ((a[0] == '/' || a[0] == '-') && (a[1] == 'i' || a[1] == 'I' || a[1] == 'x' || a[1] == 'X')) {
			if (a[2])
				found = parse_guid(a + 2, strlen(a + 2), guid);
			else if (i + 1 < c->argc)
				found = parse_guid(c->argv[i + 1], strlen(c->argv[i + 1]), guid);
		}
	}
	if (!found) {
		set_why(why, whylen, "msiexec without /I or /X and a product code%s", NULL);
		return CD_ERR_DENIED;
	}
	if (!opt->system_dir || !*opt->system_dir) {
		set_why(why, whylen, "msiexec: the system directory is unknown%s", NULL);
		return CD_ERR_DENIED;
	}
	exe = cd_aprintf("%s\\msiexec.exe", opt->system_dir);
	if (!exe)
		return CD_ERR_NOMEM;
	if (!cd_win_path_is_plain_absolute(exe) || !opt->exists || !opt->exists(opt->exists_ud, exe)) {
		set_why(why, whylen, "%s does not exist", exe);
		free(exe);
		return CD_ERR_DENIED;
	}
	memset(out, 0, sizeof(*out));
	if (push_arg(out, exe, strlen(exe)) || push_arg(out, "/x", 2) || push_arg(out, guid, 38) ||
	    push_arg(out, "/qn", 3) || push_arg(out, "/norestart", 10)) {
		free(exe);
		cd_cmdline_release(out);
		return CD_ERR_NOMEM;
	}
	free(exe);
	return CD_OK;
}

/* The long form of path (a new string): through the callback when there is
 * one, else the path as written. */
static char *long_form(const struct cd_uninstall_opts *opt, const char *path)
{
	char *l = opt->long_path ? opt->long_path(opt->exists_ud, path) : NULL;
	return l ? l : cd_strdup(path);
}

/* path is a plain absolute path under one of the Program Files folders. */
static int under_program_files(const struct cd_uninstall_opts *opt, const char *path)
{
	size_t i;
	if (!cd_win_path_is_plain_absolute(path))
		return 0;
	for (i = 0; i < 2; i++) {
		const char *d = opt->program_files[i];
		size_t n = d ? strlen(d) : 0;
		size_t k;
		if (!n || !cd_win_path_is_plain_absolute(d) || strlen(path) <= n + 1 || path[n] != '\\')
			continue;
		for (k = 0; k < n; k++) {
			char a = path[k], b = d[k];
			if ((a >= 'A' && a <= 'Z' ? a - 'A' + 'a' : a) != (b >= 'A' && b <= 'Z' ? b - 'A' + 'a' : b))
				break;
		}
		if (k == n)
			return 1;
	}
	return 0;
}

/* The allow-listed wrapper form (cmdline.h): InstallShield's
 *   rundll32 <Common Files>\...\Ctor.dll,LaunchSetup "<setup.exe>" -switches
 * Anything else rundll32 is asked to do is refused: it would load and call
 * into any DLL (or run an INF section) on the line's say-so. */
static cd_err parse_rundll32(const struct cd_cmdline *c, const struct cd_uninstall_opts *opt,
			     struct cd_cmdline *out, char *why, size_t whylen)
{
	const char *base = base_name(c->argv[0]), *comma;
	char *sys = NULL, *dll = NULL, *setup = NULL, *entry = NULL;
	size_t i;
	cd_err e = CD_ERR_DENIED;

	memset(out, 0, sizeof(*out));
	if (!opt->system_dir || !*opt->system_dir || !(sys = cd_aprintf("%s\\rundll32.exe", opt->system_dir)))
		goto refuse;
	/* Bare, or exactly the system's. */
	if (base != c->argv[0] && !cd_strieq(c->argv[0], sys))
		goto refuse;
	if (c->argc < 3 || !(comma = strrchr(c->argv[1], ',')) || !cd_streq(comma + 1, "LaunchSetup"))
		goto refuse;
	dll = cd_strndup(c->argv[1], (size_t)(comma - c->argv[1]));
	if (!dll || !cd_strieq(base_name(dll), "Ctor.dll"))
		goto refuse;
	entry = dll;
	dll = long_form(opt, entry);
	free(entry);
	entry = NULL;
	setup = long_form(opt, c->argv[2]);
	if (!dll || !setup) {
		e = CD_ERR_NOMEM;
		goto out;
	}
	if (!under_program_files(opt, dll) || !under_program_files(opt, setup) ||
	    !ends_with_exe(setup, strlen(setup)))
		goto refuse;
	for (i = 3; i < c->argc; i++) {
		/* Switches only (-l0x9, -removeonly, /s): nothing that names a file. */
		const char *a = c->argv[i];
		if ((a[0] != '-' && a[0] != '/') || !a[1] || strpbrk(a + 1, "\\\":/ \t."))
			goto refuse;
	}
	if (!opt->exists || !opt->exists(opt->exists_ud, sys) || !opt->exists(opt->exists_ud, dll) ||
	    !opt->exists(opt->exists_ud, setup)) {
		set_why(why, whylen, "InstallShield uninstaller: a file does not exist%s", NULL);
		goto out;
	}
	entry = cd_aprintf("%s,LaunchSetup", dll);
	if (!entry || push_arg(out, sys, strlen(sys)) || push_arg(out, entry, strlen(entry)) ||
	    push_arg(out, setup, strlen(setup))) {
		e = CD_ERR_NOMEM;
		goto out;
	}
	for (i = 3; i < c->argc; i++)
		if (push_arg(out, c->argv[i], strlen(c->argv[i]))) {
			e = CD_ERR_NOMEM;
			goto out;
		}
	e = CD_OK;
	goto out;
refuse:
	set_why(why, whylen,
		"runs other code, not allowed: %s (only InstallShield's Ctor.dll,LaunchSetup under Program Files)",
		base);
out:
	if (e)
		cd_cmdline_release(out);
	free(entry);
	free(sys);
	free(dll);
	free(setup);
	return e;
}

cd_err cd_uninstall_parse(const char *line, const struct cd_uninstall_opts *opt,
			  struct cd_cmdline *out, char *why, size_t whylen)
{
	struct cd_cmdline c = {NULL, 0};
	const char *s, *e, *base;
	char *fixed = NULL;
	size_t len;
	int inq = 0;
	cd_err err;

	set_why(why, whylen, "%s", "");
	if (!line || !opt)
		return CD_ERR_INVALID;
	/* Blanks around the whole line are an installer's sloppiness. */
	for (s = line; is_blank(*s); s++)
		;
	for (e = s + strlen(s); e > s && is_blank(e[-1]); e--)
		;
	len = (size_t)(e - s);
	if (!len) {
		set_why(why, whylen, "empty command line%s", NULL);
		return CD_ERR_DENIED;
	}
	if (memchr(s, '\r', len) || memchr(s, '\n', len)) {
		set_why(why, whylen, "line break in the command line%s", NULL);
		return CD_ERR_DENIED;
	}
	{
		size_t i;
		for (i = 0; i < len; i++) {
			if (s[i] == '"')
				inq = !inq;
			else if (!inq && strchr("&|<>^", s[i])) {
				char m[2] = {s[i], 0};
				set_why(why, whylen, "shell metacharacter '%s' outside quotes", m);
				return CD_ERR_DENIED;
			}
		}
	}
	/* An unquoted program path with blanks ("C:\Program Files\x\u.exe /S"):
	 * the shortest prefix ending in .exe at a blank or the end, quoted. Only
	 * for a line that starts with a drive path: a bare name ("RunDll32 ...")
	 * ends at the first blank, as CreateProcess finds it. */
	if (*s != '"' && len > 2 && s[1] == ':' && s[2] == '\\') {
		size_t i;
		for (i = 1; i <= len; i++) {
			if ((i == len || is_blank(s[i])) && ends_with_exe(s, i)) {
				if (memchr(s, '"', i)) {
					set_why(why, whylen, "quote inside the program path%s", NULL);
					return CD_ERR_DENIED;
				}
				fixed = cd_aprintf("\"%.*s\"%.*s", (int)i, s, (int)(len - i), s + i);
				if (!fixed)
					return CD_ERR_NOMEM;
				break;
			}
		}
	}
	err = fixed ? cd_cmdline_split(fixed, strlen(fixed), &c) : cd_cmdline_split(s, len, &c);
	free(fixed);
	if (err) {
		set_why(why, whylen, "not a command line%s", NULL);
		return err;
	}
	if (!c.argc || !c.argv[0][0]) {
		cd_cmdline_release(&c);
		set_why(why, whylen, "no program%s", NULL);
		return CD_ERR_DENIED;
	}
	base = base_name(c.argv[0]);
	if (cd_strieq(base, "msiexec.exe") || cd_strieq(base, "msiexec")) {
		/* Bare, or by a plain absolute path: the system's msiexec runs. */
		if (base != c.argv[0] && !cd_win_path_is_plain_absolute(c.argv[0])) {
			set_why(why, whylen, "msiexec named by an unusual path: %s", c.argv[0]);
			err = CD_ERR_DENIED;
		} else {
			err = parse_msiexec(&c, opt, out, why, whylen);
		}
		cd_cmdline_release(&c);
		return err;
	}
	if (cd_strieq(base, "rundll32.exe") || cd_strieq(base, "rundll32")) {
		err = parse_rundll32(&c, opt, out, why, whylen);
		cd_cmdline_release(&c);
		return err;
	}
	if (!cd_win_path_is_plain_absolute(c.argv[0])) {
		set_why(why, whylen, "not a plain absolute path: %s", c.argv[0]);
		err = CD_ERR_DENIED;
	} else if (!ends_with_exe(c.argv[0], strlen(c.argv[0]))) {
		set_why(why, whylen, "not an .exe: %s", c.argv[0]);
		err = CD_ERR_DENIED;
	} else if (is_wrapper(base)) {
		set_why(why, whylen, "runs other code, not allowed: %s", base);
		err = CD_ERR_DENIED;
	} else if (!opt->exists || !opt->exists(opt->exists_ud, c.argv[0])) {
		set_why(why, whylen, "program does not exist: %s", c.argv[0]);
		err = CD_ERR_DENIED;
	} else {
		*out = c;
		return CD_OK;
	}
	cd_cmdline_release(&c);
	return err;
}
