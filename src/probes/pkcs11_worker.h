/* The isolated PKCS#11 reader. Vendor modules crash, hang and print, so they
 * are never loaded into the scanning process: the probe pkcs11.tokens runs
 * `cadoctor __pkcs11-worker MODULE` (a hidden command, cmd_worker.c) once per
 * module with a time limit, and the worker writes what it read to its standard
 * output in the line format below. Nothing needs a PIN: the worker opens
 * read-only sessions without logging in and reads only public objects.
 *
 * Format (version 1): UTF-8 lines; fields separated by a tab; the first field
 * is the record type, the others are key=value. In values, '%', tab, CR, LF
 * and other control bytes are written as %XX (hex); binary values (object
 * ids, certificate DER) are plain hex. Records, in the order written:
 *
 *   cadoctor-pkcs11 1                           header
 *   call  fn=C_GetSlotList [slot=N]              about to call fn: if the worker
 *                                                dies now, fn is where it died
 *   error step=FN [slot=N] rv=0xNN name=CKR_..   a call failed (or message=...)
 *   fatal step=FN rv=.. name=.. | message=..     loading or initialising failed:
 *                                                nothing else can be read
 *   module cryptoki=2.40 manufacturer=.. description=.. library=1.2
 *   slots announced=N returned=N                 C_GetSlotList(FALSE) counts
 *                                                when the module returned more
 *                                                slots than it announced
 *   slot id=N description=.. manufacturer=.. flags=N present=0|1
 *   token slot=N label=.. manufacturer=.. model=.. serial=.. flags=N
 *   cert slot=N label=.. id=HEX value=HEX [key=1]
 *                                                key=1: a private key with the
 *                                                same CKA_ID is visible without login
 *   end                                          finished normally
 */
#ifndef CD_PKCS11_WORKER_H
#define CD_PKCS11_WORKER_H

#include <stddef.h>
#include <stdio.h>

#define CD_P11_PROTO_HEADER "cadoctor-pkcs11 1"

/* Limits the worker keeps to, whatever a module reports. */
#define CD_P11_MAX_SLOTS 256
#define CD_P11_MAX_CERTS 512       /* certificate objects per token */
#define CD_P11_MAX_VALUE (1 << 20) /* bytes of one attribute value */

/* Reads the module at path and writes the records to out. Returns the
 * worker's exit status: 0 when it wrote "end", 2 on a usage problem. */
int cd_pkcs11_worker(const char *module_path, FILE *out);

/* Name of a PKCS#11 return value ("CKR_PIN_LOCKED"), or NULL if unknown. */
const char *cd_ckr_name(unsigned long rv);

/* Decodes a %XX-escaped value in place. */
void cd_p11_unescape(char *s);

#endif
