/* glint-core-private.h: core control on an attached target, for other core
 * modules (the fault report, the live watch) that hold the session's job
 * lock already. */
#pragma once

#include "glint-core.h"
#include "glint-target.h"

G_BEGIN_DECLS

gboolean glint_core_get_status(GlintTarget *t, GlintCoreStatus *status, GError **error);
gboolean glint_core_get_info(GlintTarget *t, GlintCoreInfo *info, GError **error);
/* Every register of a halted core (GLINT_ERROR_NOT_HALTED otherwise) */
gboolean glint_core_read_all(GlintTarget *t, const GlintCoreInfo *info, GlintCoreRegs *regs,
			     GError **error);

G_END_DECLS
