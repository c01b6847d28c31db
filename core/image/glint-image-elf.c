/* glint-image-elf.c: ELF32 little-endian ARM executables.
 *
 * What a flash programmer must take from an ELF file is the program header
 * view: each PT_LOAD segment's p_filesz bytes at its physical (load)
 * address. p_vaddr is where code runs (.data in RAM), p_memsz - p_filesz is
 * .bss that the startup code zeroes; neither belongs in flash. Section
 * headers are only read to name where bytes came from. */
#define G_LOG_DOMAIN "glint-image"

#include "glint-i18n.h"
#include "glint-image-private.h"

#include <string.h>

/* e_ident */
#define EI_CLASS 4
#define EI_DATA 5
#define ELFCLASS32 1
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define ELFDATA2MSB 2
#define EI_NIDENT 16
/* e_type */
#define ET_REL 1
#define ET_EXEC 2
#define ET_DYN 3
#define ET_CORE 4
#define EM_ARM 40
/* Elf32_Ehdr field offsets and size */
#define EH_TYPE 16
#define EH_MACHINE 18
#define EH_ENTRY 24
#define EH_PHOFF 28
#define EH_SHOFF 32
#define EH_PHENTSIZE 42
#define EH_PHNUM 44
#define EH_SHENTSIZE 46
#define EH_SHNUM 48
#define EH_SHSTRNDX 50
#define EHDR_SIZE 52
/* Elf32_Phdr */
#define PH_TYPE 0
#define PH_OFFSET 4
#define PH_PADDR 12
#define PH_FILESZ 16
#define PHDR_SIZE 32
#define PT_LOAD 1
/* Elf32_Shdr */
#define SH_NAME 0
#define SH_TYPE 4
#define SH_FLAGS 8
#define SH_OFFSET 16
#define SH_SIZE 20
#define SHDR_SIZE 40
#define SHT_NOBITS 8
#define SHF_ALLOC 0x2
#define SHN_XINDEX 0xFFFF
#define PN_XNUM 0xFFFF

/* Beyond this many section pieces a hostile file (segments each covering
 * thousands of sections) falls back to one piece per segment. */
#define ELF_MAX_SECTION_PIECES 65536
/* Loaded bytes allowed per byte of file before the program headers count
 * as corrupt (real segments never share file bytes). */
#define ELF_MAX_LOAD_FACTOR 4

typedef struct {
	guint32 offset;
	guint32 size;
	guint index;
	const char *name; /* NULL when unnamed */
	gsize name_len;
} ElfSection;

typedef struct {
	GlintImage *image;
	const char *name;
	const guint8 *data;
	gsize len;
	GArray *sections; /* ElfSection with file bytes, sorted by offset */
	guint n_section_pieces;
} ElfParser;

static guint32
le16(const guint8 *b)
{
	return (guint32)b[0] | ((guint32)b[1] << 8);
}

static guint32
le32(const guint8 *b)
{
	return (guint32)b[0] | ((guint32)b[1] << 8) | ((guint32)b[2] << 16) | ((guint32)b[3] << 24);
}

static void elf_error(ElfParser *p, GError **error, const char *format, ...) G_GNUC_PRINTF(3, 4);

static void
elf_error(ElfParser *p, GError **error, const char *format, ...)
{
	va_list args;
	g_autofree gchar *msg = NULL;
	va_start(args, format);
	msg = g_strdup_vprintf(format, args);
	va_end(args);
	g_set_error(error, GLINT_ERROR, GLINT_ERROR_BAD_IMAGE, "%s: %s", p->name, msg);
}

static const char *
machine_name(guint machine)
{
	switch (machine) {
	case 3:
		return "x86";
	case 8:
		return "MIPS";
	case 20:
		return "PowerPC";
	case 62:
		return "x86-64";
	case 83:
		return "AVR";
	case 94:
		return "Xtensa";
	case 183:
		return _("AArch64 (64-bit ARM)");
	case 243:
		return "RISC-V";
	default:
		break;
	}
	return _("another architecture");
}

static gboolean
elf_check_header(ElfParser *p, GError **error)
{
	const guint8 *d = p->data;
	if (p->len < EI_NIDENT) {
		elf_error(p, error, _("truncated ELF header (%zu bytes)"), p->len);
		return FALSE;
	}
	if (d[EI_CLASS] == ELFCLASS64) {
		elf_error(p, error,
			  _("a 64-bit ELF file (ELFCLASS64); Glint loads 32-bit ARM Cortex-M "
			    "firmware, was the wrong file picked?"));
		return FALSE;
	}
	if (d[EI_CLASS] != ELFCLASS32) {
		elf_error(p, error, _("unknown ELF class %u in e_ident"), d[EI_CLASS]);
		return FALSE;
	}
	if (d[EI_DATA] == ELFDATA2MSB) {
		elf_error(p, error,
			  _("a big-endian ELF file; Cortex-M firmware is little-endian, was the "
			    "wrong file picked?"));
		return FALSE;
	}
	if (d[EI_DATA] != ELFDATA2LSB) {
		elf_error(p, error, _("unknown ELF data encoding %u in e_ident"), d[EI_DATA]);
		return FALSE;
	}
	if (p->len < EHDR_SIZE) {
		elf_error(p, error,
			  _("truncated ELF header (%zu of %u bytes); the file is cut "
			    "short"),
			  p->len, EHDR_SIZE);
		return FALSE;
	}
	guint machine = le16(d + EH_MACHINE);
	if (machine != EM_ARM) {
		elf_error(p, error, _("built for %s (e_machine %u), not ARM"),
			  machine_name(machine), machine);
		return FALSE;
	}
	guint type = le16(d + EH_TYPE);
	if (type == ET_REL) {
		elf_error(p, error,
			  _("a relocatable object file (ET_REL), not a linked program; link it "
			    "first"));
		return FALSE;
	}
	if (type != ET_EXEC && type != ET_DYN) {
		elf_error(p, error,
			  type == ET_CORE
			      ? _("ELF type %u is not an executable (it is a core dump)")
			      : _("ELF type %u is not an executable"),
			  type);
		return FALSE;
	}
	return TRUE;
}

/* Whether [offset, offset + size) lies inside the file. */
static gboolean
elf_in_file(ElfParser *p, guint64 offset, guint64 size)
{
	return offset <= p->len && size <= p->len - offset;
}

static gint
section_cmp(gconstpointer a, gconstpointer b)
{
	const ElfSection *sa = a, *sb = b;
	if (sa->offset != sb->offset)
		return sa->offset < sb->offset ? -1 : 1;
	return sa->index < sb->index ? -1 : (sa->index > sb->index ? 1 : 0);
}

/* A section name from the string table, when it is sane and printable. */
static void
section_name(ElfParser *p, ElfSection *sec, guint32 name_off, guint64 strtab, guint32 strtab_size)
{
	if (strtab == 0 || name_off >= strtab_size)
		return;
	const char *s = (const char *)p->data + strtab + name_off;
	gsize max = strtab_size - name_off;
	gsize n = 0;
	while (n < max && s[n] != '\0') {
		if (!g_ascii_isprint(s[n]))
			return;
		n++;
	}
	if (n == max || n == 0)
		return;
	sec->name = s;
	sec->name_len = n;
}

static gboolean
elf_read_sections(ElfParser *p, GError **error)
{
	const guint8 *d = p->data;
	guint32 shoff = le32(d + EH_SHOFF);
	guint shentsize = le16(d + EH_SHENTSIZE);
	guint shnum = le16(d + EH_SHNUM);
	guint shstrndx = le16(d + EH_SHSTRNDX);

	/* No section table (stripped with sstrip, say): names are optional. */
	if (shoff == 0 || shnum == 0)
		return TRUE;
	if (shentsize < SHDR_SIZE) {
		elf_error(p, error, _("section header entries of %u bytes, ELF32 needs %u"),
			  shentsize, SHDR_SIZE);
		return FALSE;
	}
	if (!elf_in_file(p, shoff, (guint64)shnum * shentsize)) {
		elf_error(
		    p, error,
		    _("the section header table (%u entries at offset 0x%X) runs past the end "
		      "of the file (%zu bytes); the file is truncated"),
		    shnum, shoff, p->len);
		return FALSE;
	}
	guint64 strtab = 0;
	guint32 strtab_size = 0;
	if (shstrndx != SHN_XINDEX && shstrndx < shnum) {
		const guint8 *sh = d + shoff + (gsize)shstrndx * shentsize;
		guint32 off = le32(sh + SH_OFFSET), size = le32(sh + SH_SIZE);
		if (le32(sh + SH_TYPE) != SHT_NOBITS && elf_in_file(p, off, size)) {
			strtab = off;
			strtab_size = size;
		}
	}
	for (guint i = 0; i < shnum; i++) {
		const guint8 *sh = d + shoff + (gsize)i * shentsize;
		ElfSection sec = {
		    .offset = le32(sh + SH_OFFSET), .size = le32(sh + SH_SIZE), .index = i};
		if (!(le32(sh + SH_FLAGS) & SHF_ALLOC) || le32(sh + SH_TYPE) == SHT_NOBITS ||
		    sec.size == 0)
			continue;
		section_name(p, &sec, le32(sh + SH_NAME), strtab, strtab_size);
		g_array_append_val(p->sections, sec);
	}
	g_array_sort(p->sections, section_cmp);
	return TRUE;
}

static guint
label_for_section(ElfParser *p, const ElfSection *sec)
{
	g_autofree gchar *label = NULL;
	if (sec->name != NULL)
		label = g_strdup_printf(_("section %.*s"), (int)sec->name_len, sec->name);
	else
		label = g_strdup_printf(_("section #%u"), sec->index);
	return glint_image_add_label(p->image, label);
}

/* Adds file bytes [from, to) of a segment loaded at @paddr (file offset
 * @seg_off) as one piece. */
static gboolean
elf_piece(ElfParser *p, guint32 paddr, guint32 seg_off, guint32 from, guint32 to, guint label,
	  GError **error)
{
	guint64 addr = (guint64)paddr + (from - seg_off);
	if (addr > G_MAXUINT32) {
		g_autofree gchar *where = glint_image_format_origin(p->image, label);
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_BAD_IMAGE,
			    _("%s: load address 0x%" PRIX64 " is beyond 32 bits"), where, addr);
		return FALSE;
	}
	return glint_image_add_piece(p->image, (guint32)addr, p->data + from, to - from, label,
				     error);
}

/* First section whose file offset is at or after @offset. */
static guint
section_lower_bound(ElfParser *p, guint32 offset)
{
	guint lo = 0, hi = p->sections->len;
	while (lo < hi) {
		guint mid = lo + (hi - lo) / 2;
		if (g_array_index(p->sections, ElfSection, mid).offset < offset)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* One PT_LOAD: its bytes split by the sections inside it so that every
 * byte can be traced to a section; bytes between sections are named after
 * the segment. */
static gboolean
elf_load_segment(ElfParser *p, guint index, guint32 offset, guint32 filesz, guint32 paddr,
		 GError **error)
{
	guint32 end = offset + filesz;
	g_autofree gchar *seg_label = g_strdup_printf(_("segment %u"), index);
	guint seg_id = glint_image_add_label(p->image, seg_label);
	guint32 cursor = offset;

	if (!elf_in_file(p, offset, filesz)) {
		elf_error(p, error,
			  _("segment %u: its %u bytes at file offset 0x%X run past the end of the "
			    "file (%zu bytes); the file is truncated"),
			  index, filesz, offset, p->len);
		return FALSE;
	}
	for (guint i = section_lower_bound(p, offset); i < p->sections->len; i++) {
		const ElfSection *sec = &g_array_index(p->sections, ElfSection, i);
		if (sec->offset >= end || p->n_section_pieces >= ELF_MAX_SECTION_PIECES)
			break;
		guint32 sec_end = (guint32)MIN((guint64)sec->offset + sec->size, (guint64)end);
		if (sec_end <= cursor)
			continue;
		if (sec->offset > cursor &&
		    !elf_piece(p, paddr, offset, cursor, sec->offset, seg_id, error))
			return FALSE;
		guint32 from = MAX(cursor, sec->offset);
		if (!elf_piece(p, paddr, offset, from, sec_end, label_for_section(p, sec), error))
			return FALSE;
		p->n_section_pieces++;
		cursor = sec_end;
	}
	if (cursor < end && !elf_piece(p, paddr, offset, cursor, end, seg_id, error))
		return FALSE;
	return TRUE;
}

/* The program header table must be whole before anything is read from it. */
static gboolean
elf_check_phdrs(ElfParser *p, GError **error)
{
	const guint8 *d = p->data;
	guint32 phoff = le32(d + EH_PHOFF);
	guint phentsize = le16(d + EH_PHENTSIZE);
	guint phnum = le16(d + EH_PHNUM);

	if (phnum == 0 || phoff == 0)
		return TRUE; /* the empty-image check says what is wrong */
	if (phnum == PN_XNUM) {
		elf_error(p, error,
			  _("more than 65534 program headers (PN_XNUM) is not supported"));
		return FALSE;
	}
	if (phentsize < PHDR_SIZE) {
		elf_error(p, error, _("program header entries of %u bytes, ELF32 needs %u"),
			  phentsize, PHDR_SIZE);
		return FALSE;
	}
	if (!elf_in_file(p, phoff, (guint64)phnum * phentsize)) {
		elf_error(
		    p, error,
		    _("the program header table (%u entries at offset 0x%X) runs past the end "
		      "of the file (%zu bytes); the file is truncated"),
		    phnum, phoff, p->len);
		return FALSE;
	}
	return TRUE;
}

static gboolean
elf_load_segments(ElfParser *p, GError **error)
{
	const guint8 *d = p->data;
	guint32 phoff = le32(d + EH_PHOFF);
	guint phentsize = le16(d + EH_PHENTSIZE);
	guint phnum = le16(d + EH_PHNUM);

	if (phnum == 0 || phoff == 0)
		return TRUE;
	/* Real segments do not share file bytes; a table that loads the same
	 * bytes many times over is corrupt (and would cost time to compare). */
	guint64 total = 0;
	for (guint i = 0; i < phnum; i++) {
		const guint8 *ph = d + phoff + (gsize)i * phentsize;
		if (le32(ph + PH_TYPE) == PT_LOAD)
			total += le32(ph + PH_FILESZ);
	}
	if (total > ELF_MAX_LOAD_FACTOR * (guint64)p->len) {
		elf_error(p, error,
			  _("the PT_LOAD segments hold %" PRIu64
			    " bytes, more than %u times the file's size; the program headers are "
			    "corrupt"),
			  total, ELF_MAX_LOAD_FACTOR);
		return FALSE;
	}
	for (guint i = 0; i < phnum; i++) {
		const guint8 *ph = d + phoff + (gsize)i * phentsize;
		guint32 filesz = le32(ph + PH_FILESZ);
		/* p_memsz beyond p_filesz is .bss: zeroed by the startup
		 * code in RAM, never programmed. */
		if (le32(ph + PH_TYPE) != PT_LOAD || filesz == 0)
			continue;
		if (!elf_load_segment(p, i, le32(ph + PH_OFFSET), filesz, le32(ph + PH_PADDR),
				      error))
			return FALSE;
	}
	return TRUE;
}

gboolean
glint_image_parse_elf(GlintImage *image, const guint8 *data, gsize len, const char *name,
		      GError **error)
{
	g_autoptr(GArray) sections = g_array_new(FALSE, FALSE, sizeof(ElfSection));
	ElfParser p = {
	    .image = image, .name = name, .data = data, .len = len, .sections = sections};

	if (len < 4 || memcmp(data,
			      "\x7f"
			      "ELF",
			      4) != 0) {
		elf_error(&p, error, _("not an ELF file (no \\x7FELF magic at the start)"));
		return FALSE;
	}
	if (!elf_check_header(&p, error) || !elf_check_phdrs(&p, error) ||
	    !elf_read_sections(&p, error) || !elf_load_segments(&p, error))
		return FALSE;
	guint32 entry = le32(data + EH_ENTRY);
	/* e_entry 0 means "no entry point" in ELF. */
	if (entry != 0)
		glint_image_set_start_address(image, entry);
	return TRUE;
}
