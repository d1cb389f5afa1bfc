// SPDX-License-Identifier: GPL-2.0
/*
 * warden-config compile: DTS (through dtc) or DTB -> struct cellcfg -> the
 * binary layout. The binding is docs/config.md; the property tables are in
 * tools/binding.c. Every property and node must be known: a typo is an
 * error naming the node path and the property, never silently ignored.
 * The first error stops the compilation.
 */
#include <errno.h>
#include <libfdt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tools/binding.h"
#include "tools/dts.h"

#define MAX_DTB (16u << 20)
/* Bytes of CPU set a DTS may ask for: 8M CPUs, beyond any machine. */
#define MAX_CPU_SET (1u << 20)

struct ctx {
	const void *fdt;
	char *err;
	size_t errlen;
};

static const struct prop no_props[] = { { NULL, PT_SPECIAL, 0, 0, 0, NULL,
					  0 } };

static int fail(struct ctx *x, int node, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Record "PATH: message" in x->err. Always returns -1. */
static int fail(struct ctx *x, int node, const char *fmt, ...)
{
	char path[512];
	va_list ap;
	int n;

	if (fdt_get_path(x->fdt, node, path, sizeof(path)) < 0)
		snprintf(path, sizeof(path), "(node at offset %d)", node);
	n = snprintf(x->err, x->errlen, "%s: ", path);
	if (n >= 0 && (size_t)n < x->errlen) {
		va_start(ap, fmt);
		vsnprintf(x->err + n, x->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* Levenshtein distance, capped: enough to suggest a fix for a typo. */
static unsigned int distance(const char *a, const char *b)
{
	unsigned int row[64], i, j, diag, up;
	size_t la = strlen(a), lb = strlen(b);

	if (la >= 63 || lb >= 63)
		return 99;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		diag = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			up = row[j];
			row[j] = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < row[j])
				row[j] = up + 1;
			if (row[j - 1] + 1 < row[j])
				row[j] = row[j - 1] + 1;
			diag = up;
		}
	}
	return row[lb];
}

static bool applies(const struct prop *e, unsigned int where)
{
	unsigned int only = e->flags & (P_CELLCFG | P_ROOTCELL);

	return !only || (only & where);
}

static const struct prop *prop_find(const struct prop *tab, const char *name,
				    unsigned int where)
{
	for (; tab->name; tab++)
		if (applies(tab, where) && !strcmp(tab->name, name))
			return tab;
	return NULL;
}

/* " (did you mean 'x'?)" for the nearest known property, or "". */
static const char *suggest_prop(const struct prop *tab, const char *name,
				unsigned int where, char *buf, size_t len)
{
	const char *best = NULL;
	unsigned int d, best_d = 3;

	for (; tab->name; tab++) {
		if (!applies(tab, where))
			continue;
		d = distance(name, tab->name);
		if (d < best_d) {
			best_d = d;
			best = tab->name;
		}
	}
	if (!best)
		return "";
	snprintf(buf, len, " (did you mean '%s'?)", best);
	return buf;
}

/* "a, b, c": the names of @tab that set bits, for messages. */
static const char *list_names(const struct name_val *tab, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = 0;
	for (; tab->name && o < len; tab++)
		o += (size_t)snprintf(buf + o, len - o, "%s%s", o ? ", " : "",
				      tab->name);
	return buf;
}

/* A list of one or more non-empty, printable strings? */
static bool is_strings(const char *s, int len)
{
	int i;

	if (len <= 0 || s[len - 1] || !s[0])
		return false;
	for (i = 1; i < len; i++) {
		if (!s[i] && !s[i - 1])
			return false;
		if (s[i] && (unsigned char)s[i] < 0x20)
			return false;
	}
	return true;
}

static bool is_one_string(const char *s, int len)
{
	return is_strings(s, len) && strlen(s) + 1 == (size_t)len;
}

static int get_num(struct ctx *x, int node, const char *name, const void *data,
		   int len, uint64_t *v)
{
	if (len == 4)
		*v = fdt32_ld(data);
	else if (len == 8)
		*v = fdt64_ld(data);
	else
		return fail(x, node,
			    "'%s': expected one cell <n> or a 64-bit value "
			    "/bits/ 64 <n>, got %d bytes",
			    name, len);
	return 0;
}

/* Does @v fit the field (and the bits the property owns)? */
static int check_range(struct ctx *x, int node, const struct prop *e,
		       uint64_t v)
{
	uint64_t max = e->width >= 8 ? ~0ull : (1ull << (e->width * 8)) - 1;

	if (e->mask)
		max &= e->mask;
	if (v > max)
		return fail(x, node,
			    "'%s': value %#llx out of range (max %#llx)",
			    e->name, (unsigned long long)v,
			    (unsigned long long)max);
	return 0;
}

static int parse_flags(struct ctx *x, int node, const struct prop *e,
		       const char *data, int len, void *base)
{
	uint64_t v = 0, n,
		 bits = e->width >= 8 ? ~0ull : (1ull << (e->width * 8)) - 1;
	const struct name_val *nv;
	const char *s;
	char known[256];

	if (!is_strings(data, len))
		return fail(x, node,
			    "'%s': expected a list of flag names, e.g. "
			    "%s = \"%s\"",
			    e->name, e->name, e->names[0].name);
	for (s = data; s < data + len; s += strlen(s) + 1) {
		nv = name_find(e->names, s);
		if (nv)
			v |= nv->val;
		else if (parse_numstr(s, &n))
			v |= n;
		else
			return fail(x, node,
				    "'%s': unknown flag '%s' (known: %s; other "
				    "bits as numbers, e.g. \"0x100\")",
				    e->name, s,
				    list_names(e->names, known, sizeof(known)));
	}
	if (e->mask)
		bits &= e->mask;
	if (v & ~bits)
		return fail(x, node,
			    "'%s': bits %#llx do not belong to this property",
			    e->name, (unsigned long long)(v & ~bits));
	field_set(base, e->off, e->width,
		  field_get(base, e->off, e->width) | v);
	return 0;
}

static int parse_enum(struct ctx *x, int node, const struct prop *e,
		      const char *data, int len, void *base)
{
	const struct name_val *nv;
	char known[256];
	uint64_t v;

	if (is_one_string(data, len)) {
		nv = name_find(e->names, data);
		if (nv)
			v = nv->val;
		else if (!parse_numstr(data, &v))
			return fail(x, node,
				    "'%s': unknown value '%s' (known: %s)",
				    e->name, data,
				    list_names(e->names, known, sizeof(known)));
	} else if (get_num(x, node, e->name, data, len, &v)) {
		return -1;
	}
	if (check_range(x, node, e, v))
		return -1;
	field_set(base, e->off, e->width, v);
	return 0;
}

/* Parse one hex number of 1..2 digits at *s, advancing it. */
static bool hex2(const char **s, unsigned int *v)
{
	unsigned int i, d;

	for (*v = 0, i = 0; i < 2; i++, (*s)++) {
		char c = **s;

		if (c >= '0' && c <= '9')
			d = (unsigned int)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned int)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (unsigned int)(c - 'A' + 10);
		else
			break;
		*v = *v * 16 + d;
	}
	return i > 0;
}

/* "BB:DD.F" (hex, as lspci prints it) -> bus << 8 | dev << 3 | fn. */
static bool parse_bdf_str(const char *s, uint64_t *bdf)
{
	unsigned int bus, dev, fn;

	if (!hex2(&s, &bus) || *s++ != ':' || !hex2(&s, &dev) || *s++ != '.' ||
	    !hex2(&s, &fn) || *s || dev > 0x1f || fn > 7)
		return false;
	*bdf = bus << 8 | dev << 3 | fn;
	return true;
}

static int parse_bdf(struct ctx *x, int node, const struct prop *e,
		     const char *data, int len, void *base)
{
	uint64_t v;

	if (is_one_string(data, len)) {
		if (!parse_bdf_str(data, &v))
			return fail(x, node,
				    "'%s': bad BDF '%s' (expected "
				    "bus:device.function in hex, device "
				    "0..1f, function 0..7, e.g. \"00:1f.3\")",
				    e->name, data);
	} else if (get_num(x, node, e->name, data, len, &v) ||
		   check_range(x, node, e, v)) {
		return -1;
	}
	field_set(base, e->off, e->width, v);
	return 0;
}

static int parse_bytes(struct ctx *x, int node, const struct prop *e,
		       const char *data, int len, void *base)
{
	uint8_t *p = (uint8_t *)base + e->off;

	if (len == e->width) {
		memcpy(p, data, (size_t)len);
	} else if (is_one_string(data, len) && strlen(data) <= e->width) {
		memset(p, 0, e->width);
		memcpy(p, data, strlen(data));
	} else {
		return fail(x, node,
			    "'%s': expected %u bytes [..] or a string of at "
			    "most %u characters, got %d bytes",
			    e->name, e->width, e->width, len);
	}
	return 0;
}

static int parse_widths(struct ctx *x, int node, const struct prop *e,
			const void *data, int len, void *base)
{
	uint64_t v = 0, w;
	int i;

	if (len % 4)
		return fail(x, node, "'%s': expected cells, e.g. <8 32>",
			    e->name);
	for (i = 0; i < len / 4; i++) {
		w = fdt32_ld((const fdt32_t *)data + i);
		if (w != 8 && w != 16 && w != 32 && w != 64)
			return fail(x, node,
				    "'%s': %llu is not an access width (8, 16, "
				    "32 or 64)",
				    e->name, (unsigned long long)w);
		v |= (w / 8) << IO_WIDTH_SHIFT;
	}
	field_set(base, e->off, e->width,
		  field_get(base, e->off, e->width) | v);
	return 0;
}

static int parse_u32s(struct ctx *x, int node, const struct prop *e,
		      const void *data, int len, void *base)
{
	int i;

	if (len % 4 || len > e->width)
		return fail(x, node, "'%s': expected at most %u cells", e->name,
			    e->width / 4);
	for (i = 0; i < len / 4; i++)
		field_set(base, e->off + 4 * (unsigned int)i, 4,
			  fdt32_ld((const fdt32_t *)data + i));
	return 0;
}

static int parse_prop(struct ctx *x, int node, const struct prop *e,
		      const void *data, int len, void *base)
{
	uint64_t v;

	switch (e->type) {
	case PT_NUM:
		if (get_num(x, node, e->name, data, len, &v) ||
		    check_range(x, node, e, v))
			return -1;
		field_set(base, e->off, e->width,
			  (field_get(base, e->off, e->width) & ~e->mask) | v);
		return 0;
	case PT_FLAGS:
		return parse_flags(x, node, e, data, len, base);
	case PT_ENUM:
		return parse_enum(x, node, e, data, len, base);
	case PT_BDF:
		return parse_bdf(x, node, e, data, len, base);
	case PT_BYTES:
		return parse_bytes(x, node, e, data, len, base);
	case PT_BOOL:
		if (len)
			return fail(x, node,
				    "'%s' takes no value (write '%s;')",
				    e->name, e->name);
		field_set(base, e->off, e->width,
			  field_get(base, e->off, e->width) | e->mask);
		return 0;
	case PT_WIDTHS:
		return parse_widths(x, node, e, data, len, base);
	case PT_U32S:
		return parse_u32s(x, node, e, data, len, base);
	case PT_SPECIAL:
		return 0; /* the node's own code reads it */
	}
	return 0;
}

/*
 * Parse every property of @node by @tab into @base: unknown properties are
 * errors, and so are missing required ones. @where selects the entries
 * that only apply in a cell config's root or in a system's root-cell.
 */
static int parse_props(struct ctx *x, int node, const struct prop *tab,
		       void *base, unsigned int where)
{
	const struct prop *e;
	const char *name;
	const void *data;
	char hint[64];
	int p, len;

	fdt_for_each_property_offset(p, x->fdt, node)
	{
		data = fdt_getprop_by_offset(x->fdt, p, &name, &len);
		if (!data)
			return fail(x, node, "unreadable property: %s",
				    fdt_strerror(len));
		/* dtc adds these for labels referenced by phandle. */
		if (!strcmp(name, "phandle") || !strcmp(name, "linux,phandle"))
			continue;
		e = prop_find(tab, name, where);
		if (!e)
			return fail(x, node, "unknown property '%s'%s", name,
				    suggest_prop(tab, name, where, hint,
						 sizeof(hint)));
		if (parse_prop(x, node, e, data, len, base))
			return -1;
	}
	for (e = tab; e->name; e++)
		if (applies(e, where) && e->flags & P_REQ &&
		    !fdt_getprop(x->fdt, node, e->name, NULL))
			return fail(x, node, "missing required property '%s'",
				    e->name);
	return 0;
}

/* Does child name @name match @pattern ("x" exactly, "x@" any unit)? */
static bool name_matches(const char *name, const char *pattern)
{
	size_t n = strlen(pattern);

	if (n && pattern[n - 1] == '@')
		return !strncmp(name, pattern, n);
	return !strcmp(name, pattern);
}

/* Every child of @node must be one of @allowed (NULL-terminated). */
static int check_children(struct ctx *x, int node, const char *const *allowed)
{
	const char *const *a;
	char list[256];
	size_t o = 0;
	int child;

	fdt_for_each_subnode(child, x->fdt, node)
	{
		const char *name = fdt_get_name(x->fdt, child, NULL);

		for (a = allowed; *a; a++)
			if (name_matches(name, *a))
				break;
		if (*a)
			continue;
		list[0] = 0;
		for (a = allowed; *a && o < sizeof(list); a++)
			o += (size_t)snprintf(
				list + o, sizeof(list) - o, "%s%s%s",
				o ? ", " : "", *a,
				(*a)[strlen(*a) - 1] == '@' ? "N" : "");
		if (!*allowed)
			return fail(x, child,
				    "unknown node (no child nodes "
				    "belong here)");
		return fail(x, child, "unknown node (expected: %s)", list);
	}
	return 0;
}

/* Parse the optional child @name of @node by @tab. */
static int parse_child(struct ctx *x, int node, const char *name,
		       const struct prop *tab, void *base, bool required)
{
	static const char *const none[] = { NULL };
	int child = fdt_subnode_offset(x->fdt, node, name);

	if (child == -FDT_ERR_NOTFOUND) {
		if (required)
			return fail(x, node, "missing required node '%s'",
				    name);
		return 0;
	}
	if (child < 0)
		return fail(x, node, "'%s': %s", name, fdt_strerror(child));
	if (check_children(x, child, none))
		return -1;
	return parse_props(x, child, tab, base, 0);
}

static char *node_path(struct ctx *x, int node, const char *suffix)
{
	char path[512];
	size_t n;

	if (fdt_get_path(x->fdt, node, path, sizeof(path)) < 0)
		snprintf(path, sizeof(path), "?");
	n = strlen(path);
	snprintf(path + n, sizeof(path) - n, "%s", suffix ? suffix : "");
	return strdup(path);
}

/* Set pins @first..@last of @chip, which must lie in its 128 pins. */
static int set_pins(struct ctx *x, int node, const char *prop,
		    struct wd_irqchip *chip, uint64_t first, uint64_t last)
{
	uint64_t base = chip->pin_base, pin;

	if (first > last)
		return fail(x, node, "'%s': range %llu..%llu is empty", prop,
			    (unsigned long long)first,
			    (unsigned long long)last);
	if (first < base || last >= base + WD_IRQCHIP_PINS)
		return fail(x, node,
			    "'%s': pin %llu outside this chip's pins "
			    "%llu..%llu (pin-base .. pin-base + 127)",
			    prop,
			    (unsigned long long)(first < base ? first : last),
			    (unsigned long long)base,
			    (unsigned long long)(base + WD_IRQCHIP_PINS - 1));
	for (pin = first; pin <= last; pin++)
		chip->pin_bitmap[(pin - base) / 32] |= 1u
						       << ((pin - base) % 32);
	return 0;
}

/* pins = <33 40>; pin-ranges = <32 63>, <96 100>; pin-bitmap = <4 cells> */
static int parse_pins(struct ctx *x, int node, struct wd_irqchip *chip)
{
	const fdt32_t *p;
	uint32_t map[4] = { 0 };
	int len, i;

	p = fdt_getprop(x->fdt, node, "pins", &len);
	if (p && len % 4)
		return fail(x, node, "'pins': expected cells, e.g. <33 40>");
	for (i = 0; p && i < len / 4; i++)
		if (set_pins(x, node, "pins", chip, fdt32_ld(p + i),
			     fdt32_ld(p + i)))
			return -1;
	p = fdt_getprop(x->fdt, node, "pin-ranges", &len);
	if (p && len % 8)
		return fail(x, node,
			    "'pin-ranges': expected pairs <first last>, e.g. "
			    "<32 63>");
	for (i = 0; p && i < len / 8; i++)
		if (set_pins(x, node, "pin-ranges", chip, fdt32_ld(p + 2 * i),
			     fdt32_ld(p + 2 * i + 1)))
			return -1;
	p = fdt_getprop(x->fdt, node, "pin-bitmap", &len);
	if (p && (len % 4 || len > 16))
		return fail(x, node, "'pin-bitmap': expected at most 4 cells");
	for (i = 0; p && i < len / 4; i++)
		map[i] = fdt32_ld(p + i);
	for (i = 0; i < 4; i++)
		chip->pin_bitmap[i] |= map[i];
	return 0;
}

/* PCI capabilities are referenced by index: a unit address must be it. */
static int check_cap_index(struct ctx *x, int node, unsigned int idx)
{
	const char *name = fdt_get_name(x->fdt, node, NULL);
	const char *at = strchr(name, '@');
	char *end;
	unsigned long v;

	if (!at)
		return 0;
	v = strtoul(at + 1, &end, 16);
	if (!at[1] || *end || v != idx)
		return fail(x, node,
			    "unit address '%s' is not this capability's "
			    "index %x (devices refer to capabilities by "
			    "index: caps-start)",
			    at + 1, idx);
	return 0;
}

static const struct prop *const item_props[CFG_KINDS] = {
	[CFG_MEM] = mem_props,	       [CFG_CACHE] = cache_props,
	[CFG_IRQCHIP] = irqchip_props, [CFG_PIO] = pio_props,
	[CFG_PCI] = pci_props,	       [CFG_CAP] = cap_props,
};

static const size_t item_size[CFG_KINDS] = {
	[CFG_MEM] = sizeof(struct wd_memory),
	[CFG_CACHE] = sizeof(struct wd_cache),
	[CFG_IRQCHIP] = sizeof(struct wd_irqchip),
	[CFG_PIO] = sizeof(struct wd_pio),
	[CFG_PCI] = sizeof(struct wd_pci_device),
	[CFG_CAP] = sizeof(struct wd_pci_capability),
};

static void set_array(struct cellcfg *c, enum cellcfg_kind k, void *arr)
{
	switch (k) {
	case CFG_MEM:
		c->mem = arr;
		break;
	case CFG_CACHE:
		c->cache = arr;
		break;
	case CFG_IRQCHIP:
		c->irq = arr;
		break;
	case CFG_PIO:
		c->pio = arr;
		break;
	case CFG_PCI:
		c->pci = arr;
		break;
	case CFG_CAP:
		c->caps = arr;
		break;
	default:
		free(arr);
		break;
	}
}

static int parse_item(struct ctx *x, int node, struct cellcfg *c,
		      enum cellcfg_kind k, unsigned int i, void *item)
{
	static const char *const none[] = { NULL };

	c->node[k][i] = node_path(x, node, NULL);
	if (!c->node[k][i])
		return fail(x, node, "out of memory");
	if (check_children(x, node, none) ||
	    parse_props(x, node, item_props[k], item, 0))
		return -1;
	if (k == CFG_IRQCHIP)
		return parse_pins(x, node, item);
	if (k == CFG_CAP)
		return check_cap_index(x, node, i);
	return 0;
}

/* One child node per item of @k, in DTS order, under its container. */
static int parse_items(struct ctx *x, int cell, struct cellcfg *c,
		       enum cellcfg_kind k)
{
	int cont = fdt_subnode_offset(x->fdt, cell, container_names[k]);
	unsigned int n = 0, i = 0;
	uint8_t *arr;
	int child;

	if (cont == -FDT_ERR_NOTFOUND)
		return 0;
	if (cont < 0 || parse_props(x, cont, no_props, NULL, 0))
		return cont < 0 ? fail(x, cell, "%s", fdt_strerror(cont)) : -1;
	fdt_for_each_subnode(child, x->fdt, cont)
	{
		n++;
	}
	if (!n)
		return 0;
	arr = calloc(n, item_size[k]);
	c->node[k] = calloc(n, sizeof(char *));
	set_array(c, k, arr);
	if (!arr || !c->node[k])
		return fail(x, cont, "out of memory");
	c->num[k] = n;
	fdt_for_each_subnode(child, x->fdt, cont)
	{
		if (parse_item(x, child, c, k, i, arr + i * item_size[k]))
			return -1;
		i++;
	}
	return 0;
}

/* cell-name = "..." or cell-name-bytes = [32 bytes]; one is required. */
static int parse_name(struct ctx *x, int node, struct wd_cell_desc *cell)
{
	const char *name = fdt_getprop(x->fdt, node, "cell-name", NULL);
	bool raw = fdt_getprop(x->fdt, node, "cell-name-bytes", NULL);
	int len;

	if (name && raw)
		return fail(x, node,
			    "'cell-name' and 'cell-name-bytes' both given");
	if (raw)
		return 0; /* parse_props() copied it */
	if (!name)
		return fail(x, node, "missing required property 'cell-name'");
	fdt_getprop(x->fdt, node, "cell-name", &len);
	if (!is_one_string(name, len))
		return fail(x, node, "'cell-name': expected one string");
	if (strlen(name) > WD_CELL_NAME_MAXLEN)
		return fail(x, node,
			    "'cell-name': \"%s\" is longer than %d characters",
			    name, WD_CELL_NAME_MAXLEN);
	memset(cell->name, 0, sizeof(cell->name));
	memcpy(cell->name, name, strlen(name));
	return 0;
}

/* cpus = <ids>; cpu-set-size = <bytes> (default: whole 64-bit words). */
static int parse_cpus(struct ctx *x, int node, struct cellcfg *c)
{
	const fdt32_t *ids;
	const void *sz;
	uint64_t size = 0, max = 0, cpu;
	int len = 0, slen, i;

	ids = fdt_getprop(x->fdt, node, "cpus", &len);
	if (!ids)
		len = 0;
	if (len % 4)
		return fail(x, node,
			    "'cpus': expected a list of CPU ids, e.g. <0 1>");
	for (i = 0; i < len / 4; i++)
		if (fdt32_ld(ids + i) > max)
			max = fdt32_ld(ids + i);
	sz = fdt_getprop(x->fdt, node, "cpu-set-size", &slen);
	if (sz) {
		if (get_num(x, node, "cpu-set-size", sz, slen, &size))
			return -1;
		if (size > MAX_CPU_SET)
			return fail(x, node,
				    "'cpu-set-size': %llu bytes out of range "
				    "(max %u)",
				    (unsigned long long)size, MAX_CPU_SET);
		if (len && max >= size * 8)
			return fail(x, node,
				    "'cpus': CPU %llu does not fit in "
				    "cpu-set-size %llu (CPUs 0..%llu)",
				    (unsigned long long)max,
				    (unsigned long long)size,
				    (unsigned long long)(size * 8 - 1));
	} else if (len) {
		if (max >= MAX_CPU_SET * 8ull)
			return fail(x, node, "'cpus': CPU %llu out of range",
				    (unsigned long long)max);
		size = (max / 64 + 1) * 8;
	}
	c->cell.cpu_set_size = (uint32_t)size;
	c->cpu_set = calloc(size ? size : 1, 1);
	if (!c->cpu_set)
		return fail(x, node, "out of memory");
	for (i = 0; i < len / 4; i++) {
		cpu = fdt32_ld(ids + i);
		if (c->cpu_set[cpu / 8] & (1u << (cpu % 8)))
			return fail(x, node, "'cpus': CPU %llu listed twice",
				    (unsigned long long)cpu);
		c->cpu_set[cpu / 8] |= (uint8_t)(1u << (cpu % 8));
	}
	return 0;
}

/*
 * 'stream-ids' (plain 32-bit ids) or 'mmu500-stream-ids' (<id mask-out>
 * pairs of an ARM MMU-500: the union's mmu500 view, 16 bits each).
 */
static int parse_stream_ids(struct ctx *x, int node, struct cellcfg *c)
{
	const fdt32_t *ids, *pairs;
	const char *prop = "stream-ids";
	char suffix[48];
	int len, plen, i, n;
	uint32_t id, mask;

	ids = fdt_getprop(x->fdt, node, "stream-ids", &len);
	pairs = fdt_getprop(x->fdt, node, "mmu500-stream-ids", &plen);
	if (ids && pairs)
		return fail(x, node,
			    "'stream-ids' and 'mmu500-stream-ids': give the "
			    "stream ids one way");
	if (pairs) {
		if (plen % 8)
			return fail(x, node,
				    "'mmu500-stream-ids': expected <id "
				    "mask-out> pairs");
		ids = pairs;
		len = plen / 2;
		prop = "mmu500-stream-ids";
	}
	if (!ids)
		return 0;
	if (len % 4)
		return fail(x, node, "'stream-ids': expected cells");
	n = len / 4;
	if (!n)
		return 0;
	c->stream_ids = calloc((size_t)n, sizeof(uint32_t));
	c->node[CFG_STREAM] = calloc((size_t)n, sizeof(char *));
	if (!c->stream_ids || !c->node[CFG_STREAM])
		return fail(x, node, "out of memory");
	c->num[CFG_STREAM] = (unsigned int)n;
	for (i = 0; i < n; i++) {
		if (pairs) {
			id = fdt32_ld(pairs + 2 * i);
			mask = fdt32_ld(pairs + 2 * i + 1);
			if (id > 0xffff || mask > 0xffff)
				return fail(x, node,
					    "'mmu500-stream-ids' entry %d: "
					    "id 0x%x, mask-out 0x%x: an "
					    "MMU-500 takes 16 bits each",
					    i, id, mask);
			c->stream_ids[i] = id | mask << 16;
		} else {
			c->stream_ids[i] = fdt32_ld(ids + i);
		}
		snprintf(suffix, sizeof(suffix), "%s%s[%d]", node ? "/" : "",
			 prop, i);
		c->node[CFG_STREAM][i] = node_path(x, node, suffix);
		if (!c->node[CFG_STREAM][i])
			return fail(x, node, "out of memory");
	}
	return 0;
}

/* A cell config's root node, or a system's root-cell node. */
static int parse_cell(struct ctx *x, int node, struct cellcfg *c,
		      unsigned int where)
{
	static const char *const children[] = {
		"console",     "memory-regions", "cache-regions", "irqchips",
		"pio-regions", "pci-devices",	 "pci-caps",	  NULL,
	};
	enum cellcfg_kind k;

	if (check_children(x, node, children) ||
	    parse_props(x, node, cell_props, &c->cell, where) ||
	    parse_name(x, node, &c->cell) || parse_cpus(x, node, c) ||
	    parse_stream_ids(x, node, c) ||
	    parse_child(x, node, "console", console_props, &c->cell.console,
			false))
		return -1;
	for (k = CFG_MEM; k < CFG_KINDS; k++)
		if (container_names[k] && parse_items(x, node, c, k))
			return -1;
	return 0;
}

/* iommu@N: unit N of the 8 in the platform info. */
static int parse_iommu(struct ctx *x, int node, struct wd_platform_info *pi,
		       bool *seen)
{
	static const char *const none[] = { NULL };
	const char *name = fdt_get_name(x->fdt, node, NULL);
	const struct prop *e;
	bool amd = false, pvu = false;
	unsigned long n;
	char *end;

	n = strtoul(name + strlen("iommu@"), &end, 16);
	if (!name[strlen("iommu@")] || *end || n >= WD_MAX_IOMMU_UNITS)
		return fail(x, node, "IOMMU unit address must be 0..%d",
			    WD_MAX_IOMMU_UNITS - 1);
	if (seen[n])
		return fail(x, node, "IOMMU unit %lu given twice", n);
	seen[n] = true;
	for (e = iommu_props; e->name; e++) {
		if (fdt_getprop(x->fdt, node, e->name, NULL)) {
			amd |= e->flags & P_AMD;
			pvu |= e->flags & P_PVU;
		}
	}
	if (amd && pvu)
		return fail(x, node,
			    "'tlb-base' and the amd-* properties share bytes; "
			    "give one or the other");
	return check_children(x, node, none) ||
	       parse_props(x, node, iommu_props,
			   (uint8_t *)pi +
				   offsetof(struct wd_platform_info,
					    iommu_units) +
				   n * sizeof(struct wd_iommu),
			   0);
}

static int parse_platform(struct ctx *x, int root, struct wd_system *sys)
{
	static const char *const children[] = { "iommu@", "x86", "arm", NULL };
	struct wd_platform_info *pi = &sys->platform_info;
	uint8_t *un = (uint8_t *)pi + offsetof(struct wd_platform_info, x86);
	int node = fdt_subnode_offset(x->fdt, root, "platform"), child;
	bool seen[WD_MAX_IOMMU_UNITS] = { false };

	if (node == -FDT_ERR_NOTFOUND)
		return 0;
	if (node < 0)
		return fail(x, root, "'platform': %s", fdt_strerror(node));
	if (check_children(x, node, children) ||
	    parse_props(x, node, platform_props, pi, 0))
		return -1;
	if (fdt_subnode_offset(x->fdt, node, "x86") >= 0 &&
	    fdt_subnode_offset(x->fdt, node, "arm") >= 0)
		return fail(x, node,
			    "'x86' and 'arm' both given: they share bytes "
			    "(one union); give the architecture's one");
	fdt_for_each_subnode(child, x->fdt, node)
	{
		if (!strncmp(fdt_get_name(x->fdt, child, NULL), "iommu@", 6) &&
		    parse_iommu(x, child, pi, seen))
			return -1;
	}
	if (parse_child(x, node, "x86", x86_props, un, false) ||
	    parse_child(x, node, "arm", arm_props, un, false))
		return -1;
	return 0;
}

static int parse_system(struct ctx *x, struct cellcfg *c)
{
	static const char *const children[] = {
		"hypervisor-memory",
		"debug-console",
		"platform",
		"root-cell",
		NULL,
	};
	int rc;

	if (check_children(x, 0, children) ||
	    parse_props(x, 0, sys_props, &c->sys, 0) ||
	    parse_child(x, 0, "hypervisor-memory", hv_mem_props,
			&c->sys.hypervisor_memory, true) ||
	    parse_child(x, 0, "debug-console", console_props,
			&c->sys.debug_console, false) ||
	    parse_platform(x, 0, &c->sys))
		return -1;
	rc = fdt_subnode_offset(x->fdt, 0, "root-cell");
	if (rc < 0)
		return fail(x, 0, "missing required node 'root-cell'");
	return parse_cell(x, rc, c, P_ROOTCELL);
}

/* Fill in what the binding does not spell: signatures, revision, counts. */
static void finish(struct cellcfg *c)
{
	struct wd_cell_desc *cell = &c->cell;

	cell->num_memory_regions = c->num[CFG_MEM];
	cell->num_cache_regions = c->num[CFG_CACHE];
	cell->num_irqchips = c->num[CFG_IRQCHIP];
	cell->num_pio_regions = c->num[CFG_PIO];
	cell->num_pci_devices = c->num[CFG_PCI];
	cell->num_pci_caps = c->num[CFG_CAP];
	cell->num_stream_ids = c->num[CFG_STREAM];
	if (c->is_system) {
		memcpy(c->sys.signature, WD_SYSTEM_SIGNATURE, WD_SIGNATURE_LEN);
		c->sys.revision = WD_CONFIG_REVISION;
		c->sys.root_cell = *cell;
	} else {
		memcpy(cell->signature, WD_CELL_SIGNATURE, WD_SIGNATURE_LEN);
		cell->revision = WD_CONFIG_REVISION;
	}
}

static int parse_root(struct ctx *x, struct cellcfg *c)
{
	const char *compat;
	int len;

	compat = fdt_getprop(x->fdt, 0, "compatible", &len);
	if (!compat)
		return fail(x, 0,
			    "missing required property 'compatible' "
			    "(\"warden,system\" or \"warden,cell\")");
	if (is_one_string(compat, len) && !strcmp(compat, "warden,system"))
		c->is_system = true;
	else if (!is_one_string(compat, len) || strcmp(compat, "warden,cell"))
		return fail(x, 0,
			    "'compatible': expected \"warden,system\" or "
			    "\"warden,cell\"%s%s%s",
			    is_strings(compat, len) ? ", found \"" : "",
			    is_strings(compat, len) ? compat : "",
			    is_strings(compat, len) ? "\"" : "");
	c->root_node = strdup("/");
	if (!c->root_node)
		return fail(x, 0, "out of memory");
	if (c->is_system)
		return parse_system(x, c);
	if (!fdt_getprop(x->fdt, 0, "architecture", NULL))
		return fail(x, 0, "missing required property 'architecture'");
	return parse_cell(x, 0, c, P_CELLCFG);
}

int dts_compile_blob(const void *blob, size_t len, struct cellcfg *out,
		     char *err, size_t errlen)
{
	struct ctx x = { NULL, err, errlen };
	void *fdt;
	int rc;

	memset(out, 0, sizeof(*out));
	if (len > MAX_DTB) {
		snprintf(err, errlen,
			 "device tree blob of %zu bytes is too big", len);
		return -1;
	}
	/* A private, aligned copy: libfdt wants an aligned blob. */
	fdt = malloc(len ? len : 1);
	if (!fdt) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	memcpy(fdt, blob, len);
	rc = fdt_check_full(fdt, len);
	if (rc) {
		snprintf(err, errlen, "not a valid device tree blob: %s",
			 fdt_strerror(rc));
		free(fdt);
		return -1;
	}
	x.fdt = fdt;
	rc = parse_root(&x, out);
	if (!rc)
		finish(out);
	else
		cellcfg_free(out);
	free(fdt);
	return rc;
}

void *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL, *nb;
	size_t cap = 0, n = 0, got;
	struct stat st;

	if (!f)
		return NULL;
	/* A directory opens, then fails to read as EIO: say what it is. */
	if (!fstat(fileno(f), &st) && S_ISDIR(st.st_mode)) {
		fclose(f);
		errno = EISDIR;
		return NULL;
	}
	do {
		if (n + 1 >= cap) {
			cap = cap ? cap * 2 : 65536;
			nb = cap > MAX_DTB * 4 ? NULL : realloc(buf, cap);
			if (!nb) {
				free(buf);
				fclose(f);
				errno = EFBIG;
				return NULL;
			}
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
	} while (got);
	if (ferror(f)) {
		free(buf);
		fclose(f);
		errno = EIO;
		return NULL;
	}
	fclose(f);
	buf[n] = 0;
	*len = n;
	return buf;
}

int usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "warden-config %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n'warden-config %s --help' explains.\n", cmd);
	return 2;
}

int write_file(const char *path, const void *buf, size_t len)
{
	FILE *f = fopen(path, "wb");
	int rc = 0;

	if (!f)
		return -1;
	if (fwrite(buf, 1, len, f) != len)
		rc = -1;
	if (fclose(f))
		rc = -1;
	if (rc)
		remove(path);
	return rc;
}

/* First line of dtc's complaint, for the message. */
static void dtc_message(FILE *log, char *err, size_t errlen, int status)
{
	char line[400] = "";
	size_t n;

	rewind(log);
	if (!fgets(line, sizeof(line), log))
		snprintf(line, sizeof(line), "exit status %d", status);
	n = strlen(line);
	if (n && line[n - 1] == '\n')
		line[n - 1] = 0;
	snprintf(err, errlen, "dtc: %s", line);
}

/* dtc -I dts -O dtb, output captured in memory. */
static int run_dtc(const char *path, void **dtb, size_t *len, char *err,
		   size_t errlen)
{
	size_t cap = 65536, n = 0;
	uint8_t *buf = malloc(cap), *nb;
	FILE *log = tmpfile();
	int pipefd[2], status = 0;
	ssize_t got;
	pid_t pid;

	if (!buf || !log || pipe(pipefd)) {
		snprintf(err, errlen, "cannot run dtc: %s", strerror(errno));
		free(buf);
		if (log)
			fclose(log);
		return -1;
	}
	pid = fork();
	if (!pid) {
		dup2(pipefd[1], 1);
		dup2(fileno(log), 2);
		close(pipefd[0]);
		close(pipefd[1]);
		/* -q: dtc's style warnings (unit addresses) are not ours. */
		execlp("dtc", "dtc", "-q", "-I", "dts", "-O", "dtb", "-o", "-",
		       path, (char *)NULL);
		fprintf(stderr, "cannot run dtc: %s\n", strerror(errno));
		_exit(127);
	}
	close(pipefd[1]);
	while (pid > 0 && (got = read(pipefd[0], buf + n, cap - n)) > 0) {
		n += (size_t)got;
		if (n == cap) {
			nb = cap >= MAX_DTB ? NULL : realloc(buf, cap * 2);
			if (!nb)
				break;
			buf = nb;
			cap *= 2;
		}
	}
	close(pipefd[0]);
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status)) {
		if (pid < 0)
			snprintf(err, errlen, "cannot run dtc: %s",
				 strerror(errno));
		else
			dtc_message(log, err, errlen, status);
		free(buf);
		fclose(log);
		return -1;
	}
	fclose(log);
	*dtb = buf;
	*len = n;
	return 0;
}

int dts_load(const char *path, void **dtb, size_t *len, char *err,
	     size_t errlen)
{
	uint8_t *data = read_file(path, len);

	if (!data) {
		snprintf(err, errlen, "cannot read: %s", strerror(errno));
		return -1;
	}
	if (*len >= 4 && fdt32_ld((const fdt32_t *)data) == FDT_MAGIC) {
		*dtb = data;
		return 0;
	}
	if (!*len || memchr(data, 0, *len)) {
		snprintf(err, errlen, "%s",
			 !*len ? "empty file: a DTS source or DTB expected" :
			 *len >= WD_SIGNATURE_LEN &&
					 (!memcmp(data, WD_SYSTEM_SIGNATURE,
						  WD_SIGNATURE_LEN) ||
					  !memcmp(data, WD_CELL_SIGNATURE,
						  WD_SIGNATURE_LEN)) ?
				 "a compiled .cell config, not a DTS source or "
				 "DTB ('warden-config dump' shows it as DTS)" :
			 *len >= 4 && !memcmp(data,
					      "\x7f"
					      "ELF",
					      4) ?
				 "an ELF file, not a DTS source or DTB" :
				 "binary data, not a DTS source or DTB");
		free(data);
		return -1;
	}
	free(data);
	return run_dtc(path, dtb, len, err, errlen);
}

int dts_compile_file(const char *path, struct cellcfg *out, char *err,
		     size_t errlen)
{
	void *dtb;
	size_t len;
	int rc;

	memset(out, 0, sizeof(*out));
	if (dts_load(path, &dtb, &len, err, errlen))
		return -1;
	rc = dts_compile_blob(dtb, len, out, err, errlen);
	free(dtb);
	out->file = path;
	return rc;
}

static int compile_usage(FILE *f, int status)
{
	fprintf(f,
		"usage: warden-config compile IN.dts|IN.dtb -o OUT.cell\n"
		"\n"
		"Compile a system or cell config from DTS source (run through\n"
		"dtc) or a DTB into the binary .cell format (Jailhouse revision\n"
		"14) that the hypervisor loads. The binding is documented in\n"
		"docs/config.md. A node or property that breaks the binding\n"
		"stops the compile with\n"
		"  warden-config: IN: NODE: message\n"
		"(compile checks the binding; 'warden-config check' checks the\n"
		"rules of the hypervisor, across cells too).\n"
		"\n"
		"  -o OUT.cell   the output file (required)\n"
		"  -h, --help    this text\n"
		"\n"
		"Exit status: 0 written, 1 error (nothing written), 2 usage.\n"
		"\n"
		"Example:\n"
		"  build/release/warden-config compile configs/sim-x86/tiny.dts "
		"-o tiny.cell\n");
	return status;
}

int cmd_compile(int argc, char **argv)
{
	const char *in = NULL, *outpath = NULL;
	struct cellcfg c;
	char err[1024];
	uint8_t *buf;
	size_t len;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return compile_usage(stdout, 0);
		if (!strcmp(argv[i], "-o")) {
			if (i + 1 == argc)
				return usage_error("compile",
						   "-o needs a file name");
			outpath = argv[++i];
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return usage_error("compile", "unknown option '%s'",
					   argv[i]);
		} else if (in) {
			return usage_error("compile",
					   "one input only (also got '%s')",
					   argv[i]);
		} else {
			in = argv[i];
		}
	}
	if (!in)
		return usage_error("compile", "missing the input, IN.dts or "
					      "IN.dtb");
	if (!outpath)
		return usage_error("compile", "missing -o OUT.cell");
	if (dts_compile_file(in, &c, err, sizeof(err))) {
		fprintf(stderr, "warden-config: %s: %s\n", in, err);
		return 1;
	}
	len = cellcfg_encode(&c, &buf);
	cellcfg_free(&c);
	if (!len || write_file(outpath, buf, len)) {
		fprintf(stderr, "warden-config: %s: cannot write: %s\n",
			outpath, len ? strerror(errno) : "out of memory");
		free(buf);
		return 1;
	}
	free(buf);
	return 0;
}
