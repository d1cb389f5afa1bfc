// SPDX-License-Identifier: GPL-2.0
/*
 * warden-config: decode and encode the binary config layout of
 * include/warden/cell_config.h to and from struct cellcfg.
 *
 * Decoding is strict about sizes (a tool must not silently ignore data)
 * but not about contents: any header whose arrays fit exactly is accepted,
 * so check and dump work on foreign or broken-but-decodable files and
 * encode(decode(x)) == x for every such file.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/cellcfg.h"

/* Element size and human name of each variable array. */
static const struct {
	size_t size;
	const char *name;  /* of one item */
	const char *count; /* of the header's count field, for messages */
} kinds[CFG_KINDS] = {
	[CFG_CPUS] = { 1, "CPU", "CPU set size" },
	[CFG_MEM] = { sizeof(struct wd_memory), "memory region",
		      "memory region count" },
	[CFG_CACHE] = { sizeof(struct wd_cache), "cache region",
			"cache region count" },
	[CFG_IRQCHIP] = { sizeof(struct wd_irqchip), "irqchip",
			  "irqchip count" },
	[CFG_PIO] = { sizeof(struct wd_pio), "PIO region", "PIO region count" },
	[CFG_PCI] = { sizeof(struct wd_pci_device), "PCI device",
		      "PCI device count" },
	[CFG_CAP] = { sizeof(struct wd_pci_capability), "PCI capability",
		      "PCI capability count" },
	[CFG_STREAM] = { sizeof(uint32_t), "stream ID", "stream ID count" },
};

int cellcfg_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* The header's count of @kind (bytes for the CPU set). */
static uint32_t header_count(const struct wd_cell_desc *c,
			     enum cellcfg_kind kind)
{
	switch (kind) {
	case CFG_CPUS:
		return c->cpu_set_size;
	case CFG_MEM:
		return c->num_memory_regions;
	case CFG_CACHE:
		return c->num_cache_regions;
	case CFG_IRQCHIP:
		return c->num_irqchips;
	case CFG_PIO:
		return c->num_pio_regions;
	case CFG_PCI:
		return c->num_pci_devices;
	case CFG_CAP:
		return c->num_pci_caps;
	case CFG_STREAM:
		return c->num_stream_ids;
	default:
		return 0;
	}
}

/* Where each array lives in struct cellcfg. */
static void **array_slot(struct cellcfg *c, enum cellcfg_kind kind)
{
	switch (kind) {
	case CFG_CPUS:
		return (void **)&c->cpu_set;
	case CFG_MEM:
		return (void **)&c->mem;
	case CFG_CACHE:
		return (void **)&c->cache;
	case CFG_IRQCHIP:
		return (void **)&c->irq;
	case CFG_PIO:
		return (void **)&c->pio;
	case CFG_PCI:
		return (void **)&c->pci;
	case CFG_CAP:
		return (void **)&c->caps;
	case CFG_STREAM:
		return (void **)&c->stream_ids;
	default:
		return NULL;
	}
}

static const void *array_of(const struct cellcfg *c, enum cellcfg_kind kind)
{
	return *array_slot((struct cellcfg *)c, kind);
}

/* Number of items in @kind's array (bytes for the CPU set). */
static uint32_t array_len(const struct cellcfg *c, enum cellcfg_kind kind)
{
	return kind == CFG_CPUS ? c->cell.cpu_set_size : c->num[kind];
}

/* Entries of node[@kind]: one per item, for the CPU set one per CPU id. */
static uint64_t node_len(const struct cellcfg *c, enum cellcfg_kind kind)
{
	return kind == CFG_CPUS ? (uint64_t)c->cell.cpu_set_size * 8 :
				  c->num[kind];
}

/* Quote a signature for a message, escaping what is not printable. */
static const char *quote_sig(const uint8_t *sig, size_t n, char *buf,
			     size_t len)
{
	size_t i, o = 0;

	for (i = 0; i < n && o + 5 < len; i++) {
		if (sig[i] >= 0x20 && sig[i] < 0x7f && sig[i] != '\\')
			buf[o++] = (char)sig[i];
		else
			o += (size_t)snprintf(buf + o, len - o, "\\x%02x",
					      sig[i]);
	}
	buf[o] = 0;
	return buf;
}

static int check_signature(const uint8_t *buf, size_t len, bool *is_system,
			   char *err, size_t errlen)
{
	char q[32];

	if (len < WD_SIGNATURE_LEN)
		return cellcfg_fail(
			err, errlen,
			"truncated: %zu bytes, shorter than the %d-byte "
			"signature",
			len, WD_SIGNATURE_LEN);
	if (len >= 8 &&
	    (!memcmp(buf, "JHSYST", 6) || !memcmp(buf, "JHCELL", 6)))
		/* Jailhouse before revision 14: 6-byte signature, no arch. */
		return cellcfg_fail(
			err, errlen,
			"Jailhouse config of revision %u (signature "
			"'%.6s'): warden reads revision %d ('JHSYS'/"
			"'JHCLL'); %s",
			buf[6] | buf[7] << 8, (const char *)buf,
			WD_CONFIG_REVISION,
			(buf[6] | buf[7] << 8) == 12 ||
					(buf[6] | buf[7] << 8) == 13 ?
				"convert it with 'warden-config upgrade "
				"FILE -o NEW.cell'" :
				"'warden-config upgrade' converts "
				"revisions 12 and 13 only");
	if (!memcmp(buf, WD_SYSTEM_SIGNATURE, WD_SIGNATURE_LEN))
		*is_system = true;
	else if (!memcmp(buf, WD_CELL_SIGNATURE, WD_SIGNATURE_LEN))
		*is_system = false;
	else
		return cellcfg_fail(
			err, errlen,
			"wrong signature '%s' (expected JHSYS or JHCLL)",
			quote_sig(buf, WD_SIGNATURE_LEN, q, sizeof(q)));
	return 0;
}

/* Copy out the arrays behind the cell header at byte @off of @buf. */
static int decode_arrays(const uint8_t *buf, size_t len, size_t off,
			 struct cellcfg *out, char *err, size_t errlen)
{
	enum cellcfg_kind k;
	uint64_t bytes, total = wd_cell_config_size(&out->cell) + off -
				sizeof(struct wd_cell_desc);

	for (k = 0; k < CFG_KINDS; k++) {
		uint32_t n = header_count(&out->cell, k);

		bytes = (uint64_t)n * kinds[k].size;
		if (bytes > len - off)
			return cellcfg_fail(
				err, errlen,
				"%s %u points past the end of the file "
				"(header says %llu bytes, file has %zu)",
				kinds[k].count, n, (unsigned long long)total,
				len);
		if (k != CFG_CPUS)
			out->num[k] = n;
		if (n) {
			void *p = malloc(bytes);

			if (!p)
				return cellcfg_fail(err, errlen,
						    "out of memory");
			memcpy(p, buf + off, bytes);
			*array_slot(out, k) = p;
		}
		off += bytes;
	}
	/* Like Jailhouse's driver and hypervisor: bytes past the declared
	 * size are not part of the config. check warns about them. */
	out->trailing = len - off;
	return 0;
}

int cellcfg_decode(const void *data, size_t len, struct cellcfg *out, char *err,
		   size_t errlen)
{
	const uint8_t *buf = data;
	size_t hdr;
	uint16_t rev;
	bool sys;
	int ret;

	memset(out, 0, sizeof(*out));
	if (check_signature(buf, len, &sys, err, errlen))
		return -1;
	hdr = sys ? sizeof(struct wd_system) : sizeof(struct wd_cell_desc);
	if (len < hdr)
		return cellcfg_fail(
			err, errlen,
			"truncated: %zu bytes, shorter than the %zu-byte "
			"%s header",
			len, hdr, sys ? "system" : "cell");
	memcpy(&rev, buf + 6, sizeof(rev));
	if (rev != WD_CONFIG_REVISION)
		return cellcfg_fail(err, errlen, "revision %u, expected %u",
				    rev, WD_CONFIG_REVISION);
	out->is_system = sys;
	if (sys) {
		memcpy(&out->sys, buf, sizeof(out->sys));
		out->cell = out->sys.root_cell;
	} else {
		memcpy(&out->cell, buf, sizeof(out->cell));
	}
	ret = decode_arrays(buf, len, hdr, out, err, errlen);
	if (ret)
		cellcfg_free(out);
	return ret;
}

/* Store the array lengths in the header's count fields. */
static void set_counts(struct wd_cell_desc *cell, const struct cellcfg *c)
{
	cell->num_memory_regions = c->num[CFG_MEM];
	cell->num_cache_regions = c->num[CFG_CACHE];
	cell->num_irqchips = c->num[CFG_IRQCHIP];
	cell->num_pio_regions = c->num[CFG_PIO];
	cell->num_pci_devices = c->num[CFG_PCI];
	cell->num_pci_caps = c->num[CFG_CAP];
	cell->num_stream_ids = c->num[CFG_STREAM];
}

size_t cellcfg_encode(const struct cellcfg *c, uint8_t **out)
{
	struct wd_cell_desc cell = c->cell;
	struct wd_system sys;
	enum cellcfg_kind k;
	size_t hdr, size, off;
	uint8_t *buf;

	set_counts(&cell, c);
	hdr = c->is_system ? sizeof(sys) : sizeof(cell);
	size = hdr - sizeof(cell) + (size_t)wd_cell_config_size(&cell);
	buf = malloc(size);
	*out = buf;
	if (!buf)
		return 0;
	if (c->is_system) {
		sys = c->sys;
		sys.root_cell = cell;
		memcpy(buf, &sys, sizeof(sys));
	} else {
		memcpy(buf, &cell, sizeof(cell));
	}
	off = hdr;
	for (k = 0; k < CFG_KINDS; k++) {
		size_t bytes = (size_t)array_len(c, k) * kinds[k].size;

		if (bytes)
			memcpy(buf + off, array_of(c, k), bytes);
		off += bytes;
	}
	return size;
}

const char *cellcfg_item_name(const struct cellcfg *c, enum cellcfg_kind kind,
			      unsigned int idx, char *buf, size_t len)
{
	if (kind < CFG_KINDS && c->node[kind] && idx < node_len(c, kind) &&
	    c->node[kind][idx])
		snprintf(buf, len, "%s", c->node[kind][idx]);
	else if (kind < CFG_KINDS)
		snprintf(buf, len, "%s %u", kinds[kind].name, idx);
	else
		snprintf(buf, len, "item %u", idx);
	return buf;
}

bool cellcfg_has_cpu(const struct cellcfg *c, unsigned int cpu)
{
	if (!c->cpu_set || cpu / 8 >= c->cell.cpu_set_size)
		return false;
	return c->cpu_set[cpu / 8] & (1u << (cpu % 8));
}

void cellcfg_free(struct cellcfg *c)
{
	enum cellcfg_kind k;
	uint64_t i, n;

	for (k = 0; k < CFG_KINDS; k++) {
		void **slot = array_slot(c, k);

		n = node_len(c, k);
		if (c->node[k])
			for (i = 0; i < n; i++)
				free(c->node[k][i]);
		free(c->node[k]);
		c->node[k] = NULL;
		free(*slot);
		*slot = NULL;
		if (k != CFG_CPUS)
			c->num[k] = 0;
	}
	free(c->root_node);
	c->root_node = NULL;
}
