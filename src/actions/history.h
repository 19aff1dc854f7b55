/* Repair history into facts (repair_history), from this machine's journal. */
#ifndef CD_ACTIONS_HISTORY_H
#define CD_ACTIONS_HISTORY_H

#include "../core/error.h"
#include "../core/facts.h"

/* Adds the last runs of the repair journal, step by step, to repair_history:
 * those made on the system at root (NULL or "/": this machine). No journal
 * (nothing repaired yet) is not an error. */
cd_err cd_actions_record_history(struct cd_facts *f, const char *root);

#endif
