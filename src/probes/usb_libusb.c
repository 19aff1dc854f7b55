/* USB devices seen through libusb, on every OS: vendor and product ids tell
 * which key is plugged in even when no driver or middleware claims it, and
 * the interface class tells a CCID key (0b) from an HID one (03).
 *
 * Portable: no OS calls here, libusb hides them. */
#include <libusb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/probe.h"
#include "../core/util.h"

#define MAX_PORTS 8 /* USB allows 7 tiers below the root */

/* Appends code point c to out as UTF-8; returns the bytes written. */
static size_t put_utf8(unsigned long c, char *out)
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xC0 | (c >> 6));
		out[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (char)(0xE0 | (c >> 12));
		out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		out[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (c >> 18));
	out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
	out[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

/* String descriptor idx as UTF-8 (NULL if none or unreadable). Read raw
 * rather than with libusb_get_string_descriptor_ascii, which turns every
 * Chinese character of a vendor's name into '?'. */
static char *usb_string(libusb_device_handle *h, uint16_t langid, uint8_t idx)
{
	unsigned char buf[256];
	char *out, *o;
	int n, i;

	if (!idx)
		return NULL;
	n = libusb_get_string_descriptor(h, idx, langid, buf, sizeof(buf));
	/* bLength, bDescriptorType (3), then UTF-16LE code units */
	if (n < 2 || buf[1] != LIBUSB_DT_STRING)
		return NULL;
	if (buf[0] < n)
		n = buf[0];
	out = o = malloc((size_t)n * 2 + 1); /* each 2-byte unit gives at most 3 bytes */
	if (!out)
		return NULL;
	for (i = 2; i + 1 < n; i += 2) {
		unsigned long c = buf[i] | (unsigned long)buf[i + 1] << 8;
		if (c >= 0xD800 && c < 0xDC00 && i + 3 < n) {
			unsigned long lo = buf[i + 2] | (unsigned long)buf[i + 3] << 8;
			if (lo >= 0xDC00 && lo < 0xE000) {
				c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
				i += 2;
			}
		}
		if (c >= 0xD800 && c < 0xE000)
			c = 0xFFFD; /* a lone surrogate */
		if (c == 0)
			break;
		o += put_utf8(c, o);
	}
	*o = '\0';
	o = cd_trim(out);
	memmove(out, o, strlen(o) + 1);
	if (!*out) {
		free(out);
		return NULL;
	}
	return out;
}

/* Class of the device, or of its first interface when the device leaves
 * the class to its interfaces (bDeviceClass 0), as two hex digits. */
static void device_class(libusb_device *dev, const struct libusb_device_descriptor *dd, char out[3])
{
	struct libusb_config_descriptor *cfg = NULL;
	unsigned cls = dd->bDeviceClass;

	if (cls == LIBUSB_CLASS_PER_INTERFACE &&
	    (libusb_get_active_config_descriptor(dev, &cfg) == 0 ||
	     libusb_get_config_descriptor(dev, 0, &cfg) == 0)) {
		if (cfg->bNumInterfaces && cfg->interface[0].num_altsetting)
			cls = cfg->interface[0].altsetting[0].bInterfaceClass;
		libusb_free_config_descriptor(cfg);
	}
	snprintf(out, 3, "%02x", cls & 0xFF);
}

static void device_row(struct cd_probe_ctx *ctx, libusb_device *dev)
{
	struct libusb_device_descriptor dd;
	libusb_device_handle *h = NULL;
	struct cd_row r;
	uint8_t ports[MAX_PORTS];
	char vid[5], pid[5], cls[3], port_path[MAX_PORTS * 4 + 1] = "", target[32];
	char *manufacturer = NULL, *product = NULL, *serial = NULL;
	int nports, i, rc;

	snprintf(target, sizeof(target), "usb %u/%u", libusb_get_bus_number(dev),
		 libusb_get_device_address(dev));
	if ((rc = libusb_get_device_descriptor(dev, &dd)) != 0) {
		cd_probe_error(ctx, target, CD_ERR_IO, "cannot read the device descriptor: %s",
			       libusb_error_name(rc));
		return;
	}
	snprintf(vid, sizeof(vid), "%04x", dd.idVendor);
	snprintf(pid, sizeof(pid), "%04x", dd.idProduct);
	device_class(dev, &dd, cls);
	nports = libusb_get_port_numbers(dev, ports, MAX_PORTS);
	for (i = 0; i < nports; i++)
		snprintf(port_path + strlen(port_path), sizeof(port_path) - strlen(port_path),
			 "%s%u", i ? "." : "", ports[i]);
	/* Opening needs permission (root, a udev rule, WinUSB on Windows); without
	 * it the strings stay unknown, which is normal and not an error. */
	if (libusb_open(dev, &h) == 0) {
		unsigned char langs[4];
		uint16_t langid = 0x0409;
		if (libusb_get_string_descriptor(h, 0, 0, langs, sizeof(langs)) >= 4)
			langid = (uint16_t)(langs[2] | langs[3] << 8);
		manufacturer = usb_string(h, langid, dd.iManufacturer);
		product = usb_string(h, langid, dd.iProduct);
		serial = usb_string(h, langid, dd.iSerialNumber);
		libusb_close(h);
	}

	cd_row_init(&r, "usb_devices");
	cd_row_text(&r, "source", "libusb");
	cd_row_text(&r, "vid", vid);
	cd_row_text(&r, "pid", pid);
	cd_row_int(&r, "bus", libusb_get_bus_number(dev));
	cd_row_int(&r, "address", libusb_get_device_address(dev));
	cd_row_text(&r, "port_path", port_path[0] ? port_path : NULL);
	cd_row_text(&r, "device_class", cls);
	cd_row_text(&r, "manufacturer", manufacturer);
	cd_row_text(&r, "product", product);
	cd_row_text(&r, "serial", serial);
	cd_row_int(&r, "present", 1);
	cd_row_text(&r, "status", "ok");
	if (cd_row_insert(ctx->facts, &r))
		cd_probe_error(ctx, target, CD_ERR_SQL, "cannot store the device row");
	free(manufacturer);
	free(product);
	free(serial);
}

static cd_err collect_libusb(struct cd_probe_ctx *ctx)
{
	libusb_context *usb = NULL;
	libusb_device **list = NULL;
	ssize_t n, i;
	int rc;

	/* The devices plugged into this machine say nothing about a system
	 * mounted with --root. */
	if (!cd_probe_is_live(ctx))
		return CD_ERR_UNSUPPORTED;
	if ((rc = libusb_init(&usb)) != 0) {
		/* E.g. a container without usbfs: USB cannot be seen from here. */
		cd_probe_error(ctx, "libusb", CD_ERR_UNSUPPORTED, "libusb_init failed: %s",
			       libusb_error_name(rc));
		return CD_OK;
	}
	n = libusb_get_device_list(usb, &list);
	if (n < 0) {
		cd_probe_error(ctx, "libusb", CD_ERR_IO, "cannot list USB devices: %s",
			       libusb_error_name((int)n));
		goto out;
	}
	/* No devices at all is a valid answer: no rows. */
	for (i = 0; i < n; i++)
		device_row(ctx, list[i]);
	libusb_free_device_list(list, 1);
out:
	libusb_exit(usb);
	return CD_OK;
}

const struct cd_probe cd_probe_usb_libusb = {
	"usb.libusb",
	"usb_devices",
	collect_libusb,
};
