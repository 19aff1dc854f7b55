/* The rules database compiled from rules/ at build time (see src/CMakeLists.txt).
 * Only the cadoctor executable links this; the generators do not, since they
 * are what builds it. */
#include "rules.h"

extern const unsigned char cd_rules_db[];
extern const size_t cd_rules_db_len;

void cd_rules_embedded(const unsigned char **bytes, size_t *len)
{
	*bytes = cd_rules_db;
	*len = cd_rules_db_len;
}
