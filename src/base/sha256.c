/* sha256: one-shot SHA-256 through libcrypto (see sha256.h). */
#include "base/sha256.h"

#include <openssl/evp.h>

#include "base/mem.h"

void sha256_hex(const void *data, size_t len, char hex[SHA256_HEX_LEN + 1])
{
	static const char digits[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	if (EVP_Digest(data, len, md, &n, EVP_sha256(), NULL) != 1 || n != SHA256_HEX_LEN / 2)
		BUG("SHA-256 of %zu bytes failed", len);
	for (unsigned int i = 0; i < n; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[SHA256_HEX_LEN] = '\0';
}
