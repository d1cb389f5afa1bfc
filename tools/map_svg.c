// SPDX-License-Identifier: GPL-2.0
/*
 * warden-config map -o MAP.svg: the map as a self-contained SVG picture
 * (no scripts, no external references). From the top: a legend of owners
 * with their colours; the physical memory as bars on a segmented scale
 * (each range between two region boundaries gets a width growing with the
 * logarithm of its size, so a 4 KiB page and 1 GiB of RAM are both
 * visible; gaps get a fixed, shortened width), one lane per owner, wrapped
 * into rows; CPU, interrupt pin, PCI and port lanes; the list of regions
 * with their exact ranges; the conflicts with check's messages. Hover
 * texts (<title>) repeat each item's full description.
 */
#include <stdlib.h>
#include <string.h>

#include "tools/map.h"

#define WIDTH 1200 /* at least; wider when a line of text needs it */
#define X0 150	   /* left of the bars (lane names before it), at least */
#define X1 1180	   /* right end of bars and lanes */
#define LANE 22
#define FONT "DejaVu Sans Mono, Menlo, Consolas, monospace"
#define CHAR_W 6.6 /* of the 11 px monospace font */
#define CONFLICT "#d62728"

struct svg {
	FILE *f;
	const struct map *m;
	double y;    /* next free line */
	double x0;   /* left of the bars: X0, or more for long cell names */
	double maxx; /* right end of the widest text */
};

static const char *colour(unsigned int o)
{
	static const char *const c[] = { "#8c8c8c", "#4c78a8", "#f58518",
					 "#54a24b", "#b279a2", "#72b7b2",
					 "#eeca3b", "#9d755d", "#ff9da6",
					 "#79706e", "#86bcb6", "#d6a5c9" };

	return o < sizeof(c) / sizeof(c[0]) ? c[o] : c[2 + (o - 2) % 10];
}

/* Text content, escaped. */
static void esc(FILE *f, const char *s)
{
	for (; *s; s++)
		switch (*s) {
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '&':
			fputs("&amp;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		default:
			/* Other control bytes are not allowed in XML 1.0. */
			fputc((unsigned char)*s < 0x20 && *s != '\n' ? '?' : *s,
			      f);
		}
}

static void text(struct svg *s, double x, double y, const char *attrs,
		 const char *str)
{
	/* Left-aligned text may set the picture's width. */
	if (!strstr(attrs, "text-anchor") &&
	    x + (double)strlen(str) * CHAR_W > s->maxx)
		s->maxx = x + (double)strlen(str) * CHAR_W;
	fprintf(s->f, "<text x=\"%.1f\" y=\"%.1f\" %s>", x, y, attrs);
	esc(s->f, str);
	fputs("</text>\n", s->f);
}

static void title(struct svg *s, const char *str)
{
	fputs("<title>", s->f);
	esc(s->f, str);
	fputs("</title>", s->f);
}

static void heading(struct svg *s, const char *str)
{
	s->y += 26;
	text(s, 10, s->y, "class=\"h\"", str);
	s->y += 8;
}

/* ---- legend --------------------------------------------------------- */

static void legend(struct svg *s)
{
	const struct map *m = s->m;
	unsigned int o, i;
	char line[512], cpus[256];
	size_t used;

	heading(s, "Owners");
	for (o = MAP_HV; o < m->nowners; o++) {
		const struct cellcfg *c = m->owner[o].cfg;

		cpus[0] = 0;
		used = 0;
		for (i = 0; i < m->ncpus && used < sizeof(cpus); i++)
			if (m->cpus[i].owners >> o & 1)
				used += (size_t)snprintf(
					cpus + used, sizeof(cpus) - used,
					"%s%llu", used ? " " : "CPUs ",
					(unsigned long long)m->cpus[i].first);
		snprintf(line, sizeof(line), "%s%s  %s  %s", m->owner[o].name,
			 o == MAP_ROOT ? " (root cell)" :
			 o == MAP_HV   ? "" :
					 " (cell)",
			 c && c->file ? c->file : "", cpus);
		fprintf(s->f,
			"<rect x=\"10\" y=\"%.1f\" width=\"14\" height=\"14\" "
			"fill=\"%s\"/>\n",
			s->y + 2, colour(o));
		text(s, 30, s->y + 13, "", line);
		s->y += 18;
	}
	fprintf(s->f,
		"<rect x=\"10\" y=\"%.1f\" width=\"14\" height=\"14\" "
		"fill=\"url(#taken)\"/>\n",
		s->y + 2);
	text(s, 30, s->y + 13, "",
	     "root cell memory that a cell takes while it runs (not "
	     "ROOTSHARED)");
	s->y += 18;
	fprintf(s->f,
		"<rect x=\"10\" y=\"%.1f\" width=\"14\" height=\"14\" "
		"fill=\"url(#gap)\"/>\n",
		s->y + 2);
	text(s, 30, s->y + 13, "",
	     "gap: memory no one owns (drawn shortened: the scale is "
	     "broken there)");
	s->y += 18;
	fprintf(s->f,
		"<rect x=\"11\" y=\"%.1f\" width=\"12\" height=\"12\" "
		"fill=\"none\" stroke=\"" CONFLICT "\" stroke-width=\"2\"/>\n",
		s->y + 3);
	text(s, 30, s->y + 13, "",
	     "conflict found by warden-config check (messages at the end)");
	s->y += 18;
}

/* ---- memory bars ---------------------------------------------------- */

struct seg {
	uint64_t start, last;
	bool gap;
	double w;
};

static int u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* log2(@v), linear between powers of two: no libm needed. */
static double lg2(uint64_t v)
{
	unsigned int f = v ? 63 - (unsigned int)__builtin_clzll(v) : 0;

	return v ? f + (double)(v - ((uint64_t)1 << f)) /
				       (double)((uint64_t)1 << f) :
		   0;
}

/* Width of a covered range: 22 px up to a page, 7 px per doubling. */
static double seg_width(uint64_t start, uint64_t last)
{
	double l = lg2(last - start + (last - start < UINT64_MAX)) - 12;

	return 22 + 7 * (l > 0 ? l : 0);
}

/* Ranges between consecutive region boundaries; gaps where no one is. */
static unsigned int segments(const struct map *m, struct seg **out)
{
	uint64_t *b = calloc(2 * (size_t)m->nmem + 1, sizeof(*b));
	struct seg *s = calloc(2 * (size_t)m->nmem + 1, sizeof(*s));
	unsigned int nb = 0, nu = 0, n = 0, i, j;
	bool to_end = false;

	*out = s;
	if (!b || !s) {
		free(b);
		return 0;
	}
	for (i = 0; i < m->nmem; i++) {
		b[nb++] = m->mem[i].start;
		if (map_last(&m->mem[i]) != UINT64_MAX)
			b[nb++] = map_last(&m->mem[i]) + 1;
		else
			to_end = true;
	}
	qsort(b, nb, sizeof(*b), u64_cmp);
	for (i = 0; i < nb; i++)
		if (!nu || b[i] != b[nu - 1])
			b[nu++] = b[i];
	for (i = 0; i + 1 < nu || (to_end && i < nu); i++) {
		s[n] = (struct seg){ b[i],
				     i + 1 < nu ? b[i + 1] - 1 : UINT64_MAX,
				     true, 34 };
		for (j = 0; j < m->nmem; j++)
			if (m->mem[j].start <= s[n].start &&
			    map_last(&m->mem[j]) >= s[n].last)
				s[n].gap = false;
		if (!s[n].gap)
			s[n].w = seg_width(s[n].start, s[n].last);
		n++;
	}
	free(b);
	return n;
}

static bool covers(const struct map_mem *r, const struct seg *g)
{
	return r->start <= g->start && map_last(r) >= g->last;
}

/* Is segment @g of a root region taken by a cell (not shared)? */
static bool taken(const struct map *m, const struct seg *g)
{
	unsigned int i;

	for (i = 0; i < m->nmem; i++)
		if (m->mem[i].owner > MAP_ROOT &&
		    !(m->mem[i].flags & WD_MEM_ROOTSHARED) &&
		    covers(&m->mem[i], g))
			return true;
	return false;
}

static void describe(const struct map *m, const struct map_mem *r, char *buf,
		     size_t len)
{
	char size[24], flags[96];

	snprintf(buf, len, "0x%llx-0x%llx %s %s: %s [%s]%s%s",
		 (unsigned long long)r->start, (unsigned long long)map_last(r),
		 map_size(r->size, size, sizeof(size)), m->owner[r->owner].name,
		 r->what, map_flags(r->flags, flags, sizeof(flags)),
		 r->problem >= 0 ? "\n" : "",
		 r->problem >= 0 ? m->prob[r->problem].line : "");
}

static void seg_cell(struct svg *s, const struct seg *g, double x, double y,
		     unsigned int o)
{
	const struct map *m = s->m;
	const struct map_mem *hit = NULL;
	bool problem = false;
	char desc[2600];
	unsigned int i;

	for (i = 0; i < m->nmem; i++)
		if (m->mem[i].owner == o && covers(&m->mem[i], g)) {
			if (!hit || m->mem[i].size < hit->size)
				hit = &m->mem[i];
			problem |= m->mem[i].problem >= 0;
		}
	if (!hit)
		return;
	fprintf(s->f,
		"<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" "
		"fill=\"%s\"%s>",
		x + 0.5, y, g->w - 1, LANE,
		o == MAP_ROOT && taken(m, g) ? "url(#taken)" : colour(o),
		problem ? " stroke=\"" CONFLICT "\" stroke-width=\"2.5\"" : "");
	describe(m, hit, desc, sizeof(desc));
	title(s, desc);
	fputs("</rect>\n", s->f);
}

/* Owners with memory on the map, in owner order. */
static unsigned int lanes(const struct map *m, unsigned int *lane)
{
	unsigned int o, i, n = 0;

	for (o = MAP_HV; o < m->nowners; o++)
		for (i = 0; i < m->nmem; i++)
			if (m->mem[i].owner == o) {
				lane[n++] = o;
				break;
			}
	return n;
}

/* Labels of the regions inside the bars of segments [@a, @b). */
static void bar_labels(struct svg *s, const struct seg *g, unsigned int a,
		       unsigned int b, const double *xs,
		       const unsigned int *lane, unsigned int nl, double top)
{
	const struct map *m = s->m;
	unsigned int i, l, k, first, last;
	char label[sizeof(m->mem[0].what)];
	size_t fit;

	for (i = 0; i < m->nmem; i++) {
		const struct map_mem *r = &m->mem[i];

		for (l = 0; l < nl && lane[l] != r->owner; l++)
			;
		first = b;
		last = a;
		for (k = a; k < b; k++)
			if (covers(r, &g[k])) {
				if (first == b)
					first = k;
				last = k;
			}
		if (first == b)
			continue;
		fit = (size_t)((xs[last] + g[last].w - xs[first] - 6) /
			       (CHAR_W * 10 / 11));
		if (fit < 4)
			continue;
		snprintf(label, sizeof(label), "%s", r->what);
		if (strlen(label) > fit) {
			label[fit - 1] = 0;
			strcat(label, "~");
		}
		/* White on the dark colours of the hypervisor and root. */
		text(s, xs[first] + 4, top + l * (LANE + 2) + 15,
		     r->owner <= MAP_ROOT ?
			     "class=\"in\" style=\"fill: #fff\"" :
			     "class=\"in\"",
		     label);
	}
}

static void memory(struct svg *s)
{
	const struct map *m = s->m;
	struct seg *g;
	unsigned int n = segments(m, &g), lane[MAP_MAX_OWNERS];
	unsigned int nl = lanes(m, lane), a = 0, b, k, l;
	double *xs = calloc(n + 1, sizeof(*xs)), x, top, h;
	char size[24], label[64];

	heading(s, "Physical memory, in address order (segmented scale: width "
		   "grows with the logarithm of each range's size)");
	if (!xs || !n) {
		text(s, 10, s->y + 14, "", n ? "out of memory" : "(none)");
		s->y += 20;
		free(xs);
		free(g);
		return;
	}
	h = nl * (LANE + 2);
	while (a < n) {
		/* One row: as many segments as fit. */
		x = s->x0;
		for (b = a; b < n && (b == a || x + g[b].w <= X1); b++) {
			xs[b] = x;
			x += g[b].w;
		}
		top = s->y + 8;
		for (l = 0; l < nl; l++) {
			text(s, s->x0 - 8, top + l * (LANE + 2) + 15,
			     "text-anchor=\"end\"", m->owner[lane[l]].name);
			fprintf(s->f,
				"<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
				"height=\"%d\" fill=\"#f4f4f4\"/>\n",
				s->x0, top + l * (LANE + 2), x - s->x0, LANE);
		}
		for (k = a; k < b; k++) {
			if (g[k].gap) {
				fprintf(s->f,
					"<rect x=\"%.1f\" y=\"%.1f\" "
					"width=\"%.1f\" height=\"%.1f\" "
					"fill=\"url(#gap)\">",
					xs[k], top, g[k].w, h - 2);
				snprintf(label, sizeof(label),
					 "gap 0x%llx-0x%llx (%s): no one's",
					 (unsigned long long)g[k].start,
					 (unsigned long long)g[k].last,
					 map_size(g[k].last - g[k].start + 1,
						  size, sizeof(size)));
				title(s, label);
				fputs("</rect>\n", s->f);
				if (h >= 60) {
					fprintf(s->f,
						"<text class=\"gap\" "
						"transform=\"translate(%.1f "
						"%.1f) rotate(-90)\" "
						"text-anchor=\"middle\">",
						xs[k] + g[k].w / 2 + 3,
						top + h / 2);
					esc(s->f,
					    map_size(g[k].last - g[k].start + 1,
						     size, sizeof(size)));
					fputs("</text>\n", s->f);
				}
				continue;
			}
			for (l = 0; l < nl; l++)
				seg_cell(s, &g[k], xs[k], top + l * (LANE + 2),
					 lane[l]);
		}
		bar_labels(s, g, a, b, xs, lane, nl, top);
		/* Addresses at the boundaries, turned to read upwards. */
		for (k = a; k <= b; k++) {
			uint64_t addr = k < b ? g[k].start : g[k - 1].last + 1;

			if (k == b && g[k - 1].last == UINT64_MAX)
				break;
			fprintf(s->f,
				"<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
				"y2=\"%.1f\" stroke=\"#555\"/>\n",
				k < b ? xs[k] : x, top + h - 2,
				k < b ? xs[k] : x, top + h + 3);
			snprintf(label, sizeof(label), "0x%llx",
				 (unsigned long long)addr);
			fprintf(s->f,
				"<text class=\"tick\" transform=\"translate("
				"%.1f %.1f) rotate(-90)\" "
				"text-anchor=\"end\">%s</text>\n",
				(k < b ? xs[k] : x) + 3.5, top + h + 6, label);
		}
		s->y = top + h + 80;
		a = b;
	}
	free(xs);
	free(g);
}

/* ---- CPU, interrupt, PCI and port lanes ----------------------------- */

static void boxes(struct svg *s, const char *head, const struct map_run *runs,
		  unsigned int n, char kind)
{
	const struct map *m = s->m;
	unsigned int i, o, k, nown, own[MAP_MAX_OWNERS];
	uint64_t chip = UINT64_MAX, cells;
	double x = s->x0, w, sw;
	char name[64], who[256], desc[512];
	bool fresh = true;

	if (!n)
		return;
	heading(s, head);
	s->y += 4;
	for (i = 0; i < n; i++) {
		const struct map_run *r = &runs[i];

		map_run_name(r, kind, name, sizeof(name));
		if (kind == 'p')
			snprintf(name + strlen(name),
				 sizeof(name) - strlen(name), " %s", r->what);
		/* Drawn as the cells that take it, else its lender. */
		cells = r->owners & ~(uint64_t)3;
		if (!cells)
			cells = (uint64_t)1 << map_holder(r->owners);
		map_owners(m, cells, who, sizeof(who));
		if (r->problem >= 0)
			snprintf(who + strlen(who), sizeof(who) - strlen(who),
				 " ! [%d]", r->problem + 1);
		w = (double)(strlen(name) > strlen(who) ? strlen(name) :
							  strlen(who)) *
			    CHAR_W +
		    14;
		if (kind == 'i' && r->chip != chip) {
			if (!fresh)
				s->y += 48;
			snprintf(desc, sizeof(desc), "irqchip 0x%llx",
				 (unsigned long long)r->chip);
			text(s, 10, s->y + 22, "", desc);
			chip = r->chip;
			x = s->x0;
		} else if (x + w > X1) {
			s->y += 48;
			x = s->x0;
		}
		fresh = false;
		for (nown = 0, o = 0; o < m->nowners; o++)
			if (cells >> o & 1)
				own[nown++] = o;
		sw = w / nown;
		for (k = 0; k < nown; k++)
			fprintf(s->f,
				"<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
				"height=\"40\" fill=\"%s\"/>\n",
				x + k * sw, s->y, sw, colour(own[k]));
		map_owners(m, r->owners, desc, sizeof(desc));
		fprintf(s->f,
			"<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
			"height=\"40\" fill=\"none\" stroke=\"%s\" "
			"stroke-width=\"%s\">",
			x, s->y, w, r->problem >= 0 ? CONFLICT : "#fff",
			r->problem >= 0 ? "3" : "1");
		{
			char t[2600];

			snprintf(t, sizeof(t), "%s: listed by %s%s%s", name,
				 desc, r->problem >= 0 ? "\n" : "",
				 r->problem >= 0 ? m->prob[r->problem].line :
						   "");
			title(s, t);
		}
		fputs("</rect>\n", s->f);
		text(s, x + w / 2, s->y + 16,
		     "class=\"in\" text-anchor=\"middle\"", name);
		text(s, x + w / 2, s->y + 32,
		     "class=\"in\" text-anchor=\"middle\"", who);
		x += w + 4;
	}
	s->y += 44;
}

/* ---- region list and conflicts -------------------------------------- */

static void region_row(struct svg *s, const struct map_mem *r, bool guest,
		       int nw)
{
	const struct map *m = s->m;
	char line[512], size[24], flags[96], mark[24] = "";

	if (r->problem >= 0)
		snprintf(mark, sizeof(mark), "  ! [%d]", r->problem + 1);
	snprintf(line, sizeof(line),
		 "0x%08llx-0x%08llx %10s  %-*s %-20s %s%s%s",
		 (unsigned long long)r->start, (unsigned long long)map_last(r),
		 map_size(r->size, size, sizeof(size)), nw,
		 m->owner[r->owner].name,
		 map_flags(r->flags, flags, sizeof(flags)), r->what,
		 guest ? " (guest address)" : "", mark);
	fprintf(s->f,
		"<rect x=\"10\" y=\"%.1f\" width=\"12\" height=\"12\" "
		"fill=\"%s\"/>\n",
		s->y + 3, colour(r->owner));
	text(s, 30, s->y + 13,
	     r->problem >= 0 ? "class=\"row\" xml:space=\"preserve\" "
			       "fill=\"" CONFLICT "\"" :
			       "class=\"row\" xml:space=\"preserve\"",
	     line);
	s->y += 16;
}

static void regions(struct svg *s)
{
	const struct map *m = s->m;
	unsigned int i;
	char head[160];
	int nw = 14;

	heading(s, "Regions (physical ranges; comm regions at their guest "
		   "addresses)");
	for (i = MAP_HV; i < m->nowners; i++)
		if ((int)strlen(m->owner[i].name) > nw)
			nw = (int)strlen(m->owner[i].name);
	snprintf(head, sizeof(head), "%-21s %10s  %-*s %-20s %s", "RANGE",
		 "SIZE", nw, "OWNER", "FLAGS", "WHAT");
	text(s, 30, s->y + 13,
	     "class=\"row\" xml:space=\"preserve\" font-weight=\"bold\"", head);
	s->y += 16;
	for (i = 0; i < m->nmem; i++)
		region_row(s, &m->mem[i], false, nw);
	for (i = 0; i < m->ncomm; i++)
		region_row(s, &m->comm[i], true, nw);
}

/*
 * A long line in red, wrapped at the picture's width: pieces of one
 * <text>, so that its text is the line unchanged.
 */
static void wrapped(struct svg *s, const char *line)
{
	const size_t per = (size_t)((WIDTH - 20) / CHAR_W);
	size_t len = strlen(line), at, n;
	char piece[256];

	fprintf(s->f,
		"<text x=\"10\" y=\"%.1f\" class=\"row\" "
		"xml:space=\"preserve\" fill=\"" CONFLICT "\">",
		s->y + 13);
	for (at = 0; at < len; at += n) {
		n = len - at < per ? len - at : per;
		/* Break after a space when there is one in the second half. */
		if (at + n < len) {
			size_t k = n;

			while (k > per / 2 && line[at + k - 1] != ' ')
				k--;
			if (k > per / 2)
				n = k;
		}
		snprintf(piece, sizeof(piece), "%.*s", (int)n, line + at);
		fprintf(s->f, "<tspan x=\"%d\" dy=\"%d\">", at ? 22 : 10,
			at ? 16 : 0);
		esc(s->f, piece);
		fputs("</tspan>", s->f);
		if (at)
			s->y += 16;
	}
	fputs("</text>\n", s->f);
	s->y += 16;
}

static void conflicts(struct svg *s)
{
	const struct map *m = s->m;
	unsigned int p;
	char line[2100];

	heading(s, m->nprob ? "Conflicts (warden-config check)" :
			      "No conflicts (warden-config check)");
	for (p = 0; p < m->nprob; p++) {
		snprintf(line, sizeof(line), "[%u] %s", p + 1, m->prob[p].line);
		wrapped(s, line);
	}
}

void map_svg(const struct map *m, FILE *out, const char *what)
{
	char *body = NULL, head[256];
	unsigned int o;
	size_t len = 0;
	struct svg s = { open_memstream(&body, &len), m, 0, X0, 0 };
	double width;

	if (!s.f)
		return;
	snprintf(head, sizeof(head),
		 "warden-config map: %s system \"%s\", %u "
		 "cell%s",
		 m->arch == WD_ARCH_X86 ? "x86" :
		 m->arch == WD_ARCH_ARM ? "ARM" :
					  "ARM64",
		 m->owner[MAP_ROOT].name, m->nowners - 2,
		 m->nowners == 3 ? "" : "s");
	s.y = 28;
	s.x0 = X0;
	for (o = MAP_HV; o < m->nowners; o++)
		if (20 + strlen(m->owner[o].name) * CHAR_W > s.x0)
			s.x0 = 20 + (double)strlen(m->owner[o].name) * CHAR_W;
	text(&s, 10, s.y, "class=\"t\"", head);
	if (what) {
		s.y += 18;
		text(&s, 10, s.y, "", what);
	}
	legend(&s);
	memory(&s);
	boxes(&s, "CPUs", m->cpus, m->ncpus, 'c');
	boxes(&s, "Interrupt pins (per irqchip)", m->pins, m->npins, 'i');
	boxes(&s, "PCI devices", m->pci, m->npci, 'p');
	boxes(&s, "Port ranges", m->pio, m->npio, 'o');
	regions(&s);
	conflicts(&s);
	fclose(s.f);
	width = s.maxx + 10 > WIDTH ? s.maxx + 10 : WIDTH;
	fprintf(out,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" "
		"height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
		"font-family=\"" FONT "\" font-size=\"11\">\n"
		"<title>",
		width, s.y + 20, width, s.y + 20);
	esc(out, head);
	fputs("</title>\n"
	      "<style>\n"
	      ".t { font-size: 16px; font-weight: bold; }\n"
	      ".h { font-size: 13px; font-weight: bold; }\n"
	      ".in { font-size: 10px; fill: #111; }\n"
	      ".tick { font-size: 9px; fill: #333; }\n"
	      ".gap { font-size: 9px; fill: #555; }\n"
	      ".row { white-space: pre; }\n"
	      "</style>\n"
	      "<defs>\n"
	      "<pattern id=\"taken\" width=\"6\" height=\"6\" "
	      "patternUnits=\"userSpaceOnUse\" "
	      "patternTransform=\"rotate(45)\">"
	      "<rect width=\"6\" height=\"6\" fill=\"#c9d7e8\"/>"
	      "<rect width=\"3\" height=\"6\" fill=\"#4c78a8\"/></pattern>\n"
	      "<pattern id=\"gap\" width=\"8\" height=\"8\" "
	      "patternUnits=\"userSpaceOnUse\" "
	      "patternTransform=\"rotate(-45)\">"
	      "<rect width=\"8\" height=\"8\" fill=\"#fff\"/>"
	      "<rect width=\"1.5\" height=\"8\" fill=\"#bbb\"/></pattern>\n"
	      "</defs>\n"
	      "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n",
	      out);
	fwrite(body, 1, len, out);
	fputs("</svg>\n", out);
	free(body);
}
