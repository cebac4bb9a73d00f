// SPDX-License-Identifier: GPL-2.0-only
/*
 * command.c - what the program (main.c) and the library (the manual page)
 * both need to know about a command; see cmd.h.
 */
#include "cmd.h"

struct zpb_optset zpb_cmd_optset(const struct zpb_cmd *cmd)
{
	static const struct zpb_opt none[] = { { .name = NULL } };

	return (struct zpb_optset){ .cmd = cmd->name,
				    .about = cmd->about,
				    .opts = cmd->opts ? cmd->opts : none,
				    .operand = cmd->operand,
				    .help_extra = cmd->help_extra };
}
