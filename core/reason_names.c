// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The failure reasons' names and texts (include/warden/reason.h), for the
 * console and the records. Pure: the hypervisor, the simulator and
 * warden-config link it (the rest of the records' text, trace.c, which
 * also turns names back into codes for the simulator's parsers, is not
 * built into the hypervisor's production images).
 */
#include <warden/reason.h>

#include "lib.h"
#include "reason_names.h"

/* Names and texts in one block, found by offset: no pointers to relocate. */
#define STR(c, n, t) char n##_n[sizeof(#n)], n##_t[sizeof(t)];
#define OFF(c, n, t) \
	{ c, offsetof(struct strs, n##_n), offsetof(struct strs, n##_t) },
#define INIT(c, n, t) #n, t,
static const struct strs {
	WD_REASONS(STR)
} strings = { WD_REASONS(INIT) };
static const struct reason_desc {
	uint16_t code, name, text;
} reasons[] = { WD_REASONS(OFF) };

static const struct reason_desc *reason_find(unsigned int code)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(reasons); i++)
		if (reasons[i].code == code)
			return &reasons[i];
	return NULL;
}

const char *wd_reason_name(unsigned int code)
{
	const struct reason_desc *r = reason_find(code);

	return r ? (const char *)&strings + r->name : "unknown";
}

/*
 * "<what went wrong>: <item label> 0x<item>" from a reason text of the form
 * "what went wrong; item = label" (reasons without an item omit it).
 */
int wd_reason_describe(char *buf, size_t size, unsigned int reason,
		       uint64_t item)
{
	const struct reason_desc *r = reason_find(reason);
	const char *text = r ? (const char *)&strings + r->text :
			       "unknown reason";
	const char *sep = text;

	while (*sep && wd_strncmp(sep, "; item = ", 9))
		sep++;
	if (!*sep)
		return wd_snprintf(buf, size, "%s", text);
	return wd_snprintf(buf, size, "%.*s: %s 0x%llx", (int)(sep - text),
			   text, sep + 9, (unsigned long long)item);
}
