/* Exit codes of the cadoctor command (docs/exit-codes.md). 0-2 describe the
 * machine; the others describe the run. Values above 2 follow BSD sysexits so
 * that deployment tools recognise them. */
#ifndef CD_EXITCODES_H
#define CD_EXITCODES_H

enum cd_exit {
	CD_EXIT_OK = 0,         /* nothing wrong found (informational notes at most) */
	CD_EXIT_WARNINGS = 1,   /* warnings, no errors (or some rules could not run) */
	CD_EXIT_ERRORS = 2,     /* at least one error-severity finding */
	CD_EXIT_USAGE = 64,     /* bad command line */
	CD_EXIT_BAD_INPUT = 65, /* an input file is damaged or invalid (snapshot, rules, JSON) */
	CD_EXIT_NO_INPUT = 66,  /* an input file does not exist or cannot be read */
	CD_EXIT_INTERNAL = 70,  /* cadoctor failed (a bug, out of memory) */
	CD_EXIT_CANT_WRITE = 73, /* an output file cannot be written */
	CD_EXIT_LOCKED = 75,    /* repair/undo: another repair or undo holds the journal; try again */
	CD_EXIT_NOPERM = 77     /* repair/undo: administrator (root) rights are needed */
};

#endif
