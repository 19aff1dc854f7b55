/* The uninstall-string parser (src/core/cmdline.c): Windows' splitting rules,
 * joining back, and what is refused. */
#include <stdlib.h>

#include "../../src/core/cmdline.h"
#include "check.h"

/* A made-up file system: these files exist, nothing else. */
static const char *const files[] = {
	"C:\\Program Files (x86)\\Epoint\\CA互联互通(辽宁版)\\unins000.exe",
	"C:\\Program Files\\Foo\\uninst.exe",
	"C:\\Program Files\\x.exe",
	"C:\\Windows\\System32\\msiexec.exe",
	"C:\\Windows\\System32\\cmd.exe",
	"C:\\Windows\\System32\\rundll32.exe",
	"C:\\Tools\\u.exe",
	/* InstallShield (InstallScript): its engine DLL and the setup it runs. */
	"C:\\Program Files (x86)\\Common Files\\InstallShield\\Professional\\RunTime\\10\\50\\Intel32\\Ctor.dll",
	"C:\\Program Files (x86)\\InstallShield Installation Information\\{11111111-2222-3333-4444-555555555555}\\setup.exe",
	"C:\\Tools\\Ctor.dll",
	"C:\\Program Files (x86)\\Evil\\evil.dll",
	NULL,
};

static int fake_exists(void *ud, const char *path)
{
	size_t i;
	(void)ud;
	for (i = 0; files[i]; i++)
		if (!strcmp(files[i], path))
			return 1;
	return 0;
}

/* The 8.3 names of the made-up file system, as GetLongPathNameW expands them. */
static char *fake_long(void *ud, const char *path)
{
	static const char *const map[][2] = {
		{"C:\\PROGRA~2\\COMMON~1\\INSTAL~1\\PROFES~1\\RunTime\\10\\50\\Intel32\\Ctor.dll",
		 "C:\\Program Files (x86)\\Common Files\\InstallShield\\Professional\\RunTime\\10\\50\\Intel32\\Ctor.dll"},
		{"C:\\PROGRA~2\\INSTAL~1\\{11111~1\\setup.exe",
		 "C:\\Program Files (x86)\\InstallShield Installation Information\\{11111111-2222-3333-4444-555555555555}\\setup.exe"},
	};
	size_t i;
	(void)ud;
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(map[i][0], path))
			return strdup(map[i][1]);
	return NULL;
}

static const struct cd_uninstall_opts opt = {fake_exists, NULL, "C:\\Windows\\System32",
					     {"C:\\Program Files", "C:\\Program Files (x86)"}, fake_long};

/* split LINE, expect N args joined by '|' */
static void split_is(const char *line, const char *want)
{
	struct cd_cmdline c;
	char got[1024] = "";
	size_t i;
	if (cd_cmdline_split(line, strlen(line), &c) != CD_OK) {
		CHECK_STR("(error)", want);
		return;
	}
	for (i = 0; i < c.argc; i++) {
		if (i)
			strcat(got, "|");
		strcat(got, c.argv[i]);
	}
	CHECK_STR(got, want);
	cd_cmdline_release(&c);
}

static void test_split(void)
{
	split_is("", "");
	split_is("prog", "prog");
	split_is("\"C:\\a b\\p.exe\" x y", "C:\\a b\\p.exe|x|y");
	/* The program name has no escapes: a backslash before its closing quote is literal. */
	split_is("\"C:\\dir\\\" arg", "C:\\dir\\|arg");
	/* Text right after the closing quote starts the next argument. */
	split_is("\"a b\"c d", "a b|c|d");
	split_is("p a\\\\b", "p|a\\\\b");           /* backslashes not before a quote: literal */
	split_is("p a\\\\\"b c\"", "p|a\\b c");       /* 2n + quote: n backslashes, quote toggles */
	split_is("p a\\\\\\\"b", "p|a\\\"b");        /* 2n+1 + quote: n backslashes, literal quote */
	split_is("p \"\"", "p|");                     /* an empty argument */
	split_is("p \"a\"\"b\"", "p|a\"b");           /* "" inside quotes */
	split_is("p \"\"\"a\"\"\"", "p|\"a\"");      /* every third quote is literal */
	split_is("p\t a \t b  ", "p|a|b");
	split_is("  p", "|p");                        /* a leading blank: empty program name */
	{
		struct cd_cmdline c;
		CHECK(cd_cmdline_split("a\0b", 3, &c) == CD_ERR_INVALID);
		CHECK(cd_cmdline_split("\xff\xfe", 2, &c) == CD_ERR_INVALID);
	}
}

static void join_roundtrip(char **argv, size_t argc, const char *want)
{
	struct cd_cmdline c;
	char *j = cd_cmdline_join(argv, argc);
	size_t i;
	CHECK_STR(j, want);
	if (!j)
		return;
	CHECK(cd_cmdline_split(j, strlen(j), &c) == CD_OK);
	CHECK(c.argc == argc);
	for (i = 0; i < argc && i < c.argc; i++)
		CHECK_STR(c.argv[i], argv[i]);
	cd_cmdline_release(&c);
	free(j);
}

static void test_join(void)
{
	char *a[] = {"C:\\Program Files\\x.exe", "/S", "a b", "", "q\"uote", "tr\\", "tr\\ x\\", "\\\\\""};
	char *b[] = {"C:\\x.exe"};
	char *bad[] = {"C:\\a \"b.exe"};
	join_roundtrip(a, 8, "\"C:\\Program Files\\x.exe\" /S \"a b\" \"\" \"q\\\"uote\" tr\\ \"tr\\ x\\\\\" \"\\\\\\\\\\\"\"");
	join_roundtrip(b, 1, "C:\\x.exe");
	CHECK(cd_cmdline_join(bad, 1) == NULL);
}

/* parse LINE: expect OK and argv joined by '|', or the refusal */
static void accepted(const char *line, const char *want)
{
	struct cd_cmdline c;
	char why[256], got[2048] = "";
	size_t i;
	cd_err e = cd_uninstall_parse(line, &opt, &c, why, sizeof(why));
	if (e != CD_OK) {
		if (strcmp(want, "(refused)"))
			fprintf(stderr, "  refused %s: %s\n", line, why);
		CHECK_STR("(refused)", want);
		return;
	}
	for (i = 0; i < c.argc; i++) {
		if (i)
			strcat(got, "|");
		strcat(got, c.argv[i]);
	}
	CHECK_STR(got, want);
	cd_cmdline_release(&c);
}

static void refused(const char *line, const char *reason_part)
{
	struct cd_cmdline c;
	char why[256];
	cd_err e = cd_uninstall_parse(line, &opt, &c, why, sizeof(why));
	CHECK(e == CD_ERR_DENIED || e == CD_ERR_INVALID);
	if (e == CD_OK) {
		fprintf(stderr, "  accepted: %s\n", line);
		cd_cmdline_release(&c);
	} else if (!strstr(why, reason_part)) {
		fprintf(stderr, "  %s: why \"%s\" lacks \"%s\"\n", line, why, reason_part);
		CHECK(0);
	}
}

static void test_uninstall(void)
{
	/* Quoted paths with spaces and arguments (Inno Setup, NSIS). */
	accepted("\"C:\\Program Files (x86)\\Epoint\\CA互联互通(辽宁版)\\unins000.exe\" /SILENT",
		 "C:\\Program Files (x86)\\Epoint\\CA互联互通(辽宁版)\\unins000.exe|/SILENT");
	accepted("\"C:\\Program Files\\Foo\\uninst.exe\"", "C:\\Program Files\\Foo\\uninst.exe");
	/* Unquoted with spaces: the shortest prefix ending in .exe. */
	accepted("C:\\Program Files\\Foo\\uninst.exe /S /D=\"C:\\Program Files\\Foo\"",
		 "C:\\Program Files\\Foo\\uninst.exe|/S|/D=C:\\Program Files\\Foo");
	accepted("C:\\Program Files\\Foo\\uninst.exe", "C:\\Program Files\\Foo\\uninst.exe");
	accepted("  C:\\Tools\\u.exe  ", "C:\\Tools\\u.exe");
	accepted("c:\\tools\\U.EXE", "(refused)"); /* the fake FS is case-sensitive: missing */
	/* Quotes inside arguments are kept as the program would see them. */
	accepted("\"C:\\Tools\\u.exe\" --dir \"a & b\" \"x|y\"", "C:\\Tools\\u.exe|--dir|a & b|x|y");
	/* msiexec, bare or by path, /I or /X, attached or not: always /x /qn. */
	accepted("MsiExec.exe /X{6f1d2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b}",
		 "C:\\Windows\\System32\\msiexec.exe|/x|{6F1D2A3B-4C5D-4E6F-8A9B-0C1D2E3F4A5B}|/qn|/norestart");
	accepted("MsiExec.exe /I{AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE}",
		 "C:\\Windows\\System32\\msiexec.exe|/x|{AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE}|/qn|/norestart");
	accepted("\"C:\\Windows\\System32\\msiexec.exe\" /x {AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE} /quiet",
		 "C:\\Windows\\System32\\msiexec.exe|/x|{AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE}|/qn|/norestart");
	accepted("msiexec /x {AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE}",
		 "C:\\Windows\\System32\\msiexec.exe|/x|{AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE}|/qn|/norestart");

	/* The one allow-listed wrapper: InstallShield's rundll32 Ctor.dll,LaunchSetup
	 * (long names, short names, bare or the system's rundll32). */
#define IS_DLL "C:\\Program Files (x86)\\Common Files\\InstallShield\\Professional\\RunTime\\10\\50\\Intel32\\Ctor.dll"
#define IS_SETUP "C:\\Program Files (x86)\\InstallShield Installation Information\\{11111111-2222-3333-4444-555555555555}\\setup.exe"
	accepted("RunDll32 C:\\PROGRA~2\\COMMON~1\\INSTAL~1\\PROFES~1\\RunTime\\10\\50\\Intel32\\Ctor.dll,LaunchSetup "
		 "\"C:\\Program Files (x86)\\InstallShield Installation Information\\{11111111-2222-3333-4444-555555555555}\\setup.exe\" -l0x9 -removeonly",
		 "C:\\Windows\\System32\\rundll32.exe|" IS_DLL ",LaunchSetup|" IS_SETUP "|-l0x9|-removeonly");
	accepted("\"C:\\Windows\\System32\\rundll32.exe\" \"" IS_DLL "\",LaunchSetup C:\\PROGRA~2\\INSTAL~1\\{11111~1\\setup.exe -l0x0804",
		 "C:\\Windows\\System32\\rundll32.exe|" IS_DLL ",LaunchSetup|" IS_SETUP "|-l0x0804");
	/* Unquoted short names all through: a bare program name is not a path,
	 * so the ".exe prefix" rule for unquoted paths must not swallow the
	 * line up to setup.exe (it did). */
	accepted("RunDll32 C:\\PROGRA~2\\COMMON~1\\INSTAL~1\\PROFES~1\\RunTime\\10\\50\\Intel32\\Ctor.dll,LaunchSetup "
		 "C:\\PROGRA~2\\INSTAL~1\\{11111~1\\setup.exe -l0x9 -removeonly",
		 "C:\\Windows\\System32\\rundll32.exe|" IS_DLL ",LaunchSetup|" IS_SETUP "|-l0x9|-removeonly");
	/* ... and every variation of it is refused. */
	refused("RunDll32 " IS_DLL ",LaunchSetup", "runs other code");                       /* no setup */
	refused("RunDll32 " IS_DLL ",DllUnregisterServer \"" IS_SETUP "\"", "runs other code"); /* entry */
	refused("RunDll32 C:\\Tools\\Ctor.dll,LaunchSetup \"" IS_SETUP "\"", "runs other code"); /* not under PF */
	refused("RunDll32 \"C:\\Program Files (x86)\\Evil\\evil.dll\",LaunchSetup \"" IS_SETUP "\"", "runs other code");
	refused("RunDll32 \"" IS_DLL "\",LaunchSetup C:\\Tools\\u.exe", "runs other code"); /* setup not under PF */
	refused("RunDll32 \"" IS_DLL "\",LaunchSetup \"" IS_SETUP "\" C:\\Tools\\u.exe", "runs other code"); /* a path */
	refused("RunDll32 " IS_DLL ",LaunchSetup \"" IS_SETUP "\" -f..\\x", "runs other code");
	refused("C:\\Tools\\rundll32.exe " IS_DLL ",LaunchSetup \"" IS_SETUP "\"", "runs other code"); /* not the system's */
	refused("RunDll32 C:\\PROGRA~2\\..\\Tools\\Ctor.dll,LaunchSetup \"" IS_SETUP "\"", "runs other code");
	refused("rundll32.exe setupapi.dll,InstallHinfSection DefaultUninstall 132 C:\\Windows\\INF\\x.inf",
		"runs other code");
	refused("rundll32.exe advpack.dll,LaunchINFSection C:\\Windows\\INF\\x.inf,DefaultUninstall", "runs other code");
	refused("RunDll32 \"C:\\Program Files (x86)\\Common Files\\InstallShield\\Professional\\RunTime\\11\\Ctor.dll\",LaunchSetup \"" IS_SETUP "\"",
		"does not exist");
	refused("RunDll32 " IS_DLL ",LaunchSetup \"" IS_SETUP "\" & calc", "metacharacter");

	/* Malicious and broken ones. */
	refused("C:\\Program Files\\x.exe & calc", "metacharacter '&'");
	refused("\"C:\\Program Files\\x.exe\" /S | calc", "metacharacter '|'");
	refused("\"C:\\Program Files\\x.exe\" > C:\\out", "metacharacter '>'");
	refused("\"C:\\Program Files\\x.exe\" ^& calc", "metacharacter '^'");
	refused("\"C:\\Program Files\\x.exe\"\r\ncalc", "line break");
	refused("\"C:\\Program Files\\x.exe\"\ncalc", "line break");
	refused("uninst.exe /S", "not a plain absolute path");
	refused(".\\uninst.exe", "not a plain absolute path");
	refused("\\Tools\\u.exe", "not a plain absolute path");
	refused("\"C:\\Tools\\..\\Windows\\System32\\cmd.exe\" /c calc", "not a plain absolute path");
	refused("\\\\evil\\share\\u.exe", "not a plain absolute path");
	refused("\"\\\\?\\C:\\Tools\\u.exe\"", "not a plain absolute path");
	refused("C:/Tools/u.exe", "not a plain absolute path");
	refused("\"C:\\Program Files\\Missing\\uninst.exe\" /S", "does not exist");
	refused("\"C:\\Tools\\setup.bat\"", "not an .exe");
	refused("\"C:\\Tools\\u.exe.\"", "not a plain absolute path");
	refused("C:\\Windows\\System32\\cmd.exe /c \"C:\\Tools\\u.exe\"", "runs other code");
	refused("\"C:\\Windows\\System32\\rundll32.exe\" shell32.dll,Control_RunDLL", "runs other code");
	refused("powershell.exe -c calc", "not a plain absolute path");
	refused("MsiExec.exe /I C:\\x.msi", "product code");
	refused("MsiExec.exe /X{not-a-guid}", "product code");
	refused("MsiExec.exe", "product code");
	refused("", "empty");
	refused("   ", "empty");
	refused("\"\"", "no program");
	{
		struct cd_uninstall_opts nosys = {fake_exists, NULL, NULL, {NULL, NULL}, NULL};
		struct cd_cmdline c;
		char why[128];
		CHECK(cd_uninstall_parse("MsiExec.exe /X{AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE}", &nosys,
					 &c, why, sizeof(why)) == CD_ERR_DENIED);
	}
}

static void test_plain_path(void)
{
	CHECK(cd_win_path_is_plain_absolute("C:\\a\\b.exe"));
	CHECK(cd_win_path_is_plain_absolute("d:\\中文\\b.exe"));
	CHECK(!cd_win_path_is_plain_absolute("C:\\a\\\\b.exe"));
	CHECK(!cd_win_path_is_plain_absolute("C:\\a\\"));
	CHECK(!cd_win_path_is_plain_absolute("C:\\a:b\\c.exe"));
	CHECK(!cd_win_path_is_plain_absolute("C:\\a\\.\\c.exe"));
	CHECK(!cd_win_path_is_plain_absolute("C:a.exe"));
	CHECK(!cd_win_path_is_plain_absolute("C:\\a\tb.exe"));
	CHECK(!cd_win_path_is_plain_absolute(NULL));
}

int main(void)
{
	test_split();
	test_join();
	test_uninstall();
	test_plain_path();
	return check_summary("test_cmdline");
}
