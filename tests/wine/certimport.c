/* Test helper for the Wine machines: adds a DER certificate to the current
 * user's "MY" store of the prefix, optionally with key provider info (a CSP
 * name and key container, as a token's CSP registers its certificates).
 * usage: certimport.exe CERT.der [PROVIDER CONTAINER]
 * Built by a machine's setup.sh with x86_64-w64-mingw32-gcc ... -lcrypt32. */
#include <windows.h>
#include <wincrypt.h>
#include <stdio.h>
#include <stdlib.h>

static wchar_t *wide(const char *s)
{
	int n = MultiByteToWideChar(CP_UTF8, 0, s, -1, NULL, 0);
	wchar_t *w = n > 0 ? malloc((size_t)n * sizeof(wchar_t)) : NULL;
	if (w)
		MultiByteToWideChar(CP_UTF8, 0, s, -1, w, n);
	return w;
}

int main(int argc, char **argv)
{
	FILE *f;
	BYTE buf[65536];
	size_t len;
	HCERTSTORE store;
	PCCERT_CONTEXT cert = NULL;
	if (argc != 2 && argc != 4) {
		fprintf(stderr, "usage: certimport CERT.der [PROVIDER CONTAINER]\n");
		return 2;
	}
	if (!(f = fopen(argv[1], "rb"))) {
		fprintf(stderr, "cannot open %s\n", argv[1]);
		return 1;
	}
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
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
	if (argc == 4) {
		CRYPT_KEY_PROV_INFO info;
		memset(&info, 0, sizeof(info));
		info.pwszProvName = wide(argv[2]);
		info.pwszContainerName = wide(argv[3]);
		info.dwProvType = PROV_RSA_FULL;
		info.dwKeySpec = AT_KEYEXCHANGE;
		if (!CertSetCertificateContextProperty(cert, CERT_KEY_PROV_INFO_PROP_ID, 0, &info)) {
			fprintf(stderr, "CertSetCertificateContextProperty: error %lu\n",
				(unsigned long)GetLastError());
			return 1;
		}
	}
	CertFreeCertificateContext(cert);
	CertCloseStore(store, 0);
	printf("imported %s\n", argv[1]);
	return 0;
}
