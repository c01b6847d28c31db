/* glint-stlink.c: the ST-LINK debug protocol over a GlintTransport.
 *
 * Layouts, reply lengths, status codes and version gates follow
 * /work/shared/reference/stlink-stm32.md sections 2 and 7.3. */
#define G_LOG_DOMAIN "glint-stlink"

#include "glint-i18n.h"
#include "glint-stlink.h"

#include <string.h>

#include "glint-error.h"

/* Reply lengths (reference 2.11). */
#define STLINK_GET_VERSION_LEN 6
#define STLINK_GET_VERSION_EX_LEN 12
#define STLINK_GET_CURRENT_MODE_LEN 2
#define STLINK_GET_TARGET_VOLTAGE_LEN 8
#define STLINK_STATUS_LEN 2
#define STLINK_STATUS_U32_LEN 8
#define STLINK_READ_IDCODES_LEN 12
#define STLINK_GETLASTRWSTATUS2_LEN 12
#define STLINK_GET_COM_FREQ_LEN 52

/* GET_COM_FREQ / SET_COM_FREQ: byte 2 selects the interface; the list of
 * supported clocks has a count at [8] and u32 kHz values from [12]. */
#define STLINK_COM_SWD 0x00
#define STLINK_COM_FREQ_COUNT_OFFSET 8
#define STLINK_COM_FREQ_LIST_OFFSET 12
#define STLINK_COM_FREQ_MAX_COUNT 10

/* Fields of the GET_VERSION u16 (big-endian on the wire). */
#define STLINK_VERSION_HW_SHIFT 12
#define STLINK_VERSION_JTAG_SHIFT 6
#define STLINK_VERSION_FIELD_MASK 0x3F

/* Every ST-LINK enumerates, and reports in GET_VERSION, with
 * STMicroelectronics' USB vendor id. */
#define STLINK_USB_VID 0x0483

#define STLINK_REPLUG_HINT                                                                         \
	N_("the reply was garbled on the way from the probe; unplug and replug the probe")

/* PIDs whose GET_VERSION low field is the mass-storage version, not SWIM. */
#define STLINK_PID_V2_1_AUDIO 0x374A
#define STLINK_PID_V2_1 0x374B
#define STLINK_PID_V2_1_NO_MSD 0x3752

/* A 1-byte READMEM_8BIT is answered with two bytes (reference 2.6). */
#define STLINK_READ8_ONE_BYTE_REPLY 2

/* The probe's 1.2 V reference and the 1/2 divider on target VDD (2.7). */
#define STLINK_VREF_VOLTS 1.2
/* The probe samples both voltages with a 12-bit ADC. */
#define STLINK_ADC_MAX 4095u
/* Above any STM32 (or ST-LINK) supply: a reading beyond is garbage. */
#define STLINK_TARGET_MAX_VOLTS 5.5
#define STLINK_VDD_DIVIDER 2.0

#define STLINK_WAIT_BASE_DELAY_US 1000

#define STLINK_UPDATE_HINT                                                                         \
	N_("update it with STM32CubeProgrammer or the ST-LINK upgrade tool (STSW-LINK007)")

struct _GlintStlink {
	GlintTransport *transport;
	GlintStlinkVersion version;
	gboolean opened;
	guint max_rw8;
	guint8 last_status;
	guint32 last_fault_addr;
	guint64 command_count;
	guint tar_block; /* MEM-AP TAR auto-increment span, bytes */
	GlintStlinkSleepFunc sleep_func;
	gpointer sleep_data;
};

/* Commands that some firmware lacks, with the first J version having them
 * (reference table 2.4). */
typedef enum {
	STLINK_FEATURE_TARGET_VOLTAGE,
	STLINK_FEATURE_RW_STATUS2,
	STLINK_FEATURE_SWD_SET_FREQ,
	STLINK_FEATURE_RW8_512,
	STLINK_FEATURE_TRACE,
	STLINK_FEATURE_MEM16,
} StlinkFeature;

#define STLINK_NEVER G_MAXUINT

static const struct {
	const char *what;
	guint v2_min_jtag;
	guint v3_min_jtag;
} stlink_features[] = {
    [STLINK_FEATURE_TARGET_VOLTAGE] = {N_("reading the target voltage"), 13, 0},
    [STLINK_FEATURE_RW_STATUS2] = {"GETLASTRWSTATUS2", 15, 0},
    [STLINK_FEATURE_SWD_SET_FREQ] = {N_("setting the SWD clock (SWD_SET_FREQ)"), 22, STLINK_NEVER},
    [STLINK_FEATURE_RW8_512] = {N_("512-byte 8-bit transfers"), STLINK_NEVER, 6},
    [STLINK_FEATURE_TRACE] = {N_("SWO trace capture"), 13, 0},
    [STLINK_FEATURE_MEM16] = {N_("16-bit memory access (READMEM_16BIT/WRITEMEM_16BIT)"), 26, 0},
};

/* V2 SWD clock divisors shared by stlink-org and OpenOCD, fastest first
 * (reference 2.8). */
static const struct {
	guint khz;
	guint16 divisor;
} stlink_swd_divisors[] = {
    {4000, 0}, {1800, 1}, {1200, 2}, {950, 3},	{480, 7},  {240, 15},
    {125, 31}, {100, 40}, {50, 79},  {25, 158}, {15, 265}, {5, 798},
};

static const struct {
	guint8 status;
	const char *name;
} stlink_status_names[] = {
    {STLINK_DEBUG_ERR_OK, "DEBUG_ERR_OK"},
    {STLINK_DEBUG_ERR_FAULT, "DEBUG_ERR_FAULT"},
    {STLINK_JTAG_UNKNOWN_ERROR, "JTAG_UNKNOWN_ERROR"},
    {STLINK_SPI_ERROR, "SPI_ERROR"},
    {STLINK_DMA_ERROR, "DMA_ERROR"},
    {STLINK_JTAG_UNKNOWN_JTAG_CHAIN, "JTAG_UNKNOWN_JTAG_CHAIN"},
    {STLINK_JTAG_NO_DEVICE_CONNECTED, "JTAG_NO_DEVICE_CONNECTED"},
    {STLINK_JTAG_INTERNAL_ERROR, "JTAG_INTERNAL_ERROR"},
    {STLINK_JTAG_CMD_WAIT, "JTAG_CMD_WAIT"},
    {STLINK_JTAG_CMD_ERROR, "JTAG_CMD_ERROR"},
    {STLINK_JTAG_GET_IDCODE_ERROR, "JTAG_GET_IDCODE_ERROR"},
    {STLINK_JTAG_ALIGNMENT_ERROR, "JTAG_ALIGNMENT_ERROR"},
    {STLINK_JTAG_DBG_POWER_ERROR, "JTAG_DBG_POWER_ERROR"},
    {STLINK_JTAG_WRITE_ERROR, "JTAG_WRITE_ERROR"},
    {STLINK_JTAG_WRITE_VERIF_ERROR, "JTAG_WRITE_VERIF_ERROR"},
    {STLINK_JTAG_ALREADY_OPENED_IN_OTHER_MODE, "JTAG_ALREADY_OPENED_IN_OTHER_MODE"},
    {STLINK_SWD_AP_WAIT, "SWD_AP_WAIT"},
    {STLINK_SWD_AP_FAULT, "SWD_AP_FAULT"},
    {STLINK_SWD_AP_ERROR, "SWD_AP_ERROR"},
    {STLINK_SWD_AP_PARITY_ERROR, "SWD_AP_PARITY_ERROR"},
    {STLINK_SWD_DP_WAIT, "SWD_DP_WAIT"},
    {STLINK_SWD_DP_FAULT, "SWD_DP_FAULT"},
    {STLINK_SWD_DP_ERROR, "SWD_DP_ERROR"},
    {STLINK_SWD_DP_PARITY_ERROR, "SWD_DP_PARITY_ERROR"},
    {STLINK_SWD_AP_WDATA_ERROR, "SWD_AP_WDATA_ERROR"},
    {STLINK_SWD_AP_STICKY_ERROR, "SWD_AP_STICKY_ERROR"},
    {STLINK_SWD_AP_STICKYORUN_ERROR, "SWD_AP_STICKYORUN_ERROR"},
    {STLINK_BAD_AP_ERROR, "BAD_AP_ERROR"},
    {STLINK_SWV_NOT_AVAILABLE, "SWV_NOT_AVAILABLE"},
    {STLINK_JTAG_CONF_CHANGED, "JTAG_CONF_CHANGED"},
    {STLINK_JTAG_FREQ_NOT_SUPPORTED, "JTAG_FREQ_NOT_SUPPORTED"},
    {STLINK_JTAG_UNKNOWN_CMD, "JTAG_UNKNOWN_CMD"},
};

/* ---- small helpers ---------------------------------------------------- */

static void
stlink_put_u16(guint8 *p, guint16 value)
{
	p[0] = value & 0xFF;
	p[1] = value >> 8;
}

static void
stlink_put_u32(guint8 *p, guint32 value)
{
	p[0] = value & 0xFF;
	p[1] = (value >> 8) & 0xFF;
	p[2] = (value >> 16) & 0xFF;
	p[3] = value >> 24;
}

static guint16
stlink_get_u16(const guint8 *p)
{
	return (guint16)(p[0] | (p[1] << 8));
}

static guint32
stlink_get_u32(const guint8 *p)
{
	return (guint32)p[0] | ((guint32)p[1] << 8) | ((guint32)p[2] << 16) | ((guint32)p[3] << 24);
}

static void
stlink_cmd_init(guint8 *cmd, guint8 klass, guint8 sub)
{
	memset(cmd, 0, GLINT_STLINK_CMD_SIZE);
	cmd[0] = klass;
	cmd[1] = sub;
}

const char *
glint_stlink_status_to_string(guint8 status)
{
	for (guint i = 0; i < G_N_ELEMENTS(stlink_status_names); i++) {
		if (stlink_status_names[i].status == status)
			return stlink_status_names[i].name;
	}
	return "UNKNOWN";
}

static gboolean
stlink_status_is_known(guint8 status)
{
	for (guint i = 0; i < G_N_ELEMENTS(stlink_status_names); i++) {
		if (stlink_status_names[i].status == status)
			return TRUE;
	}
	return FALSE;
}

static gboolean
stlink_status_is_wait(guint8 status)
{
	return status == STLINK_SWD_AP_WAIT || status == STLINK_SWD_DP_WAIT;
}

/* One exchange with the probe. Every command goes through here so that the
 * count is exact and a stale status never outlives the command after it. */
static gboolean
stlink_send(GlintStlink *self, const guint8 *cmd, const guint8 *out, gsize out_len, guint8 *in,
	    gsize in_len, GError **error)
{
	self->command_count++;
	self->last_status = 0;
	self->last_fault_addr = 0;
	return glint_transport_command(self->transport, cmd, out, out_len, in, in_len, 0, error);
}

static gboolean
stlink_require_open(GlintStlink *self, GError **error)
{
	if (self->opened)
		return TRUE;
	g_set_error_literal(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("the ST-LINK has not been opened: call glint_stlink_open() first"));
	return FALSE;
}

static guint
stlink_feature_min_jtag(GlintStlink *self, StlinkFeature feature)
{
	if (self->version.hw >= 3)
		return stlink_features[feature].v3_min_jtag;
	return stlink_features[feature].v2_min_jtag;
}

static gboolean
stlink_has_feature(GlintStlink *self, StlinkFeature feature)
{
	guint min = stlink_feature_min_jtag(self, feature);
	return min != STLINK_NEVER && self->version.jtag >= min;
}

/* Fails with the minimum firmware that has @feature when this one lacks it. */
static gboolean
stlink_require_feature(GlintStlink *self, StlinkFeature feature, GError **error)
{
	guint min = stlink_feature_min_jtag(self, feature);
	g_autofree gchar *found = NULL;

	if (stlink_has_feature(self, feature))
		return TRUE;
	found = glint_stlink_version_to_string(&self->version);
	if (min == STLINK_NEVER) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_UNSUPPORTED,
			    _("%s is not available on this ST-LINK (%s)"),
			    glint_tr(stlink_features[feature].what), found);
		return FALSE;
	}
	g_set_error(error, GLINT_ERROR, GLINT_ERROR_FIRMWARE_TOO_OLD,
		    _("%s needs ST-LINK firmware V%uJ%u or newer, this probe runs %s: %s"),
		    glint_tr(stlink_features[feature].what), self->version.hw, min, found,
		    _(STLINK_UPDATE_HINT));
	return FALSE;
}

/* Turns a status other than OK into the GError that names its cause.
 * @fault_addr is where a bus fault happened; @what what was being done. */
static gboolean
stlink_status_error(GlintStlink *self, guint8 status, guint32 fault_addr, const char *what,
		    GError **error)
{
	const char *name = glint_stlink_status_to_string(status);

	switch (status) {
	case STLINK_DEBUG_ERR_OK:
		return TRUE;
	case STLINK_SWD_AP_FAULT:
	case STLINK_SWD_AP_WDATA_ERROR:
	case STLINK_SWD_AP_STICKY_ERROR:
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_MEMORY_FAULT,
			    /* TRANSLATORS: "while %s" is what the probe was doing, one of the
			     * "reading the word at 0x%08x" messages */
			    _("bus fault at 0x%08x while %s (%s): the address is not mapped, not "
			      "accessible in this state, or read-protected"),
			    fault_addr, what, name);
		return FALSE;
	case STLINK_SWD_DP_FAULT:
	case STLINK_SWD_DP_ERROR:
	case STLINK_SWD_DP_PARITY_ERROR:
		g_set_error(
		    error, GLINT_ERROR, GLINT_ERROR_TARGET_NOT_RESPONDING,
		    _("the target's debug port does not answer (%s) while %s: check the SWD "
		      "wiring and target power, lower the SWD clock, or connect under reset"),
		    name, what);
		return FALSE;
	case STLINK_SWD_AP_WAIT:
	case STLINK_SWD_DP_WAIT:
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_TARGET_NOT_RESPONDING,
			    _("the target still answered %s after %u retries while %s: it may be "
			      "asleep or have its SWD pins reassigned; connect under reset"),
			    name, (guint)STLINK_WAIT_RETRIES, what);
		return FALSE;
	case STLINK_JTAG_GET_IDCODE_ERROR:
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_TARGET_NOT_RESPONDING,
			    _("no target answered on SWD (%s) while %s: check the wiring, target "
			      "power and NRST, or connect under reset"),
			    name, what);
		return FALSE;
	case STLINK_JTAG_UNKNOWN_CMD:
	case STLINK_JTAG_CMD_ERROR: {
		g_autofree gchar *found = glint_stlink_version_to_string(&self->version);
		g_set_error(
		    error, GLINT_ERROR, GLINT_ERROR_PROBE,
		    _("the ST-LINK (%s) refused the command (%s) while %s: its firmware may "
		      "not support it; %s"),
		    found, name, what, _(STLINK_UPDATE_HINT));
		return FALSE;
	}
	default:
		break;
	}
	/* A code that no ST-LINK firmware sends is the link's doing, not the
	 * target's (issue 16): a complemented OK (0x80) reads 0x7f. */
	if (!stlink_status_is_known(status)) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_PROBE,
			    _("the ST-LINK answered status 0x%02x while %s, which no ST-LINK "
			      "firmware sends: %s"),
			    status, what, _(STLINK_REPLUG_HINT));
		return FALSE;
	}
	g_set_error(error, GLINT_ERROR, GLINT_ERROR_PROBE,
		    _("the ST-LINK answered %s (0x%02x) while %s"), name, status, what);
	return FALSE;
}

static void
stlink_wait_backoff(GlintStlink *self, guint attempt)
{
	gulong delay_us = (gulong)STLINK_WAIT_BASE_DELAY_US << attempt;

	g_debug("target answered WAIT, retry %u in %lu us", attempt + 1, delay_us);
	if (self->sleep_func != NULL)
		self->sleep_func(delay_us, self->sleep_data);
	else
		g_usleep(delay_us);
}

/* Sends @cmd whose @reply_len-byte reply starts with a status byte; a WAIT
 * is retried with exponential back-off. @addr names where a fault is. */
static gboolean
stlink_status_command(GlintStlink *self, const guint8 *cmd, guint8 *reply, gsize reply_len,
		      guint32 addr, const char *what, GError **error)
{
	for (guint attempt = 0;; attempt++) {
		if (!stlink_send(self, cmd, NULL, 0, reply, reply_len, error))
			return FALSE;
		self->last_status = reply[0];
		if (stlink_status_is_wait(reply[0]) && attempt < STLINK_WAIT_RETRIES) {
			stlink_wait_backoff(self, attempt);
			continue;
		}
		return stlink_status_error(self, reply[0], addr, what, error);
	}
}

/* ---- lifetime ------------------------------------------------------- */

GlintStlink *
glint_stlink_new(GlintTransport *transport)
{
	GlintStlink *self;

	g_return_val_if_fail(transport != NULL, NULL);
	self = g_new0(GlintStlink, 1);
	self->transport = glint_transport_ref(transport);
	self->max_rw8 = STLINK_MAX_RW8_FS;
	return self;
}

void
glint_stlink_free(GlintStlink *self)
{
	if (self == NULL)
		return;
	glint_transport_unref(self->transport);
	g_free(self);
}

GlintTransport *
glint_stlink_get_transport(GlintStlink *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->transport;
}

guint64
glint_stlink_get_command_count(GlintStlink *self)
{
	g_return_val_if_fail(self != NULL, 0);
	return self->command_count;
}

guint8
glint_stlink_get_last_status(GlintStlink *self)
{
	g_return_val_if_fail(self != NULL, 0);
	return self->last_status;
}

guint32
glint_stlink_get_last_fault_address(GlintStlink *self)
{
	g_return_val_if_fail(self != NULL, 0);
	return self->last_fault_addr;
}

void
glint_stlink_set_sleep_func(GlintStlink *self, GlintStlinkSleepFunc func, gpointer user_data)
{
	g_return_if_fail(self != NULL);
	self->sleep_func = func;
	self->sleep_data = user_data;
}

/* ---- version and modes ---------------------------------------------- */

gchar *
glint_stlink_version_to_string(const GlintStlinkVersion *version)
{
	GString *str;

	g_return_val_if_fail(version != NULL, NULL);
	str = g_string_new(NULL);
	g_string_append_printf(str, "V%uJ%u", version->hw, version->jtag);
	if (version->hw >= 3) {
		/* OpenOCD's V3 form: zero fields are left out. */
		if (version->msd != 0)
			g_string_append_printf(str, "M%u", version->msd);
		if (version->bridge != 0)
			g_string_append_printf(str, "B%u", version->bridge);
		if (version->swim != 0)
			g_string_append_printf(str, "S%u", version->swim);
	} else {
		/* A V2 dongle always shows S (V2J14S0); a V2-1 its M. */
		if (version->msd != 0)
			g_string_append_printf(str, "M%u", version->msd);
		if (version->swim != 0 || version->msd == 0)
			g_string_append_printf(str, "S%u", version->swim);
	}
	return g_string_free(str, FALSE);
}

const GlintStlinkVersion *
glint_stlink_get_version(GlintStlink *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return &self->version;
}

static gboolean
stlink_pid_is_v2_1(guint16 pid)
{
	return pid == STLINK_PID_V2_1_AUDIO || pid == STLINK_PID_V2_1 ||
	       pid == STLINK_PID_V2_1_NO_MSD;
}

/* On V2-1 the two 6-bit fields are J and M, except on STM8-only boards
 * where they are M and S; OpenOCD tells them apart by these combinations. */
static gboolean
stlink_v2_1_is_stm8_board(guint x, guint y)
{
	return (x <= 22 && y == 7) || (x >= 25 && y >= 7 && y <= 12);
}

/* The vendor id a version reply carries must be ST's: anything else means
 * the bytes were spoiled on the way. */
static gboolean
stlink_check_reply_vid(guint16 vid, const char *what, GError **error)
{
	if (vid == STLINK_USB_VID)
		return TRUE;
	g_set_error(error, GLINT_ERROR, GLINT_ERROR_PROBE,
		    _("the ST-LINK's %s reply makes no sense (vendor id 0x%04x, not ST's "
		      "0x%04x): %s"),
		    what, vid, (guint)STLINK_USB_VID, _(STLINK_REPLUG_HINT));
	return FALSE;
}

static gboolean
stlink_read_version_ex(GlintStlink *self, GError **error)
{
	guint8 cmd[GLINT_STLINK_CMD_SIZE];
	guint8 reply[STLINK_GET_VERSION_EX_LEN] = {0};

	stlink_cmd_init(cmd, STLINK_APIV3_GET_VERSION_EX, 0);
	if (!stlink_send(self, cmd, NULL, 0, reply, sizeof(reply), error))
		return FALSE;
	if (reply[0] < 3) {
		g_set_error(
		    error, GLINT_ERROR, GLINT_ERROR_PROBE,
		    _("the ST-LINK/V3 extended version reply names generation %u: the probe "
		      "is confused; unplug and replug it"),
		    reply[0]);
		return FALSE;
	}
	if (!stlink_check_reply_vid(stlink_get_u16(reply + 8), _("extended version"), error))
		return FALSE;
	self->version.hw = reply[0];
	self->version.swim = reply[1];
	self->version.jtag = reply[2];
	self->version.msd = reply[3];
	self->version.bridge = reply[4];
	self->version.vid = stlink_get_u16(reply + 8);
	self->version.pid = stlink_get_u16(reply + 10);
	return TRUE;
}

static gboolean
stlink_read_version(GlintStlink *self, GError **error)
{
	guint8 cmd[GLINT_STLINK_CMD_SIZE];
	guint8 reply[STLINK_GET_VERSION_LEN] = {0};
	guint16 v;
	guint x, y;
	GlintStlinkVersion *ver = &self->version;

	memset(ver, 0, sizeof(*ver));
	stlink_cmd_init(cmd, STLINK_GET_VERSION, 0);
	if (!stlink_send(self, cmd, NULL, 0, reply, sizeof(reply), error))
		return FALSE;
	v = (guint16)((reply[0] << 8) | reply[1]);
	ver->hw = v >> STLINK_VERSION_HW_SHIFT;
	x = (v >> STLINK_VERSION_JTAG_SHIFT) & STLINK_VERSION_FIELD_MASK;
	y = v & STLINK_VERSION_FIELD_MASK;
	ver->vid = stlink_get_u16(reply + 2);
	ver->pid = stlink_get_u16(reply + 4);
	/* Checked before anything is concluded from the other fields: a
	 * garbled reply must not pass for an unknown generation of probe. */
	if (!stlink_check_reply_vid(ver->vid, _("version"), error))
		return FALSE;

	if (ver->hw >= 3) {
		ver->api = 3;
		/* V3 reports its versions only through GET_VERSION_EX. */
		if (x == 0 && y == 0)
			return stlink_read_version_ex(self, error);
		ver->jtag = x;
		ver->msd = y;
		return TRUE;
	}
	ver->api = 2;
	if (ver->hw == 2 && stlink_pid_is_v2_1(ver->pid)) {
		if (stlink_v2_1_is_stm8_board(x, y)) {
			ver->msd = x;
			ver->swim = y;
		} else {
			ver->jtag = x;
			ver->msd = y;
		}
		return TRUE;
	}
	ver->jtag = x;
	ver->swim = y;
	return TRUE;
}

/* Refuses probes whose firmware cannot do what Glint needs. */
static gboolean
stlink_check_version(GlintStlink *self, GError **error)
{
	const GlintStlinkVersion *ver = &self->version;
	g_autofree gchar *found = glint_stlink_version_to_string(ver);

	if (ver->hw == 0) {
		g_set_error(
		    error, GLINT_ERROR, GLINT_ERROR_PROBE,
		    _("the ST-LINK's version reply makes no sense (generation 0): unplug and "
		      "replug the probe"));
		return FALSE;
	}
	if (ver->hw == 1) {
		g_set_error(
		    error, GLINT_ERROR, GLINT_ERROR_UNSUPPORTED,
		    _("ST-LINK/V1 probes (%s) are not supported: use an ST-LINK/V2, V2-1 or "
		      "V3"),
		    found);
		return FALSE;
	}
	if (ver->hw > 4) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_UNSUPPORTED,
			    _("unknown ST-LINK generation %u (%s): Glint knows V2, V2-1 and V3"),
			    ver->hw, found);
		return FALSE;
	}
	if (ver->hw == 2 && ver->jtag == 0 && ver->swim != 0) {
		g_set_error(
		    error, GLINT_ERROR, GLINT_ERROR_UNSUPPORTED,
		    _("this ST-LINK (%s) is an STM8-only board: its firmware has no SWD for "
		      "STM32 targets"),
		    found);
		return FALSE;
	}
	if (ver->hw == 2 && ver->jtag < STLINK_V2_MIN_JTAG) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_FIRMWARE_TOO_OLD,
			    _("ST-LINK firmware %s is too old: Glint needs V2J%u or "
			      "newer; %s"),
			    found, (guint)STLINK_V2_MIN_JTAG, _(STLINK_UPDATE_HINT));
		return FALSE;
	}
	return TRUE;
}

gboolean
glint_stlink_get_mode(GlintStlink *self, guint8 *mode, GError **error)
{
	guint8 cmd[GLINT_STLINK_CMD_SIZE];
	guint8 reply[STLINK_GET_CURRENT_MODE_LEN] = {0};

	g_return_val_if_fail(self != NULL, FALSE);
	g_return_val_if_fail(mode != NULL, FALSE);
	stlink_cmd_init(cmd, STLINK_GET_CURRENT_MODE, 0);
	if (!stlink_send(self, cmd, NULL, 0, reply, sizeof(reply), error))
		return FALSE;
	*mode = reply[0];
	return TRUE;
}

/* Sends the exit that matches the current mode so the probe is idle. */
static gboolean
stlink_leave_mode(GlintStlink *self, GError **error)
{
	guint8 cmd[GLINT_STLINK_CMD_SIZE];
	guint8 mode = 0;

	if (!glint_stlink_get_mode(self, &mode, error))
		return FALSE;
	switch (mode) {
	case STLINK_MODE_DFU:
		stlink_cmd_init(cmd, STLINK_DFU_COMMAND, STLINK_DFU_EXIT);
		break;
	case STLINK_MODE_DEBUG:
		stlink_cmd_init(cmd, STLINK_DEBUG_COMMAND, STLINK_DEBUG_EXIT);
		break;
	case STLINK_MODE_SWIM:
		stlink_cmd_init(cmd, STLINK_SWIM_COMMAND, STLINK_SWIM_EXIT);
		break;
	default:
		/* Mass storage and boot loader need no exit. */
		return TRUE;
	}
	g_debug("leaving probe mode %u", mode);
	return stlink_send(self, cmd, NULL, 0, NULL, 0, error);
}

gboolean
glint_stlink_open(GlintStlink *self, GError **error)
{
	g_autofree gchar *found = NULL;

	g_return_val_if_fail(self != NULL, FALSE);
	self->opened = FALSE;
	if (!stlink_read_version(self, error))
		return FALSE;
	if (!stlink_check_version(self, error))
		return FALSE;
	self->max_rw8 = stlink_has_feature(self, STLINK_FEATURE_RW8_512) ? STLINK_MAX_RW8_V3
									 : STLINK_MAX_RW8_FS;
	if (!stlink_leave_mode(self, error))
		return FALSE;
	self->opened = TRUE;
	found = glint_stlink_version_to_string(&self->version);
	g_debug("ST-LINK %s (%04x:%04x), API v%u", found, self->version.vid, self->version.pid,
		self->version.api);
	return TRUE;
}

/* ---- probe-level commands ------------------------------------------- */

gboolean
glint_stlink_get_target_voltage(GlintStlink *self, gdouble *volts, GError **error)
{
	guint8 cmd[GLINT_STLINK_CMD_SIZE];
	guint8 reply[STLINK_GET_TARGET_VOLTAGE_LEN] = {0};
	guint32 a0, a1;

	g_return_val_if_fail(self != NULL, FALSE);
	g_return_val_if_fail(volts != NULL, FALSE);
	if (!stlink_require_open(self, error))
		return FALSE;
	if (!stlink_require_feature(self, STLINK_FEATURE_TARGET_VOLTAGE, error))
		return FALSE;
	stlink_cmd_init(cmd, STLINK_GET_TARGET_VOLTAGE, 0);
	if (!stlink_send(self, cmd, NULL, 0, reply, sizeof(reply), error))
		return FALSE;
	a0 = stlink_get_u32(reply);
	a1 = stlink_get_u32(reply + 4);
	/* Without a reference reading there is nothing to scale against. */
	if (a0 == 0) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_PROBE,
			    _("target voltage not available: the ST-LINK returned no reference "
			      "reading (a0=%u, a1=%u)"),
			    a0, a1);
		return FALSE;
	}
	/* Both are 12-bit ADC samples, and no target runs above 5.5 V: anything
	 * else is a garbled reply, not a reading. */
	if (a0 > STLINK_ADC_MAX || a1 > STLINK_ADC_MAX ||
	    STLINK_VDD_DIVIDER * STLINK_VREF_VOLTS * a1 / a0 > STLINK_TARGET_MAX_VOLTS) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_PROBE,
			    _("the ST-LINK returned an implausible target voltage reading (a0=%u, "
			      "a1=%u); replug the probe"),
			    a0, a1);
		return FALSE;
	}
	*volts = STLINK_VDD_DIVIDER * STLINK_VREF_VOLTS * a1 / a0;
	return TRUE;
}

static gboolean
stlink_swd_freq_too_low(guint khz, guint slowest, GError **error)
{
	g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
		    _("SWD clock %u kHz is below the slowest this ST-LINK supports (%u kHz)"), khz,
		    slowest);
	return FALSE;
}

static gboolean
stlink_set_swd_freq_v2(GlintStlink *self, guint khz, guint *actual_khz, GError **error)
{
	guint8 cmd[GLINT_STLINK_CMD_SIZE];
	guint8 reply[STLINK_STATUS_LEN] = {0};
	guint i;

	if (!stlink_require_feature(self, STLINK_FEATURE_SWD_SET_FREQ, error))
		return FALSE;
	for (i = 0; i < G_N_ELEMENTS(stlink_swd_divisors); i++) {
		if (stlink_swd_divisors[i].khz <= khz)
			break;
	}
	if (i == G_N_ELEMENTS(stlink_swd_divisors))
		return stlink_swd_freq_too_low(khz, stlink_swd_divisors[i - 1].khz, error);
	stlink_cmd_init(cmd, STLINK_DEBUG_COMMAND, STLINK_DEBUG_APIV2_SWD_SET_FREQ);
	stlink_put_u16(cmd + 2, stlink_swd_divisors[i].divisor);
	if (!stlink_status_command(self, cmd, reply, sizeof(reply), 0, _("setting the SWD clock"),
				   error))
		return FALSE;
	if (actual_khz != NULL)
		*actual_khz = stlink_swd_divisors[i].khz;
	return TRUE;
}

/* Highest clock in the V3 list not above @khz, or 0; @slowest gets the
 * lowest listed. */
static guint
stlink_pick_v3_freq(const guint8 *reply, guint count, guint khz, guint *slowest)
{
	guint best = 0;

	*slowest = G_MAXUINT;
	for (guint i = 0; i < count; i++) {
		guint f = stlink_get_u32(reply + STLINK_COM_FREQ_LIST_OFFSET + 4 * i);
		if (f == 0)
			continue;
		*slowest = MIN(*slowest, f);
		if (f <= khz && f > best)
			best = f;
	}
	return best;
}

static gboolean
stlink_set_swd_freq_v3(GlintStlink *self, guint khz, guint *actual_khz, GError **error)
{
	guint8 cmd[GLINT_STLINK_CMD_SIZE];
	guint8 list[STLINK_GET_COM_FREQ_LEN] = {0};
	guint8 reply[STLINK_STATUS_U32_LEN] = {0};
	guint count, best, slowest;

	stlink_cmd_init(cmd, STLINK_DEBUG_COMMAND, STLINK_DEBUG_APIV3_GET_COM_FREQ);
	cmd[2] = STLINK_COM_SWD;
	if (!stlink_status_command(self, cmd, list, sizeof(list), 0,
				   _("reading the supported SWD clocks"), error))
		return FALSE;
	count = list[STLINK_COM_FREQ_COUNT_OFFSET];
	if (count > STLINK_COM_FREQ_MAX_COUNT) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_PROBE,
			    _("the ST-LINK/V3 listed %u SWD clocks (at most %u make sense): unplug "
			      "and replug the probe"),
			    count, (guint)STLINK_COM_FREQ_MAX_COUNT);
		return FALSE;
	}
	best = stlink_pick_v3_freq(list, count, khz, &slowest);
	if (slowest == G_MAXUINT) {
		g_set_error_literal(error, GLINT_ERROR, GLINT_ERROR_PROBE,
				    _("the ST-LINK/V3 listed no SWD clocks: unplug and replug the "
				      "probe"));
		return FALSE;
	}
	if (best == 0)
		return stlink_swd_freq_too_low(khz, slowest, error);

	stlink_cmd_init(cmd, STLINK_DEBUG_COMMAND, STLINK_DEBUG_APIV3_SET_COM_FREQ);
	cmd[2] = STLINK_COM_SWD;
	stlink_put_u32(cmd + 4, best);
	if (!stlink_status_command(self, cmd, reply, sizeof(reply), 0, _("setting the SWD clock"),
				   error))
		return FALSE;
	if (actual_khz != NULL)
		*actual_khz = stlink_get_u32(reply + 4);
	return TRUE;
}

gboolean
glint_stlink_set_swd_freq(GlintStlink *self, guint khz, guint *actual_khz, GError **error)
{
	g_return_val_if_fail(self != NULL, FALSE);
	if (!stlink_require_open(self, error))
		return FALSE;
	if (khz == 0) {
		g_set_error_literal(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
				    _("an SWD clock of 0 kHz cannot be set"));
		return FALSE;
	}
	if (self->version.hw >= 3)
		return stlink_set_swd_freq_v3(self, khz, actual_khz, error);
	return stlink_set_swd_freq_v2(self, khz, actual_khz, error);
}

gboolean
glint_stlink_enter_swd(GlintStlink *self, GError **error)
{
	guint8 cmd[GLINT_STLINK_CMD_SIZE];
	guint8 reply[STLINK_STATUS_LEN] = {0};

	g_return_val_if_fail(self != NULL, FALSE);
	if (!stlink_require_open(self, error))
		return FALSE;
	stlink_cmd_init(cmd, STLINK_DEBUG_COMMAND, STLINK_DEBUG_APIV2_ENTER);
	cmd[2] = STLINK_DEBUG_ENTER_SWD;
	return stlink_status_command(self, cmd, reply, sizeof(reply), 0, _("entering SWD mode"),
				     error);
}

gboolean
glint_stlink_exit_debug(GlintStlink *self, GError **error)
{
	guint8 cmd[GLINT_STLINK_CMD_SIZE];

	g_return_val_if_fail(self != NULL, FALSE);
	if (!stlink_require_open(self, error))
		return FALSE;
	/* No reply: the probe just drops back to idle. */
	stlink_cmd_init(cmd, STLINK_DEBUG_COMMAND, STLINK_DEBUG_EXIT);
	return stlink_send(self, cmd, NULL, 0, NULL, 0, error);
}

gboolean
glint_stlink_read_idcode(GlintStlink *self, guint32 *idcode, GError **error)
{
	guint8 cmd[GLINT_STLINK_CMD_SIZE];
	guint8 reply[STLINK_READ_IDCODES_LEN] = {0};

	g_return_val_if_fail(self != NULL, FALSE);
	g_return_val_if_fail(idcode != NULL, FALSE);
	if (!stlink_require_open(self, error))
		return FALSE;
	stlink_cmd_init(cmd, STLINK_DEBUG_COMMAND, STLINK_DEBUG_APIV2_READ_IDCODES);
	if (!stlink_status_command(self, cmd, reply, sizeof(reply), 0,
				   _("reading the debug port IDCODE"), error))
		return FALSE;
	*idcode = stlink_get_u32(reply + 4);
	return TRUE;
}

gboolean
glint_stlink_drive_nrst(GlintStlink *self, guint8 level, GError **error)
{
	guint8 cmd[GLINT_STLINK_CMD_SIZE];
	guint8 reply[STLINK_STATUS_LEN] = {0};

	g_return_val_if_fail(self != NULL, FALSE);
	if (!stlink_require_open(self, error))
		return FALSE;
	if (level > STLINK_NRST_PULSE) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("NRST level %u is not low (0), high (1) or pulse (2)"), level);
		return FALSE;
	}
	stlink_cmd_init(cmd, STLINK_DEBUG_COMMAND, STLINK_DEBUG_APIV2_DRIVE_NRST);
	cmd[2] = level;
	return stlink_status_command(self, cmd, reply, sizeof(reply), 0, _("driving NRST"), error);
}

gboolean
glint_stlink_reset_sys(GlintStlink *self, GError **error)
{
	guint8 cmd[GLINT_STLINK_CMD_SIZE];
	guint8 reply[STLINK_STATUS_LEN] = {0};

	g_return_val_if_fail(self != NULL, FALSE);
	if (!stlink_require_open(self, error))
		return FALSE;
	stlink_cmd_init(cmd, STLINK_DEBUG_COMMAND, STLINK_DEBUG_APIV2_RESETSYS);
	return stlink_status_command(self, cmd, reply, sizeof(reply), 0,
				     _("resetting the target (RESETSYS)"), error);
}

/* ---- single words and core registers -------------------------------- */

static gboolean
stlink_check_word_aligned(guint32 addr, GError **error)
{
	if ((addr & 3) == 0)
		return TRUE;
	g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
		    _("a 32-bit access needs a word-aligned address, 0x%08x is not"), addr);
	return FALSE;
}

gboolean
glint_stlink_read32(GlintStlink *self, guint32 addr, guint32 *value, GError **error)
{
	guint8 cmd[GLINT_STLINK_CMD_SIZE];
	guint8 reply[STLINK_STATUS_U32_LEN] = {0};
	g_autofree gchar *what = NULL;

	g_return_val_if_fail(self != NULL, FALSE);
	g_return_val_if_fail(value != NULL, FALSE);
	if (!stlink_require_open(self, error))
		return FALSE;
	if (!stlink_check_word_aligned(addr, error))
		return FALSE;
	stlink_cmd_init(cmd, STLINK_DEBUG_COMMAND, STLINK_DEBUG_APIV2_READDEBUGREG);
	stlink_put_u32(cmd + 2, addr);
	what = g_strdup_printf(_("reading the word at 0x%08x"), addr);
	if (!stlink_status_command(self, cmd, reply, sizeof(reply), addr, what, error))
		return FALSE;
	*value = stlink_get_u32(reply + 4);
	return TRUE;
}

gboolean
glint_stlink_write32(GlintStlink *self, guint32 addr, guint32 value, GError **error)
{
	guint8 cmd[GLINT_STLINK_CMD_SIZE];
	guint8 reply[STLINK_STATUS_LEN] = {0};
	g_autofree gchar *what = NULL;

	g_return_val_if_fail(self != NULL, FALSE);
	if (!stlink_require_open(self, error))
		return FALSE;
	if (!stlink_check_word_aligned(addr, error))
		return FALSE;
	stlink_cmd_init(cmd, STLINK_DEBUG_COMMAND, STLINK_DEBUG_APIV2_WRITEDEBUGREG);
	stlink_put_u32(cmd + 2, addr);
	stlink_put_u32(cmd + 6, value);
	what = g_strdup_printf(_("writing 0x%08x to 0x%08x"), value, addr);
	return stlink_status_command(self, cmd, reply, sizeof(reply), addr, what, error);
}

/* READREG indices the firmware knows (reference 2.6). */
static gboolean
stlink_check_reg_index(guint index, GError **error)
{
	if (index <= STLINK_REG_RW2 || index == STLINK_REG_FPSCR ||
	    (index >= STLINK_REG_S0 && index <= STLINK_REG_S31))
		return TRUE;
	g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
		    _("core register index %u does not exist (0-20, 0x21 FPSCR, 0x40-0x5F S0-S31)"),
		    index);
	return FALSE;
}

gboolean
glint_stlink_read_reg(GlintStlink *self, guint index, guint32 *value, GError **error)
{
	guint8 cmd[GLINT_STLINK_CMD_SIZE];
	guint8 reply[STLINK_STATUS_U32_LEN] = {0};
	g_autofree gchar *what = NULL;

	g_return_val_if_fail(self != NULL, FALSE);
	g_return_val_if_fail(value != NULL, FALSE);
	if (!stlink_require_open(self, error))
		return FALSE;
	if (!stlink_check_reg_index(index, error))
		return FALSE;
	stlink_cmd_init(cmd, STLINK_DEBUG_COMMAND, STLINK_DEBUG_APIV2_READREG);
	cmd[2] = (guint8)index;
	what = g_strdup_printf(_("reading core register %u"), index);
	if (!stlink_status_command(self, cmd, reply, sizeof(reply), 0, what, error))
		return FALSE;
	*value = stlink_get_u32(reply + 4);
	return TRUE;
}

gboolean
glint_stlink_write_reg(GlintStlink *self, guint index, guint32 value, GError **error)
{
	guint8 cmd[GLINT_STLINK_CMD_SIZE];
	guint8 reply[STLINK_STATUS_LEN] = {0};
	g_autofree gchar *what = NULL;

	g_return_val_if_fail(self != NULL, FALSE);
	if (!stlink_require_open(self, error))
		return FALSE;
	if (!stlink_check_reg_index(index, error))
		return FALSE;
	stlink_cmd_init(cmd, STLINK_DEBUG_COMMAND, STLINK_DEBUG_APIV2_WRITEREG);
	cmd[2] = (guint8)index;
	stlink_put_u32(cmd + 3, value);
	what = g_strdup_printf(_("writing core register %u"), index);
	return stlink_status_command(self, cmd, reply, sizeof(reply), 0, what, error);
}

/* ---- memory transfers ----------------------------------------------- */

/* Reads the outcome of the memory command just sent into last_status and
 * last_fault_addr. Firmware before V2J15 only has the 2-byte form. */
static gboolean
stlink_read_rw_status(GlintStlink *self, GError **error)
{
	guint8 cmd[GLINT_STLINK_CMD_SIZE];
	guint8 reply[STLINK_GETLASTRWSTATUS2_LEN] = {0};

	if (stlink_has_feature(self, STLINK_FEATURE_RW_STATUS2)) {
		stlink_cmd_init(cmd, STLINK_DEBUG_COMMAND, STLINK_DEBUG_APIV2_GETLASTRWSTATUS2);
		if (!stlink_send(self, cmd, NULL, 0, reply, STLINK_GETLASTRWSTATUS2_LEN, error))
			return FALSE;
		self->last_fault_addr = stlink_get_u32(reply + 4);
	} else {
		stlink_cmd_init(cmd, STLINK_DEBUG_COMMAND, STLINK_DEBUG_APIV2_GETLASTRWSTATUS);
		if (!stlink_send(self, cmd, NULL, 0, reply, STLINK_STATUS_LEN, error))
			return FALSE;
	}
	self->last_status = reply[0];
	return TRUE;
}

/* One memory command (sub-command @sub) of @len bytes followed by its
 * status read. Exactly one of @in / @out is set. */
static gboolean
stlink_mem_command(GlintStlink *self, guint8 sub, guint32 addr, guint8 *in, const guint8 *out,
		   gsize len, GError **error)
{
	guint8 cmd[GLINT_STLINK_CMD_SIZE];

	stlink_cmd_init(cmd, STLINK_DEBUG_COMMAND, sub);
	stlink_put_u32(cmd + 2, addr);
	stlink_put_u16(cmd + 6, (guint16)len);
	if (in != NULL && len == 1) {
		guint8 two[STLINK_READ8_ONE_BYTE_REPLY] = {0};
		if (!stlink_send(self, cmd, NULL, 0, two, sizeof(two), error))
			return FALSE;
		in[0] = two[0];
	} else if (in != NULL) {
		if (!stlink_send(self, cmd, NULL, 0, in, len, error))
			return FALSE;
	} else {
		if (!stlink_send(self, cmd, out, len, NULL, 0, error))
			return FALSE;
	}
	return stlink_read_rw_status(self, error);
}

/* A memory command with WAIT retried and the status turned into a GError. */
static gboolean
stlink_mem_transfer(GlintStlink *self, guint8 sub, guint32 addr, guint8 *in, const guint8 *out,
		    gsize len, GError **error)
{
	g_autofree gchar *what = NULL;
	guint32 fault;

	for (guint attempt = 0;; attempt++) {
		if (!stlink_mem_command(self, sub, addr, in, out, len, error))
			return FALSE;
		if (stlink_status_is_wait(self->last_status) && attempt < STLINK_WAIT_RETRIES) {
			stlink_wait_backoff(self, attempt);
			continue;
		}
		break;
	}
	if (self->last_status == STLINK_DEBUG_ERR_OK)
		return TRUE;
	/* Without GETLASTRWSTATUS2 the transfer start is the best we know. */
	fault = stlink_has_feature(self, STLINK_FEATURE_RW_STATUS2) ? self->last_fault_addr : addr;
	what = g_strdup_printf(in != NULL ? _("reading %zu bytes at 0x%08x")
					  : _("writing %zu bytes at 0x%08x"),
			       len, addr);
	return stlink_status_error(self, self->last_status, fault, what, error);
}

static gboolean
stlink_check_range(guint32 addr, gsize len, GError **error)
{
	if ((guint64)len <= (guint64)G_MAXUINT32 + 1 - addr)
		return TRUE;
	g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
		    _("%zu bytes at 0x%08x run past the end of the 32-bit "
		      "address space"),
		    len, addr);
	return FALSE;
}

/* 8-bit transfers of at most the probe's 8-bit limit. Offsets rather than
 * moving pointers: one of @in / @out is NULL. */
static gboolean
stlink_mem8(GlintStlink *self, guint32 addr, guint8 *in, const guint8 *out, gsize len,
	    GError **error)
{
	guint8 sub = in != NULL ? STLINK_DEBUG_READMEM_8BIT : STLINK_DEBUG_WRITEMEM_8BIT;

	for (gsize done = 0; done < len;) {
		gsize n = MIN(len - done, self->max_rw8);
		if (!stlink_mem_transfer(self, sub, addr + (guint32)done,
					 in != NULL ? in + done : NULL,
					 out != NULL ? out + done : NULL, n, error))
			return FALSE;
		done += n;
	}
	return TRUE;
}

/* Largest 32-bit transfer at @addr (word aligned): capped by the probe's
 * buffer and by the TAR auto-increment block, a whole number of words. */
static gsize
stlink_mem32_chunk(GlintStlink *self, guint32 addr, gsize len)
{
	gsize block = self->tar_block ? self->tar_block : STLINK_TAR_AUTOINC_SIZE;
	gsize to_wrap = block - (addr % block);
	gsize n = MIN(len, MIN(to_wrap, (gsize)STLINK_MAX_RW32));
	return n & ~(gsize)3;
}

/* Any address, length and alignment: 8-bit head up to the first word,
 * 32-bit body, 8-bit tail. */
static gboolean
stlink_mem(GlintStlink *self, guint32 addr, guint8 *in, const guint8 *out, gsize len,
	   GError **error)
{
	guint8 sub = in != NULL ? STLINK_DEBUG_READMEM_32BIT : STLINK_DEBUG_WRITEMEM_32BIT;
	gsize head = MIN(len, (gsize)((4 - (addr & 3)) & 3));
	gsize done = head;

	if (!stlink_require_open(self, error))
		return FALSE;
	if (!stlink_check_range(addr, len, error))
		return FALSE;
	if (head > 0 && !stlink_mem8(self, addr, in, out, head, error))
		return FALSE;
	while (len - done >= 4) {
		gsize n = stlink_mem32_chunk(self, addr + (guint32)done, len - done);
		if (!stlink_mem_transfer(self, sub, addr + (guint32)done,
					 in != NULL ? in + done : NULL,
					 out != NULL ? out + done : NULL, n, error))
			return FALSE;
		done += n;
	}
	if (done < len) {
		if (!stlink_mem8(self, addr + (guint32)done, in != NULL ? in + done : NULL,
				 out != NULL ? out + done : NULL, len - done, error))
			return FALSE;
	}
	return TRUE;
}

gboolean
glint_stlink_read_mem(GlintStlink *self, guint32 addr, guint8 *buf, gsize len, GError **error)
{
	g_return_val_if_fail(self != NULL, FALSE);
	g_return_val_if_fail(buf != NULL || len == 0, FALSE);
	if (len == 0)
		return TRUE;
	return stlink_mem(self, addr, buf, NULL, len, error);
}

gboolean
glint_stlink_write_mem(GlintStlink *self, guint32 addr, const guint8 *buf, gsize len,
		       GError **error)
{
	g_return_val_if_fail(self != NULL, FALSE);
	g_return_val_if_fail(buf != NULL || len == 0, FALSE);
	if (len == 0)
		return TRUE;
	return stlink_mem(self, addr, NULL, buf, len, error);
}

gboolean
glint_stlink_read_mem8(GlintStlink *self, guint32 addr, guint8 *buf, gsize len, GError **error)
{
	g_return_val_if_fail(self != NULL, FALSE);
	g_return_val_if_fail(buf != NULL || len == 0, FALSE);
	if (len == 0)
		return TRUE;
	if (!stlink_require_open(self, error))
		return FALSE;
	if (!stlink_check_range(addr, len, error))
		return FALSE;
	return stlink_mem8(self, addr, buf, NULL, len, error);
}

gboolean
glint_stlink_write_mem8(GlintStlink *self, guint32 addr, const guint8 *buf, gsize len,
			GError **error)
{
	g_return_val_if_fail(self != NULL, FALSE);
	g_return_val_if_fail(buf != NULL || len == 0, FALSE);
	if (len == 0)
		return TRUE;
	if (!stlink_require_open(self, error))
		return FALSE;
	if (!stlink_check_range(addr, len, error))
		return FALSE;
	return stlink_mem8(self, addr, NULL, buf, len, error);
}

/* Half-word transfers of at most the probe's buffer, none crossing the TAR
 * auto-increment block. One of @in / @out is NULL. */
static gboolean
stlink_mem16(GlintStlink *self, guint32 addr, guint8 *in, const guint8 *out, gsize len,
	     GError **error)
{
	guint8 sub =
	    in != NULL ? STLINK_DEBUG_APIV2_READMEM_16BIT : STLINK_DEBUG_APIV2_WRITEMEM_16BIT;
	gsize block = self->tar_block ? self->tar_block : STLINK_TAR_AUTOINC_SIZE;

	if (!stlink_require_open(self, error))
		return FALSE;
	if ((addr & 1) != 0 || (len & 1) != 0) {
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("a 16-bit transfer needs an even address and length, not %"
			      "zu"
			      " bytes at 0x%08x"),
			    len, addr);
		return FALSE;
	}
	if (!stlink_check_range(addr, len, error))
		return FALSE;
	if (!stlink_require_feature(self, STLINK_FEATURE_MEM16, error))
		return FALSE;
	for (gsize done = 0; done < len;) {
		guint32 at = addr + (guint32)done;
		gsize n = MIN(len - done, MIN(block - (at % block), (gsize)STLINK_MAX_RW32));
		if (!stlink_mem_transfer(self, sub, at, in != NULL ? in + done : NULL,
					 out != NULL ? out + done : NULL, n, error))
			return FALSE;
		done += n;
	}
	return TRUE;
}

gboolean
glint_stlink_has_mem16(GlintStlink *self)
{
	g_return_val_if_fail(self != NULL, FALSE);
	return stlink_has_feature(self, STLINK_FEATURE_MEM16);
}

gboolean
glint_stlink_read_mem16(GlintStlink *self, guint32 addr, guint8 *buf, gsize len, GError **error)
{
	g_return_val_if_fail(self != NULL, FALSE);
	g_return_val_if_fail(buf != NULL || len == 0, FALSE);
	if (len == 0)
		return TRUE;
	return stlink_mem16(self, addr, buf, NULL, len, error);
}

gboolean
glint_stlink_write_mem16(GlintStlink *self, guint32 addr, const guint8 *buf, gsize len,
			 GError **error)
{
	g_return_val_if_fail(self != NULL, FALSE);
	g_return_val_if_fail(buf != NULL || len == 0, FALSE);
	if (len == 0)
		return TRUE;
	return stlink_mem16(self, addr, NULL, buf, len, error);
}

gboolean
glint_stlink_write_mem32_raw(GlintStlink *self, guint32 addr, const guint8 *buf, gsize len,
			     GError **error)
{
	g_return_val_if_fail(self != NULL, FALSE);
	g_return_val_if_fail(buf != NULL, FALSE);
	if (!stlink_require_open(self, error))
		return FALSE;
	if ((addr & 3) != 0 || (len & 3) != 0 || len == 0 || len > STLINK_MAX_RW32_RAW) {
		g_set_error(
		    error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
		    _("a raw 32-bit write needs a word-aligned address and 4 to %u bytes in "
		      "whole words, not %zu bytes at 0x%08x"),
		    (guint)STLINK_MAX_RW32_RAW, len, addr);
		return FALSE;
	}
	if (!stlink_check_range(addr, len, error))
		return FALSE;
	return stlink_mem_transfer(self, STLINK_DEBUG_WRITEMEM_32BIT, addr, NULL, buf, len, error);
}

void
glint_stlink_set_tar_block(GlintStlink *self, guint bytes)
{
	g_return_if_fail(bytes >= 4 && (bytes & (bytes - 1)) == 0);
	self->tar_block = bytes;
}

/* ---- SWO trace capture (reference 2.6: 0x40-0x42) ------------------- */

guint32
glint_stlink_swo_max_hz(GlintStlink *self)
{
	g_return_val_if_fail(self != NULL, 0);
	return self->version.hw >= 3 ? STLINK_V3_SWO_MAX_HZ : STLINK_V2_SWO_MAX_HZ;
}

gboolean
glint_stlink_trace_start(GlintStlink *self, guint buffer_size, guint32 baud, GError **error)
{
	guint8 cmd[GLINT_STLINK_CMD_SIZE];
	guint8 reply[STLINK_STATUS_LEN] = {0};
	g_autofree gchar *what = NULL;

	g_return_val_if_fail(self != NULL, FALSE);
	if (!stlink_require_open(self, error) ||
	    !stlink_require_feature(self, STLINK_FEATURE_TRACE, error))
		return FALSE;
	if (buffer_size == 0 || buffer_size > G_MAXUINT16 || baud == 0 ||
	    baud > glint_stlink_swo_max_hz(self)) {
		g_autofree gchar *found = glint_stlink_version_to_string(&self->version);
		g_set_error(error, GLINT_ERROR, GLINT_ERROR_INVALID_ARGUMENT,
			    _("SWO at %u baud into a %u-byte buffer: this ST-LINK (%s) receives 1 "
			      "to %u baud into at most 65535 bytes"),
			    baud, buffer_size, found, glint_stlink_swo_max_hz(self));
		return FALSE;
	}
	stlink_cmd_init(cmd, STLINK_DEBUG_COMMAND, STLINK_DEBUG_APIV2_START_TRACE_RX);
	cmd[2] = (guint8)buffer_size;
	cmd[3] = (guint8)(buffer_size >> 8);
	stlink_put_u32(cmd + 4, baud);
	what = g_strdup_printf(_("starting SWO capture at %u baud"), baud);
	return stlink_status_command(self, cmd, reply, sizeof(reply), 0, what, error);
}

gboolean
glint_stlink_trace_stop(GlintStlink *self, GError **error)
{
	guint8 cmd[GLINT_STLINK_CMD_SIZE];
	guint8 reply[STLINK_STATUS_LEN] = {0};

	g_return_val_if_fail(self != NULL, FALSE);
	if (!stlink_require_open(self, error) ||
	    !stlink_require_feature(self, STLINK_FEATURE_TRACE, error))
		return FALSE;
	stlink_cmd_init(cmd, STLINK_DEBUG_COMMAND, STLINK_DEBUG_APIV2_STOP_TRACE_RX);
	return stlink_status_command(self, cmd, reply, sizeof(reply), 0, _("stopping SWO capture"),
				     error);
}

gboolean
glint_stlink_trace_read(GlintStlink *self, guint8 *buf, gsize max, gsize *got, GError **error)
{
	guint8 cmd[GLINT_STLINK_CMD_SIZE];
	guint8 reply[2] = {0};
	gsize want, done = 0;

	g_return_val_if_fail(self != NULL, FALSE);
	g_return_val_if_fail(got != NULL, FALSE);
	*got = 0;
	if (!stlink_require_open(self, error) ||
	    !stlink_require_feature(self, STLINK_FEATURE_TRACE, error))
		return FALSE;
	/* no status: the number of bytes the trace endpoint now gives */
	stlink_cmd_init(cmd, STLINK_DEBUG_COMMAND, STLINK_DEBUG_APIV2_GET_TRACE_NB);
	if (!stlink_send(self, cmd, NULL, 0, reply, sizeof(reply), error))
		return FALSE;
	want = MIN(max, (gsize)(reply[0] | reply[1] << 8));
	while (done < want) {
		gsize n = 0;
		if (!glint_transport_read_trace(self->transport, buf + done, want - done, &n, 0,
						error))
			return FALSE;
		if (n == 0)
			break;
		done += n;
	}
	*got = done;
	return TRUE;
}
