/* debug-elf.c: the ELF32 little-endian container (System V ABI, "ELF
 * header", "Sections", "Symbol table"; ARM ELF: EM_ARM, Thumb functions have
 * bit 0 set in st_value, $t/$a/$d mapping symbols mark code and data) and
 * the symbol table. */
#define G_LOG_DOMAIN "glint-debug"

#include "debug-private.h"
#include "glint-i18n.h"

#include <string.h>

#define EI_NIDENT 16
#define EI_CLASS 4
#define EI_DATA 5
#define ELFCLASS32 1
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define EHDR_SIZE 52
#define EH_SHOFF 32
#define EH_SHENTSIZE 46
#define EH_SHNUM 48
#define EH_SHSTRNDX 50
#define SHDR_SIZE 40
#define SHN_UNDEF 0
#define SHN_XINDEX 0xFFFFu
#define SHT_SYMTAB 2
#define SHT_NOBITS 8
#define SHF_COMPRESSED 0x800u
#define SYM_SIZE 16
#define STT_NOTYPE 0
#define STT_OBJECT 1
#define STT_FUNC 2
#define STB_LOCAL 0
/* An ELF file holds at most this many sections for Glint (a firmware has a
 * few dozen; more means a damaged count) */
#define ELF_MAX_SECTIONS 65536u

static gboolean
elf_bad(GlintDebugInfo *self, GError **error, const char *what)
{
	g_set_error(error, GLINT_ERROR, GLINT_ERROR_BAD_IMAGE, "%s: %s", self->name, what);
	return FALSE;
}

static gboolean
elf_check_ident(GlintDebugInfo *self, const guint8 *d, gsize len, GError **error)
{
	if (len < EI_NIDENT || memcmp(d, "\177ELF", 4) != 0)
		return elf_bad(self, error,
			       _("not an ELF file (no \\177ELF magic): symbols and debug info come "
				 "from the .elf the build produced, not a .bin or .hex"));
	if (d[EI_CLASS] == ELFCLASS64)
		return elf_bad(self, error,
			       _("a 64-bit ELF file: Cortex-M firmware is ELF32; is this a host "
				 "program?"));
	if (d[EI_CLASS] != ELFCLASS32)
		return elf_bad(self, error, _("ELF header: unknown class (neither 32 nor 64-bit)"));
	if (d[EI_DATA] != ELFDATA2LSB)
		return elf_bad(self, error,
			       _("a big-endian ELF file: STM32 firmware is little endian"));
	if (len < EHDR_SIZE)
		return elf_bad(self, error, _("ELF header cut short (the file is truncated)"));
	return TRUE;
}

static guint32
elf_u32(const guint8 *p)
{
	return (guint32)p[0] | (guint32)p[1] << 8 | (guint32)p[2] << 16 | (guint32)p[3] << 24;
}

static guint16
elf_u16(const guint8 *p)
{
	return (guint16)(p[0] | p[1] << 8);
}

/* The section count and the names' section, through section 0 when they
 * do not fit the header (SHN_XINDEX, e_shnum 0) */
static gboolean
elf_section_table(GlintDebugInfo *self, const guint8 *d, gsize len, guint32 *shoff, guint32 *shnum,
		  guint32 *shstrndx, GError **error)
{
	guint16 entsize = elf_u16(d + EH_SHENTSIZE);
	*shoff = elf_u32(d + EH_SHOFF);
	*shnum = elf_u16(d + EH_SHNUM);
	*shstrndx = elf_u16(d + EH_SHSTRNDX);
	if (*shoff == 0)
		return elf_bad(self, error,
			       _("no section table (stripped to the bone): nothing to read symbols "
				 "or debug info from"));
	if (entsize != SHDR_SIZE)
		return elf_bad(self, error,
			       _("section table: entries are not 40 bytes (e_shentsize)"));
	if (*shoff > len || len - *shoff < SHDR_SIZE)
		return elf_bad(self, error,
			       _("section table lies past the end of the file (truncated?)"));
	if (*shnum == 0)
		*shnum = elf_u32(d + *shoff + 20); /* sh_size of section 0 */
	if (*shstrndx == SHN_XINDEX)
		*shstrndx = elf_u32(d + *shoff + 24); /* sh_link of section 0 */
	if (*shnum > ELF_MAX_SECTIONS || (guint64)*shnum * SHDR_SIZE > len - *shoff)
		return elf_bad(self, error,
			       _("section table runs past the end of the file (truncated?)"));
	return TRUE;
}

gboolean
debug_elf_parse(GlintDebugInfo *self, GError **error)
{
	gsize len = 0;
	const guint8 *d = g_bytes_get_data(self->bytes, &len);
	guint32 shoff, shnum, shstrndx;
	const guint8 *names = NULL;
	gsize names_len = 0;

	if (!elf_check_ident(self, d, len, error))
		return FALSE;
	if (!elf_section_table(self, d, len, &shoff, &shnum, &shstrndx, error))
		return FALSE;
	if (shstrndx < shnum) {
		const guint8 *sh = d + shoff + (gsize)shstrndx * SHDR_SIZE;
		guint32 off = elf_u32(sh + 16), size = elf_u32(sh + 20);
		if (off <= len && size <= len - off) {
			names = d + off;
			names_len = size;
		}
	}
	if (names == NULL)
		debug_info_warn(self, ".shstrtab",
				_("the section names cannot be read: sections are unnamed"));
	for (guint32 i = 0; i < shnum; i++) {
		const guint8 *sh = d + shoff + (gsize)i * SHDR_SIZE;
		DebugSection s = {0};
		guint32 off = elf_u32(sh + 16);
		const char *name = debug_string_at(names, names_len, elf_u32(sh + 0));
		s.name = debug_info_intern(self, name != NULL ? name : "");
		s.type = elf_u32(sh + 4);
		s.flags = elf_u32(sh + 8);
		s.addr = elf_u32(sh + 12);
		s.size = elf_u32(sh + 20);
		s.link = elf_u32(sh + 24);
		s.entsize = elf_u32(sh + 36);
		if (s.type != SHT_NOBITS && i != 0) {
			if (off > len || s.size > len - off) {
				/* a section cut off by truncation: its name still says
				 * what is missing, its bytes are absent */
				debug_info_warn(
				    self, s.name,
				    _("its bytes (0x%x at offset 0x%x) lie past the end "
				      "of the file (truncated?)"),
				    (guint)s.size, off);
				s.size = 0;
			} else {
				s.data = d + off;
			}
		}
		if ((s.flags & SHF_COMPRESSED) && g_str_has_prefix(s.name, ".debug"))
			debug_info_warn(
			    self, s.name,
			    _("compressed (SHF_COMPRESSED, built with -gz): Glint reads "
			      "it only uncompressed (arm-none-eabi-objcopy "
			      "--decompress-debug-sections)"));
		g_array_append_val(self->sections, s);
	}
	return TRUE;
}

const DebugSection *
debug_info_section(GlintDebugInfo *self, const char *name)
{
	for (guint i = 0; i < self->sections->len; i++) {
		const DebugSection *s = &g_array_index(self->sections, DebugSection, i);
		if (strcmp(s->name, name) == 0) {
			if (s->flags & SHF_COMPRESSED)
				return NULL; /* reported by the caller as absent */
			return s;
		}
	}
	return NULL;
}

static gboolean
elf_is_mapping_symbol(const char *name)
{
	/* $a, $t, $d and their "$t.n" forms (ARM ELF 4.5.5) */
	return name[0] == '$' && strchr("atd", name[1]) != NULL &&
	       (name[2] == '\0' || name[2] == '.');
}

static gint
symbol_compare(gconstpointer a, gconstpointer b)
{
	const GlintSymbol *x = a, *y = b;
	if (x->address != y->address)
		return x->address < y->address ? -1 : 1;
	/* at one address, functions first, then globals first */
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->global != y->global)
		return x->global ? -1 : 1;
	return strcmp(x->name, y->name);
}

static void
elf_add_symbol(GlintDebugInfo *self, const char *name, guint32 value, guint32 size, guint8 info)
{
	GlintSymbol sym = {0};
	guint type = info & 0xF;
	if (type == STT_FUNC)
		sym.kind = GLINT_SYMBOL_FUNCTION;
	else if (type == STT_OBJECT)
		sym.kind = GLINT_SYMBOL_OBJECT;
	else if (type == STT_NOTYPE)
		sym.kind = GLINT_SYMBOL_OTHER;
	else
		return; /* sections, files, TLS */
	sym.name = debug_info_intern(self, name);
	sym.address = sym.kind == GLINT_SYMBOL_FUNCTION ? value & ~1u : value;
	sym.size = size;
	sym.global = (info >> 4) != STB_LOCAL;
	g_array_append_val(self->symbols, sym);
}

void
debug_elf_read_symbols(GlintDebugInfo *self)
{
	const DebugSection *symtab = NULL;
	const DebugSection *strtab;

	for (guint i = 0; i < self->sections->len; i++) {
		const DebugSection *s = &g_array_index(self->sections, DebugSection, i);
		if (s->type == SHT_SYMTAB) {
			symtab = s;
			break;
		}
	}
	if (symtab == NULL) {
		debug_info_warn(
		    self, ".symtab",
		    _("no symbol table (the file was stripped): functions are not named"));
		return;
	}
	if (symtab->link >= self->sections->len) {
		debug_info_warn(self, symtab->name,
				_("its string table (sh_link %u) does not exist"), symtab->link);
		return;
	}
	strtab = &g_array_index(self->sections, DebugSection, symtab->link);
	for (gsize off = SYM_SIZE; symtab->data != NULL && off + SYM_SIZE <= symtab->size;
	     off += SYM_SIZE) {
		const guint8 *e = symtab->data + off;
		guint16 shndx = elf_u16(e + 14);
		const char *name = debug_string_at(strtab->data, strtab->size, elf_u32(e));
		if (name == NULL || name[0] == '\0' || elf_is_mapping_symbol(name))
			continue;
		/* undefined symbols have no address */
		if (shndx == SHN_UNDEF)
			continue;
		elf_add_symbol(self, name, elf_u32(e + 4), elf_u32(e + 8), e[12]);
	}
	g_array_sort(self->symbols, symbol_compare);
	/* by name: the first global wins, else the first local */
	for (guint i = 0; i < self->symbols->len; i++) {
		GlintSymbol *sym = &g_array_index(self->symbols, GlintSymbol, i);
		GlintSymbol *old = g_hash_table_lookup(self->symbols_by_name, sym->name);
		if (old == NULL || (!old->global && sym->global))
			g_hash_table_insert(self->symbols_by_name, (gpointer)sym->name, sym);
	}
}
