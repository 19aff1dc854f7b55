/* Test helper for the Wine machines: adds a DER certificate to the current
 * user's "MY" store of the prefix, optionally with key provider info (a CSP
 * name and key container, as a token's CSP registers its certificates).
 * With --serialize it writes the certificate (and key provider info) as a
 * serialized store element to OUT instead, as Windows keeps it in the file
 * %APPDATA%\Microsoft\SystemCertificates\My\Certificates\<SHA1>.
 * usage: certimport.exe CERT.der [PROVIDER CONTAINER]
 *        certimport.exe --serialize OUT CERT.der [PROVIDER CONTAINER]
 * Built by a machine's setup.sh with x86_64-w64-mingw32-gcc ... -lcrypt32. */
#include <windows.h>
#include <wincrypt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static wchar_t *wide(const char *s)
{
	int n = MultiByteToWideChar(CP_UTF8, 0, s, -1, NULL, 0);
	wchar_t *w = n > 0 ? malloc((size_t)n * sizeof(wchar_t)) : NULL;
	if (w)
		MultiByteToWideChar(CP_UTF8, 0, s, -1, w, n);
	return w;
}

static int set_prov_info(PCCERT_CONTEXT cert, const char *provider, const char *container)
{
	CRYPT_KEY_PROV_INFO info;
	memset(&info, 0, sizeof(info));
	info.pwszProvName = wide(provider);
	info.pwszContainerName = wide(container);
	info.dwProvType = PROV_RSA_FULL;
	info.dwKeySpec = AT_KEYEXCHANGE;
	if (!CertSetCertificateContextProperty(cert, CERT_KEY_PROV_INFO_PROP_ID, 0, &info)) {
		fprintf(stderr, "CertSetCertificateContextProperty: error %lu\n", (unsigned long)GetLastError());
		return 0;
	}
	return 1;
}

/* CertSerializeCertificateStoreElement of the certificate to out. */
static int serialize(const char *out, const BYTE *der, DWORD len, const char *provider, const char *container)
{
	PCCERT_CONTEXT cert = CertCreateCertificateContext(X509_ASN_ENCODING, der, len);
	DWORD n = 0;
	BYTE *ser;
	FILE *f;
	if (!cert) {
		fprintf(stderr, "CertCreateCertificateContext: error %lu\n", (unsigned long)GetLastError());
		return 1;
	}
	if (provider && !set_prov_info(cert, provider, container))
		return 1;
	if (!CertSerializeCertificateStoreElement(cert, 0, NULL, &n) || !(ser = malloc(n)) ||
	    !CertSerializeCertificateStoreElement(cert, 0, ser, &n)) {
		fprintf(stderr, "CertSerializeCertificateStoreElement: error %lu\n", (unsigned long)GetLastError());
		return 1;
	}
	if (!(f = fopen(out, "wb")) || fwrite(ser, 1, n, f) != n || fclose(f)) {
		fprintf(stderr, "cannot write %s\n", out);
		return 1;
	}
	free(ser);
	CertFreeCertificateContext(cert);
	printf("serialized %lu bytes to %s\n", (unsigned long)n, out);
	return 0;
}

int main(int argc, char **argv)
{
	FILE *f;
	BYTE buf[65536];
	size_t len;
	HCERTSTORE store;
	PCCERT_CONTEXT cert = NULL;
	const char *out = NULL;
	if (argc >= 3 && !strcmp(argv[1], "--serialize")) {
		out = argv[2];
		argv += 2;
		argc -= 2;
	}
	if (argc != 2 && argc != 4) {
		fprintf(stderr, "usage: certimport [--serialize OUT] CERT.der [PROVIDER CONTAINER]\n");
		return 2;
	}
	if (!(f = fopen(argv[1], "rb"))) {
		fprintf(stderr, "cannot open %s\n", argv[1]);
		return 1;
	}
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	if (out)
		return serialize(out, buf, (DWORD)len, argc == 4 ? argv[2] : NULL, argc == 4 ? argv[3] : NULL);
	if (!(store = CertOpenSystemStoreW(0, L"MY"))) {
		fprintf(stderr, "CertOpenSystemStore: error %lu\n", (unsigned long)GetLastError());
		return 1;
	}
	if (!CertAddEncodedCertificateToStore(store, X509_ASN_ENCODING, buf, (DWORD)len,
					      CERT_STORE_ADD_REPLACE_EXISTING, &cert)) {
		fprintf(stderr, "CertAddEncodedCertificateToStore: error %lu\n",
			(unsigned long)GetLastError());
		return 1;
	}
	if (argc == 4 && !set_prov_info(cert, argv[2], argv[3]))
		return 1;
	CertFreeCertificateContext(cert);
	CertCloseStore(store, 0);
	printf("imported %s\n", argv[1]);
	return 0;
}
