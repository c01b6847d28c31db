/* test-sim-probe.c: the emulated ST-LINK firmware, driven by raw command
 * blocks (reference section 2) and through the in-process transport. */
#include "sim-test.h"

START_TEST(test_get_version_v2j37s7)
{
	g_autoptr(GlintSim) sim = sim_new_ok(NULL);
	const guint8 cmd[16] = {0xF1};
	const guint8 expect[6] = {0x29, 0x47, 0x83, 0x04, 0x48, 0x37};
	guint8 r[64] = {0};
	/* the plain V2 (a NUCLEO-L476RG carries a V2-1) */
	glint_sim_set_probe_kind(sim, GLINT_PROBE_KIND_V2);
	ck_assert_uint_eq(st_xfer(sim, cmd, NULL, 0, r, sizeof(r)), 6);
	ck_assert_mem_eq(r, expect, 6);
	ck_assert_uint_eq(glint_sim_get_command_count(sim), 1);
}
END_TEST

START_TEST(test_get_version_v2_1)
{
	g_autoptr(GlintSim) sim = sim_new_ok(NULL);
	const guint8 cmd[16] = {0xF1};
	const guint8 expect[6] = {0x29, 0x5A, 0x83, 0x04, 0x4B, 0x37};
	guint8 r[6] = {0};
	glint_sim_set_probe_kind(sim, GLINT_PROBE_KIND_V2_1);
	ck_assert_uint_eq(st_xfer(sim, cmd, NULL, 0, r, sizeof(r)), 6);
	ck_assert_mem_eq(r, expect, 6);
}
END_TEST

START_TEST(test_modes)
{
	g_autoptr(GlintSim) sim = sim_new_ok(NULL);
	const guint8 mode[16] = {0xF5};
	const guint8 dfu_exit[16] = {0xF3, 0x07};
	const guint8 enter[16] = {0xF2, 0x30, 0xA3};
	const guint8 exit_dbg[16] = {0xF2, 0x21};
	guint8 r[64];
	ck_assert_uint_eq(st_xfer(sim, mode, NULL, 0, r, sizeof(r)), 2);
	ck_assert_uint_eq(r[0], 0x00); /* DFU after plug-in */
	/* DFU_EXIT has no reply at all */
	ck_assert_uint_eq(st_xfer(sim, dfu_exit, NULL, 0, r, sizeof(r)), 0);
	st_xfer(sim, mode, NULL, 0, r, sizeof(r));
	ck_assert_uint_eq(r[0], 0x01);
	ck_assert_uint_eq(st_xfer(sim, enter, NULL, 0, r, sizeof(r)), 2);
	ck_assert_uint_eq(r[0], 0x80);
	st_xfer(sim, mode, NULL, 0, r, sizeof(r));
	ck_assert_uint_eq(r[0], 0x02);
	ck_assert_uint_eq(st_xfer(sim, exit_dbg, NULL, 0, r, sizeof(r)), 0);
	st_xfer(sim, mode, NULL, 0, r, sizeof(r));
	ck_assert_uint_eq(r[0], 0x01);
	/* an ENTER for an interface the firmware does not know is refused */
	{
		const guint8 bad_enter[16] = {0xF2, 0x30, 0x55};
		ck_assert_uint_eq(st_xfer(sim, bad_enter, NULL, 0, r, sizeof(r)), 2);
		ck_assert_uint_eq(r[0], 0x08);
		st_xfer(sim, mode, NULL, 0, r, sizeof(r));
		ck_assert_uint_eq(r[0], 0x01);
	}
}
END_TEST

START_TEST(test_target_voltage)
{
	g_autoptr(GlintSim) sim = sim_new_ok(NULL);
	const guint8 cmd[16] = {0xF7};
	guint8 r[8];
	ck_assert_uint_eq(st_xfer(sim, cmd, NULL, 0, r, sizeof(r)), 8);
	ck_assert_uint_eq(st_get32(r), 1500);
	ck_assert_uint_eq(st_get32(r + 4), 2063);
	glint_sim_set_target_voltage_mv(sim, 0);
	st_xfer(sim, cmd, NULL, 0, r, sizeof(r));
	ck_assert_uint_eq(st_get32(r + 4), 0);
}
END_TEST

START_TEST(test_identity)
{
	g_autoptr(GlintSim) sim = sim_new_ok(NULL);
	const guint8 idcodes[16] = {0xF2, 0x31};
	guint8 r[12];
	guint32 v;
	st_enter_swd(sim);
	ck_assert_uint_eq(st_xfer(sim, idcodes, NULL, 0, r, sizeof(r)), 12);
	ck_assert_uint_eq(r[0], 0x80);
	ck_assert_uint_eq(st_get32(r + 4), 0x2BA01477u);
	ck_assert_uint_eq(st_read32(sim, 0xE000ED00u, &v), 0x80);
	ck_assert_uint_eq(v, 0x410FC241u);
	ck_assert_uint_eq(st_read32(sim, 0xE0042000u, &v), 0x80);
	ck_assert_uint_eq(v, 0x10076415u);
	ck_assert_uint_eq(st_read32(sim, 0x1FFF75E0u, &v), 0x80);
	ck_assert_uint_eq(v & 0xFFFF, 1024);
	ck_assert_uint_eq(st_read32(sim, 0x40022020u, &v), 0x80);
	ck_assert_uint_eq(v, 0xFFEFF8AAu);
	ck_assert_uint_eq(st_read32(sim, 0xE0002000u, &v), 0x80);
	ck_assert_uint_eq((v >> 4) & 0xF, 6);
	ck_assert_uint_eq(st_read32(sim, 0xE0001000u, &v), 0x80);
	ck_assert_uint_eq(v >> 28, 4);
}
END_TEST

START_TEST(test_no_target)
{
	g_autoptr(GlintSim) sim = sim_new_ok("no-target");
	const guint8 idcodes[16] = {0xF2, 0x31};
	guint8 r[12];
	ck_assert_uint_eq(st_enter_swd_status(sim), 0x09);
	st_xfer(sim, idcodes, NULL, 0, r, sizeof(r));
	ck_assert_uint_eq(r[0], 0x09);
	ck_assert_uint_eq(st_read32(sim, 0xE000ED00u, NULL), 0x16);
	ck_assert_uint_eq(st_write32(sim, 0x20000000u, 1), 0x16);
}
END_TEST

START_TEST(test_read8_one_byte_sends_two)
{
	g_autoptr(GlintSim) sim = sim_new_ok(NULL);
	guint8 cmd[16];
	guint8 r[64];
	const guint8 data[4] = {0x11, 0x22, 0x33, 0x44};
	glint_sim_poke(sim, 0x20000100u, data, 4);
	st_enter_swd(sim);
	st_mem_cmd(cmd, 0x0C, 0x20000101u, 1);
	ck_assert_uint_eq(st_xfer(sim, cmd, NULL, 0, r, sizeof(r)), 2);
	ck_assert_uint_eq(r[0], 0x22);
	ck_assert_uint_eq(st_last_status(sim, NULL), 0x80);
}
END_TEST

START_TEST(test_read8_cap)
{
	g_autoptr(GlintSim) sim = sim_new_ok(NULL);
	guint8 cmd[16];
	guint8 r[128];
	st_enter_swd(sim);
	st_mem_cmd(cmd, 0x0C, 0x20000000u, 64);
	ck_assert_uint_eq(st_xfer(sim, cmd, NULL, 0, r, sizeof(r)), 64);
	ck_assert_uint_eq(st_last_status(sim, NULL), 0x80);
	st_mem_cmd(cmd, 0x0C, 0x20000000u, 65);
	st_xfer(sim, cmd, NULL, 0, r, sizeof(r));
	ck_assert_uint_ne(st_last_status(sim, NULL), 0x80);
}
END_TEST

START_TEST(test_read32_alignment)
{
	g_autoptr(GlintSim) sim = sim_new_ok(NULL);
	guint8 cmd[16];
	guint8 r[64];
	st_enter_swd(sim);
	st_mem_cmd(cmd, 0x07, 0x20000002u, 8);
	ck_assert_uint_eq(st_xfer(sim, cmd, NULL, 0, r, sizeof(r)), 8);
	ck_assert_uint_eq(st_last_status(sim, NULL), 0x0A);
	st_mem_cmd(cmd, 0x07, 0x20000000u, 6);
	st_xfer(sim, cmd, NULL, 0, r, sizeof(r));
	ck_assert_uint_eq(st_last_status(sim, NULL), 0x0A);
}
END_TEST

START_TEST(test_unmapped_fault_address)
{
	g_autoptr(GlintSim) sim = sim_new_ok(NULL);
	guint8 cmd[16];
	guint8 r[64];
	guint32 fault = 0;
	st_enter_swd(sim);
	/* SRAM1 ends at 0x20018000 but SRAM2's alias follows; it ends at 0x20020000 */
	st_mem_cmd(cmd, 0x07, 0x2001FFF8u, 16);
	ck_assert_uint_eq(st_xfer(sim, cmd, NULL, 0, r, sizeof(r)), 16);
	ck_assert_uint_eq(st_last_status(sim, &fault), 0x11);
	ck_assert_uint_eq(fault, 0x20020000u);
	ck_assert_uint_eq(st_read32(sim, 0x60000000u, NULL), 0x11);
}
END_TEST

START_TEST(test_write_split_data_phase)
{
	g_autoptr(GlintSim) sim = sim_new_ok(NULL);
	guint8 cmd[16];
	guint8 data[16];
	guint8 back[16] = {0};
	for (guint i = 0; i < sizeof(data); i++)
		data[i] = (guint8)(0xA0 + i);
	st_enter_swd(sim);
	st_mem_cmd(cmd, 0x08, 0x20000200u, sizeof(data));
	/* the data-out phase arrives in three pieces; no reply to any of them */
	ck_assert_uint_eq(st_xfer(sim, cmd, data, 5, back, sizeof(back)), 0);
	glint_sim_bulk_out(sim, data + 5, 7);
	glint_sim_bulk_out(sim, data + 12, 4);
	ck_assert_uint_eq(glint_sim_bulk_in(sim, back, sizeof(back)), 0);
	ck_assert_uint_eq(st_last_status(sim, NULL), 0x80);
	ck_assert(glint_sim_peek(sim, 0x20000200u, back, sizeof(back)));
	ck_assert_mem_eq(back, data, sizeof(data));
}
END_TEST

START_TEST(test_write32_large)
{
	g_autoptr(GlintSim) sim = sim_new_ok(NULL);
	guint8 cmd[16];
	g_autofree guint8 *data = g_malloc(0x8000);
	g_autofree guint8 *back = g_malloc(0x8000);
	for (guint i = 0; i < 0x8000; i++)
		data[i] = (guint8)(i * 7);
	st_enter_swd(sim);
	st_mem_cmd(cmd, 0x08, 0x20000000u, 0x8000);
	st_xfer(sim, cmd, data, 0x8000, NULL, 0);
	ck_assert_uint_eq(st_last_status(sim, NULL), 0x80);
	ck_assert(glint_sim_peek(sim, 0x20000000u, back, 0x8000));
	ck_assert_mem_eq(back, data, 0x8000);
}
END_TEST

START_TEST(test_firmware_gates)
{
	g_autoptr(GlintSim) sim = sim_new_ok(NULL);
	const guint8 set_freq[16] = {0xF2, 0x43, 0x01, 0x00};
	const guint8 read16[16] = {0xF2, 0x47, 0x00, 0x00, 0x00, 0x20, 0x02, 0x00};
	const guint8 status2[16] = {0xF2, 0x3E};
	guint8 r[16];
	st_enter_swd(sim);
	st_xfer(sim, set_freq, NULL, 0, r, sizeof(r));
	ck_assert_uint_eq(r[0], 0x80);
	glint_sim_set_firmware_version(sim, 21);
	ck_assert_uint_eq(st_xfer(sim, set_freq, NULL, 0, r, sizeof(r)), 2);
	ck_assert_uint_eq(r[0], 0x42);
	ck_assert_uint_eq(st_xfer(sim, read16, NULL, 0, r, sizeof(r)), 2);
	ck_assert_uint_eq(r[0], 0x42);
	glint_sim_set_firmware_version(sim, 14);
	ck_assert_uint_eq(st_xfer(sim, status2, NULL, 0, r, sizeof(r)), 2);
	ck_assert_uint_eq(r[0], 0x42);
}
END_TEST

START_TEST(test_halt_regs_and_vector_catch)
{
	g_autoptr(GlintSim) sim = sim_new_ok("wrp");
	guint8 cmd[16] = {0xF2, 0x33, 15};
	guint8 r[8];
	guint32 v, sp, pc;
	st_enter_swd(sim);
	ck_assert_uint_eq(st_write32(sim, DHCSR, 0xA05F0003u), 0x80);
	st_read32(sim, DHCSR, &v);
	ck_assert(v & (1u << 17));
	/* soft reset with vector catch (reference 3.6) */
	st_write32(sim, DEMCR, 0x01000501u);
	st_write32(sim, DFSR, 0x8);
	st_read32(sim, DHCSR, NULL);
	ck_assert_uint_eq(st_write32(sim, AIRCR, 0x05FA0004u), 0x80);
	st_read32(sim, DHCSR, &v);
	ck_assert(v & (1u << 25)); /* S_RESET_ST */
	ck_assert(v & (1u << 17)); /* halted by the catch */
	st_read32(sim, DHCSR, &v);
	ck_assert(!(v & (1u << 25))); /* sticky: cleared by the read */
	st_read32(sim, DFSR, &v);
	ck_assert(v & 0x8);
	/* SP and PC come from the vector table in flash */
	sp = glint_sim_peek32(sim, 0x08000000u);
	pc = glint_sim_peek32(sim, 0x08000004u) & ~1u;
	ck_assert_uint_eq(st_xfer(sim, cmd, NULL, 0, r, sizeof(r)), 8);
	ck_assert_uint_eq(r[0], 0x80);
	ck_assert_uint_eq(st_get32(r + 4), pc);
	cmd[2] = 17;
	st_xfer(sim, cmd, NULL, 0, r, sizeof(r));
	ck_assert_uint_eq(st_get32(r + 4), sp);
	/* WRITEREG then DCRSR/DCRDR see the same storage */
	{
		guint8 wr[16] = {0xF2, 0x34, 3, 0x78, 0x56, 0x34, 0x12};
		st_xfer(sim, wr, NULL, 0, r, sizeof(r));
		ck_assert_uint_eq(r[0], 0x80);
		st_write32(sim, 0xE000EDF4u, 3);
		st_read32(sim, 0xE000EDF8u, &v);
		ck_assert_uint_eq(v, 0x12345678u);
	}
	/* a system reset keeps C_DEBUGEN */
	st_write32(sim, DEMCR, 0);
	st_write32(sim, DHCSR, 0xA05F0001u);
	st_write32(sim, AIRCR, 0x05FA0004u);
	st_read32(sim, DHCSR, &v);
	ck_assert(v & 1u);
	ck_assert(!(v & (1u << 17)));
	/* AIRCR without the key does nothing */
	st_read32(sim, DHCSR, NULL);
	st_write32(sim, AIRCR, 0x00000004u);
	st_read32(sim, DHCSR, &v);
	ck_assert(!(v & (1u << 25)));
}
END_TEST

START_TEST(test_swd_disabled_needs_reset)
{
	g_autoptr(GlintSim) sim = sim_new_ok("swd-disabled");
	const guint8 idcodes[16] = {0xF2, 0x31};
	const guint8 nrst_low[16] = {0xF2, 0x3C, 0x00};
	const guint8 nrst_high[16] = {0xF2, 0x3C, 0x01};
	const guint8 halt[16] = {0xF2, 0x02};
	guint8 r[12];
	guint32 v;
	/* the firmware holds the SWD pins: the probe gets no IDCODE */
	ck_assert_uint_eq(st_enter_swd_status(sim), 0x09);
	st_xfer(sim, idcodes, NULL, 0, r, sizeof(r));
	ck_assert_uint_eq(r[0], 0x09);
	ck_assert_uint_eq(st_read32(sim, 0xE000ED00u, NULL), 0x16);
	/* connect under reset */
	st_xfer(sim, nrst_low, NULL, 0, r, sizeof(r));
	ck_assert_uint_eq(r[0], 0x80);
	st_xfer(sim, idcodes, NULL, 0, r, sizeof(r));
	ck_assert_uint_eq(r[0], 0x80);
	st_xfer(sim, halt, NULL, 0, r, sizeof(r));
	ck_assert_uint_eq(r[0], 0x80);
	st_xfer(sim, nrst_high, NULL, 0, r, sizeof(r));
	ck_assert_uint_eq(st_read32(sim, DHCSR, &v), 0x80);
	ck_assert(v & (1u << 17));
	ck_assert_uint_eq(st_read32(sim, 0x08000000u, &v), 0x80);
	ck_assert_uint_eq(v, glint_sim_peek32(sim, 0x08000000u));
	/* running the firmware turns SWD off again */
	ck_assert_uint_eq(st_write32(sim, DHCSR, 0xA05F0001u), 0x80);
	ck_assert_uint_eq(st_read32(sim, DHCSR, NULL), 0x16);
	/* recovery: connect under reset again, halt, mass erase; with no firmware
	 * left, a plain reset leaves SWD working */
	st_xfer(sim, nrst_low, NULL, 0, r, sizeof(r));
	st_xfer(sim, halt, NULL, 0, r, sizeof(r));
	st_xfer(sim, nrst_high, NULL, 0, r, sizeof(r));
	st_write32(sim, FLASH_KEYR, 0x45670123u);
	st_write32(sim, FLASH_KEYR, 0xCDEF89ABu);
	ck_assert_uint_eq(st_write32(sim, FLASH_CR, CR_MER1 | CR_MER2 | CR_STRT), 0x80);
	ck_assert_uint_eq(glint_sim_peek32(sim, 0x08000000u), 0xFFFFFFFFu);
	st_write32(sim, DHCSR, 0xA05F0000u);
	ck_assert_uint_eq(st_write32(sim, AIRCR, 0x05FA0004u), 0x80);
	st_xfer(sim, idcodes, NULL, 0, r, sizeof(r));
	ck_assert_uint_eq(r[0], 0x80);
}
END_TEST

START_TEST(test_rdp1_debug_access)
{
	g_autoptr(GlintSim) sim = sim_new_ok("rdp1");
	guint8 cmd[16];
	guint8 r[64];
	guint32 fault = 0, v;
	st_enter_swd(sim);
	st_mem_cmd(cmd, 0x07, 0x08000000u, 32);
	st_xfer(sim, cmd, NULL, 0, r, sizeof(r));
	ck_assert_uint_eq(st_last_status(sim, &fault), 0x11);
	ck_assert_uint_eq(fault, 0x08000000u);
	ck_assert_uint_eq(st_write32(sim, 0x08000100u, 0), 0x11);
	ck_assert_uint_eq(st_read32(sim, 0x20000000u, NULL), 0x80);
	ck_assert_uint_eq(st_read32(sim, 0x40022020u, &v), 0x80);
	ck_assert_uint_eq(v & 0xFF, 0xBB);
	/* page erase with a debugger attached: WRPERR, nothing erased */
	st_write32(sim, FLASH_KEYR, 0x45670123u);
	st_write32(sim, FLASH_KEYR, 0xCDEF89ABu);
	st_write32(sim, FLASH_CR, CR_PER | CR_PNB(0) | CR_STRT);
	st_read32(sim, FLASH_SR, &v);
	ck_assert(v & SR_WRPERR);
	ck_assert_uint_ne(glint_sim_peek32(sim, 0x08000000u), 0xFFFFFFFFu);
}
END_TEST

START_TEST(test_obl_launch_reports_dp_error)
{
	g_autoptr(GlintSim) sim = sim_new_ok(NULL);
	st_enter_swd(sim);
	st_write32(sim, FLASH_KEYR, 0x45670123u);
	st_write32(sim, FLASH_KEYR, 0xCDEF89ABu);
	st_write32(sim, FLASH_OPTKEYR, 0x08192A3Bu);
	st_write32(sim, FLASH_OPTKEYR, 0x4C5D6E7Fu);
	ck_assert_uint_eq(st_write32(sim, FLASH_CR, CR_OBL_LAUNCH), 0x16);
	/* the reset locked the controller again */
	ck_assert_uint_eq(glint_sim_peek32(sim, FLASH_CR), CR_LOCK | CR_OPTLOCK);
}
END_TEST

START_TEST(test_wrong_key_is_bus_error)
{
	g_autoptr(GlintSim) sim = sim_new_ok(NULL);
	st_enter_swd(sim);
	ck_assert_uint_eq(st_write32(sim, FLASH_KEYR, 0x12345678u), 0x11);
	ck_assert_uint_eq(st_write32(sim, FLASH_KEYR, 0x45670123u), 0x11);
}
END_TEST

START_TEST(test_unplug_after)
{
	g_autoptr(GlintSim) sim = sim_new_ok(NULL);
	g_autoptr(GlintTransport) t = glint_sim_transport_new(sim);
	const guint8 cmd[16] = {0xF1};
	guint8 r[6];
	g_autoptr(GError) error = NULL;
	glint_sim_set_unplug_after(sim, 2);
	ck_assert(glint_transport_command(t, cmd, NULL, 0, r, 6, 100, NULL));
	ck_assert(glint_transport_command(t, cmd, NULL, 0, r, 6, 100, NULL));
	ck_assert(!glint_transport_command(t, cmd, NULL, 0, r, 6, 100, &error));
	ck_assert(g_error_matches(error, GLINT_ERROR, GLINT_ERROR_DISCONNECTED));
	ck_assert(glint_sim_is_unplugged(sim));
	/* bulk_out is ignored from now on */
	glint_sim_bulk_out(sim, cmd, 16);
	ck_assert_uint_eq(glint_sim_bulk_in(sim, r, sizeof(r)), 0);
	ck_assert_uint_eq(glint_sim_get_command_count(sim), 2);
}
END_TEST

static gboolean
hook_refuse_second(GlintSim *sim, const guint8 *cmd, gpointer user_data)
{
	guint *seen = user_data;
	(*seen)++;
	return *seen < 2;
}

START_TEST(test_command_hook)
{
	g_autoptr(GlintSim) sim = sim_new_ok(NULL);
	const guint8 cmd[16] = {0xF5};
	guint8 r[2];
	guint seen = 0;
	glint_sim_set_command_hook(sim, hook_refuse_second, &seen);
	ck_assert_uint_eq(st_xfer(sim, cmd, NULL, 0, r, sizeof(r)), 2);
	ck_assert_uint_eq(st_xfer(sim, cmd, NULL, 0, r, sizeof(r)), 0);
	ck_assert_uint_eq(seen, 2);
	ck_assert(glint_sim_is_unplugged(sim));
}
END_TEST

START_TEST(test_transport_lengths)
{
	g_autoptr(GlintSim) sim = sim_new_ok("stm32l476re"); /* no probe on board: a V2 */
	g_autoptr(GlintTransport) t = glint_sim_transport_new(sim);
	const guint8 version[16] = {0xF1};
	const guint8 dfu_exit[16] = {0xF3, 0x07};
	guint8 r[12];
	g_autoptr(GError) e1 = NULL;
	g_autoptr(GError) e2 = NULL;
	const GlintProbeInfo *info = glint_transport_get_info(t);
	ck_assert_uint_eq(info->pid, 0x3748);
	ck_assert(info->simulated);
	ck_assert_uint_eq(strlen(info->serial), 24);
	/* asking for fewer bytes than a short reply holds overflows */
	ck_assert(!glint_transport_command(t, version, NULL, 0, r, 4, 100, &e1));
	ck_assert(g_error_matches(e1, GLINT_ERROR, GLINT_ERROR_PROBE));
	/* no reply at all: the read times out */
	ck_assert(!glint_transport_command(t, dfu_exit, NULL, 0, r, 2, 100, &e2));
	ck_assert(g_error_matches(e2, GLINT_ERROR, GLINT_ERROR_TIMEOUT));
	ck_assert_int_gt(glint_transport_get_device_time_ns(t), 0);
}
END_TEST

START_TEST(test_clock_usb_and_swd)
{
	g_autoptr(GlintSim) sim = sim_new_ok(NULL);
	guint8 cmd[16];
	g_autofree guint8 *r = g_malloc(6144);
	const guint8 version[16] = {0xF1};
	const guint8 slow[16] = {0xF2, 0x43, 0x4F, 0x00}; /* 50 kHz */
	gint64 t0, t1;
	glint_sim_reset_time(sim);
	st_xfer(sim, version, NULL, 0, r, 6);
	/* 0.5 ms round trip + one 64-byte packet (1/19 ms) */
	ck_assert_int_eq(glint_sim_get_time_ns(sim), 500000 + 1000000 / 19);
	st_enter_swd(sim);
	st_mem_cmd(cmd, 0x07, 0x20000000u, 6144);
	t0 = glint_sim_get_time_ns(sim);
	st_xfer(sim, cmd, NULL, 0, r, 6144);
	t1 = glint_sim_get_time_ns(sim) - t0;
	/* 96 packets -> 5.05 ms of USB, 1536 words x 46 cycles at 1.8 MHz = 39.3 ms */
	ck_assert_int_eq(t1, 500000 + 96 * 1000000 / 19 +
				 G_GINT64_CONSTANT(1536) * 46 * 1000000 / 1800);
	st_xfer(sim, slow, NULL, 0, r, 2);
	t0 = glint_sim_get_time_ns(sim);
	st_xfer(sim, cmd, NULL, 0, r, 6144);
	ck_assert_int_gt(glint_sim_get_time_ns(sim) - t0, 1000000000); /* 1.4 s at 50 kHz */
}
END_TEST

/* Each board comes up with the probe its user manual names: the STLINK-V3E
 * of an MB1364 Nucleo-144 (UM2407) with 24 MHz SWD, the ST-LINK/V2-1 of a
 * Nucleo-64 (UM1724), a plain V2 on a board without one; an explicit kind
 * wins. */
START_TEST(test_board_probe)
{
	static const struct {
		const char *board;
		GlintProbeKind kind;
		guint16 pid;
		guint max_khz;
	} boards[] = {
	    {"nucleo-h743zi", GLINT_PROBE_KIND_V3, 0x374E, 24000},
	    {"nucleo-h7a3zi-q", GLINT_PROBE_KIND_V3, 0x374E, 24000},
	    {"nucleo-l552ze-q", GLINT_PROBE_KIND_V3, 0x374E, 24000},
	    {"nucleo-u575zi-q", GLINT_PROBE_KIND_V3, 0x374E, 24000},
	    {"nucleo-f401re", GLINT_PROBE_KIND_V2_1, 0x374B, 4000},
	    {"stm32f429i-disc1", GLINT_PROBE_KIND_V2_1, 0x374B, 4000},
	    {"bluepill-f103c8", GLINT_PROBE_KIND_V2, 0x3748, 4000},
	};
	for (guint i = 0; i < G_N_ELEMENTS(boards); i++) {
		g_autoptr(GlintSim) sim = sim_new_ok(boards[i].board);
		g_autoptr(GlintProbeInfo) info = glint_sim_get_probe_info(sim);
		ck_assert_msg(glint_sim_get_probe_kind(sim) == boards[i].kind, "%s",
			      boards[i].board);
		ck_assert_int_eq(info->kind, boards[i].kind);
		ck_assert_uint_eq(info->pid, boards[i].pid);
		ck_assert_uint_eq(glint_sim_get_max_swd_khz(sim), boards[i].max_khz);
		/* --kind v2 and the like still win */
		glint_sim_set_probe_kind(sim, GLINT_PROBE_KIND_V2);
		ck_assert_uint_eq(glint_sim_get_max_swd_khz(sim), 4000);
	}
}
END_TEST

START_TEST(test_v3_personality)
{
	g_autoptr(GlintSim) sim = sim_new_ok(NULL);
	const guint8 version[16] = {0xF1};
	const guint8 version_ex[16] = {0xFB};
	const guint8 get_freq[16] = {0xF2, 0x62, 0x00};
	guint8 r[52];
	glint_sim_set_probe_kind(sim, GLINT_PROBE_KIND_V3);
	glint_sim_set_firmware_version(sim, 7);
	st_xfer(sim, version, NULL, 0, r, 6);
	ck_assert_uint_eq(r[0] >> 4, 3);
	ck_assert_uint_eq(st_xfer(sim, version_ex, NULL, 0, r, 12), 12);
	ck_assert_uint_eq(r[0], 3);
	ck_assert_uint_eq(r[2], 7);
	ck_assert_uint_eq(r[10] | r[11] << 8, 0x374E);
	ck_assert_uint_eq(st_xfer(sim, get_freq, NULL, 0, r, 52), 52);
	ck_assert_uint_eq(r[0], 0x80);
	ck_assert_uint_gt(r[8], 0);
}
END_TEST

START_TEST(test_garbage_never_crashes)
{
	g_autoptr(GlintSim) sim = sim_new_ok(NULL);
	guint32 x = 12345;
	guint8 buf[64];
	for (guint i = 0; i < 20000; i++) {
		gsize len = 1 + (x % 40);
		for (gsize j = 0; j < len; j++) {
			x = x * 1103515245u + 12345u;
			buf[j] = (guint8)(x >> 16);
		}
		/* bias toward the debug class so sub-commands get exercised */
		if (i % 2 == 0)
			buf[0] = 0xF2;
		glint_sim_bulk_out(sim, buf, len);
		while (glint_sim_bulk_in(sim, buf, sizeof(buf)) > 0)
			;
	}
	ck_assert(!glint_sim_is_unplugged(sim));
}
END_TEST

START_TEST(test_debug_register_details)
{
	g_autoptr(GlintSim) sim = sim_new_ok(NULL);
	const guint8 pulse[16] = {0xF2, 0x3C, 0x02};
	const guint8 readreg[16] = {0xF2, 0x33, 0};
	guint8 r[8];
	guint32 v;
	st_enter_swd(sim);
	/* DHCSR writes without DBGKEY are ignored */
	st_write32(sim, DHCSR, 0x00000003u);
	st_read32(sim, DHCSR, &v);
	ck_assert_uint_eq(v & 0x3, 0);
	/* core registers need a halted core */
	st_xfer(sim, readreg, NULL, 0, r, sizeof(r));
	ck_assert_uint_ne(r[0], 0x80);
	st_write32(sim, DHCSR, 0xA05F0003u);
	st_xfer(sim, readreg, NULL, 0, r, sizeof(r));
	ck_assert_uint_eq(r[0], 0x80);
	/* peeking does not consume the sticky S_RESET_ST */
	st_xfer(sim, pulse, NULL, 0, r, sizeof(r));
	ck_assert_uint_eq(r[0], 0x80);
	ck_assert(glint_sim_peek32(sim, DHCSR) & (1u << 25));
	ck_assert(glint_sim_peek32(sim, DHCSR) & (1u << 25));
	st_read32(sim, DHCSR, &v);
	ck_assert(v & (1u << 25));
	/* the halt request survived the NRST pulse (debug logic is not reset) */
	ck_assert(v & (1u << 17));
	/* FP_CTRL: ENABLE changes only with KEY */
	st_write32(sim, 0xE0002000u, 1);
	st_read32(sim, 0xE0002000u, &v);
	ck_assert_uint_eq(v & 1, 0);
	st_write32(sim, 0xE0002000u, 3);
	st_read32(sim, 0xE0002000u, &v);
	ck_assert_uint_eq(v & 1, 1);
	/* a power cycle clears the debug registers */
	st_write32(sim, DEMCR, 0x01000001u);
	glint_sim_power_cycle(sim);
	st_read32(sim, DHCSR, &v);
	ck_assert_uint_eq(v & 0x3, 0);
	st_read32(sim, DEMCR, &v);
	ck_assert_uint_eq(v, 0);
	/* memory behind the AP of another port: BAD_AP on J32+ */
	{
		guint8 cmd[16];
		guint8 data[8];
		st_mem_cmd(cmd, 0x07, 0x20000000u, 8);
		cmd[8] = 1;
		st_xfer(sim, cmd, NULL, 0, data, sizeof(data));
		ck_assert_uint_eq(st_last_status(sim, NULL), 0x1D);
	}
}
END_TEST

START_TEST(test_memory_map)
{
	g_autoptr(GlintSim) sim = sim_new_ok("wrp");
	guint32 v;
	guint8 b[2];
	/* SRAM2 at 0x10000000 is also visible right after SRAM1 */
	bus_w32(sim, 0x10000010u, 0xA1B2C3D4u);
	ck_assert_uint_eq(bus_r32(sim, 0x20018010u), 0xA1B2C3D4u);
	/* the boot alias at 0 shows flash */
	ck_assert_uint_eq(bus_r32(sim, 0x00000004u), glint_sim_peek32(sim, 0x08000004u));
	/* system memory is read-only and not erased */
	ck_assert(!glint_sim_bus_write(sim, 0x1FFF0000u, 4, 0));
	ck_assert_uint_ne(bus_r32(sim, 0x1FFF0100u), 0xFFFFFFFFu);
	/* 16-bit flash size, package, option bytes with complements */
	ck_assert(glint_sim_bus_read(sim, 0x1FFF75E0u, 2, &v));
	ck_assert_uint_eq(v, 1024);
	ck_assert_uint_eq(bus_r32(sim, 0x1FFF7818u), 0x000F0000u);
	ck_assert_uint_eq(bus_r32(sim, 0x1FFF781Cu), ~0x000F0000u);
	ck_assert_uint_eq(bus_r32(sim, 0x1FFFF818u), 0xFF00FFFFu);
	/* unaligned and reserved accesses fault (0x40030000: after TSC on AHB1) */
	ck_assert(!glint_sim_bus_read(sim, 0x20000002u, 4, &v));
	ck_assert(!glint_sim_bus_read(sim, 0x40030000u, 4, &v));
	ck_assert(!glint_sim_bus_read(sim, 0xE0050000u, 4, &v));
	/* peripherals a programmer touches are plain registers */
	bus_w32(sim, 0x40003000u, 0xAAAAu);
	ck_assert_uint_eq(bus_r32(sim, 0x40003000u), 0xAAAAu);
	bus_w32(sim, 0xE0042008u, 0x1800u);
	ck_assert_uint_eq(bus_r32(sim, 0xE0042008u), 0x1800u);
	/* ROM table points at the SCS */
	ck_assert_uint_eq(bus_r32(sim, 0xE00FF000u), 0xFFF0F003u);
	ck_assert(glint_sim_peek(sim, 0x1FFF7590u, b, 2));
}
END_TEST

START_TEST(test_swd_frequency_gates_time)
{
	g_autoptr(GlintSim) sim = sim_new_ok(NULL);
	const guint8 fast[16] = {0xF2, 0x43, 0x00, 0x00}; /* 4 MHz */
	guint8 cmd[16];
	guint8 r[64];
	gint64 t0, at_fast, at_default;
	st_enter_swd(sim);
	st_mem_cmd(cmd, 0x07, 0x20000000u, 64);
	t0 = glint_sim_get_time_ns(sim);
	st_xfer(sim, cmd, NULL, 0, r, sizeof(r));
	at_default = glint_sim_get_time_ns(sim) - t0;
	st_xfer(sim, fast, NULL, 0, r, 2);
	t0 = glint_sim_get_time_ns(sim);
	st_xfer(sim, cmd, NULL, 0, r, sizeof(r));
	at_fast = glint_sim_get_time_ns(sim) - t0;
	/* 16 words x 46 cycles: 408.9 us at 1.8 MHz, 184 us at 4 MHz */
	ck_assert_int_eq(at_default - at_fast, 16 * 46 * 1000000 / 1800 - 16 * 46 * 1000000 / 4000);
}
END_TEST

START_TEST(test_fault_injection)
{
	g_autoptr(GlintSim) sim = sim_new_ok(NULL);
	const guint8 pulse[16] = {0xF2, 0x3C, 0x02};
	guint8 cmd[16];
	guint8 r[8];
	guint32 v;
	st_enter_swd(sim);
	glint_sim_inject_target_status(sim, 0x10, 2);
	ck_assert_uint_eq(st_write32(sim, 0x20000000u, 0x5A5A5A5Au), 0x10);
	st_mem_cmd(cmd, 0x07, 0x20000000u, 8);
	st_xfer(sim, cmd, NULL, 0, r, sizeof(r));
	ck_assert_uint_eq(st_last_status(sim, NULL), 0x10);
	/* the waits had no effect; the retry goes through */
	ck_assert_uint_eq(glint_sim_peek32(sim, 0x20000000u), 0);
	ck_assert_uint_eq(st_write32(sim, 0x20000000u, 0x5A5A5A5Au), 0x80);
	ck_assert_uint_eq(glint_sim_peek32(sim, 0x20000000u), 0x5A5A5A5Au);
	/* NRST not wired: the pulse is acknowledged but nothing resets */
	glint_sim_set_nrst_wired(sim, FALSE);
	st_read32(sim, DHCSR, NULL);
	st_xfer(sim, pulse, NULL, 0, r, 2);
	ck_assert_uint_eq(r[0], 0x80);
	st_read32(sim, DHCSR, &v);
	ck_assert(!(v & (1u << 25)));
	ck_assert_uint_eq(glint_sim_peek32(sim, 0x20000000u), 0x5A5A5A5Au);
	glint_sim_set_nrst_wired(sim, TRUE);
	st_xfer(sim, pulse, NULL, 0, r, 2);
	st_read32(sim, DHCSR, &v);
	ck_assert(v & (1u << 25));
}
END_TEST

/* A whole host-style job over the in-process transport: unlock, page erase
 * with BSY polling, program with one large WRITEMEM_32BIT, verify, lock. */
static guint8
tr_write32(GlintTransport *t, guint32 addr, guint32 v)
{
	guint8 cmd[16] = {0xF2, 0x35};
	guint8 r[2] = {0};
	st_put32(cmd + 2, addr);
	st_put32(cmd + 6, v);
	ck_assert(glint_transport_command(t, cmd, NULL, 0, r, 2, 1000, NULL));
	return r[0];
}

static guint32
tr_read32(GlintTransport *t, guint32 addr)
{
	guint8 cmd[16] = {0xF2, 0x36};
	guint8 r[8] = {0};
	st_put32(cmd + 2, addr);
	ck_assert(glint_transport_command(t, cmd, NULL, 0, r, 8, 1000, NULL));
	ck_assert_uint_eq(r[0], 0x80);
	return st_get32(r + 4);
}

START_TEST(test_host_style_job)
{
	g_autoptr(GlintSim) sim = sim_new_ok(NULL);
	g_autoptr(GlintTransport) t = glint_sim_transport_new(sim);
	const guint8 enter[16] = {0xF2, 0x30, 0xA3};
	const guint32 len = 4096;
	g_autofree guint8 *img = g_malloc(len);
	g_autofree guint8 *back = g_malloc(len);
	guint8 cmd[16];
	guint8 r[12];
	guint polls = 0;
	gint64 t0;
	GlintSimStats st;
	for (guint32 i = 0; i < len; i++)
		img[i] = (guint8)(i ^ (i >> 8));
	ck_assert(glint_transport_command(t, enter, NULL, 0, r, 2, 1000, NULL));
	ck_assert_uint_eq(tr_write32(t, FLASH_KEYR, 0x45670123u), 0x80);
	ck_assert_uint_eq(tr_write32(t, FLASH_KEYR, 0xCDEF89ABu), 0x80);
	/* erase pages 4 and 5 */
	t0 = glint_sim_get_time_ns(sim);
	for (guint page = 4; page < 6; page++) {
		tr_write32(t, FLASH_CR, CR_PER | CR_PNB(page) | CR_STRT);
		while (tr_read32(t, FLASH_SR) & SR_BSY)
			polls++;
	}
	/* 22.02 ms per page, seen through polls of ~0.58 ms (USB + SWD) */
	ck_assert_uint_ge(polls, 2 * 35);
	ck_assert_int_ge(glint_sim_get_time_ns(sim) - t0, 2 * 22020000);
	tr_write32(t, FLASH_CR, CR_PG);
	st_mem_cmd(cmd, 0x08, 0x08002000u, (guint16)len);
	t0 = glint_sim_get_time_ns(sim);
	ck_assert(glint_transport_command(t, cmd, img, len, NULL, 0, 1000, NULL));
	/* 512 double words, each 81.69 us on the flash: the AHB stalls between them */
	ck_assert_int_ge(glint_sim_get_time_ns(sim) - t0, 511 * 81690);
	{
		const guint8 status2[16] = {0xF2, 0x3E};
		ck_assert(glint_transport_command(t, status2, NULL, 0, r, 12, 1000, NULL));
		ck_assert_uint_eq(r[0], 0x80);
	}
	while (tr_read32(t, FLASH_SR) & SR_BSY)
		;
	ck_assert_uint_eq(tr_read32(t, FLASH_SR), 0);
	tr_write32(t, FLASH_CR, CR_LOCK);
	st_mem_cmd(cmd, 0x07, 0x08002000u, (guint16)len);
	ck_assert(glint_transport_command(t, cmd, NULL, 0, back, len, 1000, NULL));
	ck_assert_mem_eq(back, img, len);
	glint_sim_get_stats(sim, &st);
	ck_assert_uint_eq(st.pages_erased, 2);
	ck_assert_uint_eq(st.double_words_programmed, len / 8);
	ck_assert_uint_eq(st.usb_commands, glint_sim_get_command_count(sim));
}
END_TEST

static gpointer
program_own_board(gpointer data)
{
	GlintSim *sim = data;
	guint32 tag = g_str_hash(glint_sim_get_serial(sim));
	flash_unlock(sim);
	bus_w32(sim, FLASH_CR, CR_PG);
	for (guint32 off = 0; off < 64 * 1024; off += 8) {
		bus_w32(sim, 0x08000000u + off, tag ^ off);
		bus_w32(sim, 0x08000004u + off, ~(tag ^ off));
	}
	return NULL;
}

START_TEST(test_sims_on_threads)
{
	GlintSim *sims[4];
	GThread *threads[4];
	for (guint i = 0; i < 4; i++) {
		g_autofree gchar *serial = g_strdup_printf("0669FF00000000000000000%u", i);
		sims[i] = sim_new_ok(NULL);
		glint_sim_set_serial(sims[i], serial);
		threads[i] = g_thread_new("board", program_own_board, sims[i]);
	}
	for (guint i = 0; i < 4; i++) {
		guint32 tag = g_str_hash(glint_sim_get_serial(sims[i]));
		g_thread_join(threads[i]);
		ck_assert_uint_eq(glint_sim_peek32(sims[i], 0x08000000u + 0x8000u), tag ^ 0x8000u);
		ck_assert_uint_eq(glint_sim_peek32(sims[i], 0x08000004u + 0xFFF8u),
				  ~(tag ^ 0xFFF8u));
		/* the last double word is still being programmed: BSY, no error */
		ck_assert_uint_eq(glint_sim_peek32(sims[i], FLASH_SR), SR_BSY);
		glint_sim_unref(sims[i]);
	}
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("sim-probe");
	TCase *tc = tcase_create("probe");
	tcase_add_test(tc, test_get_version_v2j37s7);
	tcase_add_test(tc, test_get_version_v2_1);
	tcase_add_test(tc, test_modes);
	tcase_add_test(tc, test_target_voltage);
	tcase_add_test(tc, test_identity);
	tcase_add_test(tc, test_no_target);
	tcase_add_test(tc, test_read8_one_byte_sends_two);
	tcase_add_test(tc, test_read8_cap);
	tcase_add_test(tc, test_read32_alignment);
	tcase_add_test(tc, test_unmapped_fault_address);
	tcase_add_test(tc, test_write_split_data_phase);
	tcase_add_test(tc, test_write32_large);
	tcase_add_test(tc, test_firmware_gates);
	tcase_add_test(tc, test_halt_regs_and_vector_catch);
	tcase_add_test(tc, test_swd_disabled_needs_reset);
	tcase_add_test(tc, test_rdp1_debug_access);
	tcase_add_test(tc, test_obl_launch_reports_dp_error);
	tcase_add_test(tc, test_wrong_key_is_bus_error);
	tcase_add_test(tc, test_unplug_after);
	tcase_add_test(tc, test_command_hook);
	tcase_add_test(tc, test_transport_lengths);
	tcase_add_test(tc, test_clock_usb_and_swd);
	tcase_add_test(tc, test_v3_personality);
	tcase_add_test(tc, test_garbage_never_crashes);
	tcase_add_test(tc, test_debug_register_details);
	tcase_add_test(tc, test_memory_map);
	tcase_add_test(tc, test_swd_frequency_gates_time);
	tcase_add_test(tc, test_board_probe);
	tcase_add_test(tc, test_fault_injection);
	tcase_add_test(tc, test_host_style_job);
	tcase_add_test(tc, test_sims_on_threads);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
