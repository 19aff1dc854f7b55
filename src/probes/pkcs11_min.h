/* The part of the PKCS#11 (Cryptoki) interface cadoctor uses to read modules,
 * slots, tokens and certificate objects, declared from the OASIS PKCS #11
 * Base Specification (v2.40 / 3.0): type layouts, function list order and
 * constant values. No vendor or library header is needed, so the Linux and
 * the Windows (mingw-w64, MSVC) builds use the same declarations.
 *
 * Platform conventions from the specification: on Windows, Cryptoki structures
 * are packed to 1 byte and CK_ULONG is a 32-bit unsigned long (also in 64-bit
 * processes); on Linux structures use the default alignment and CK_ULONG is
 * unsigned long (64-bit on x86_64). Functions use the C calling convention.
 * platform.h says which packing applies (CD_CRYPTOKI_PACK_BEGIN/END). */
#ifndef CD_PKCS11_MIN_H
#define CD_PKCS11_MIN_H

#include "../platform/platform.h"

CD_CRYPTOKI_PACK_BEGIN

typedef unsigned char CK_BYTE;
typedef CK_BYTE CK_CHAR;
typedef CK_BYTE CK_UTF8CHAR;
typedef CK_BYTE CK_BBOOL;
typedef unsigned long CK_ULONG;
typedef long CK_LONG;
typedef CK_ULONG CK_FLAGS;
typedef CK_ULONG CK_RV;
typedef CK_ULONG CK_SLOT_ID;
typedef CK_ULONG CK_SESSION_HANDLE;
typedef CK_ULONG CK_OBJECT_HANDLE;
typedef CK_ULONG CK_OBJECT_CLASS;
typedef CK_ULONG CK_ATTRIBUTE_TYPE;
typedef CK_ULONG CK_NOTIFICATION;
typedef CK_ULONG CK_USER_TYPE;
typedef void *CK_VOID_PTR;

#define CK_TRUE 1
#define CK_FALSE 0
#define CK_UNAVAILABLE_INFORMATION (~0UL)

typedef struct CK_VERSION {
	CK_BYTE major;
	CK_BYTE minor;
} CK_VERSION;

typedef struct CK_INFO {
	CK_VERSION cryptokiVersion;
	CK_UTF8CHAR manufacturerID[32];
	CK_FLAGS flags;
	CK_UTF8CHAR libraryDescription[32];
	CK_VERSION libraryVersion;
} CK_INFO;

typedef struct CK_SLOT_INFO {
	CK_UTF8CHAR slotDescription[64];
	CK_UTF8CHAR manufacturerID[32];
	CK_FLAGS flags;
	CK_VERSION hardwareVersion;
	CK_VERSION firmwareVersion;
} CK_SLOT_INFO;

typedef struct CK_TOKEN_INFO {
	CK_UTF8CHAR label[32];
	CK_UTF8CHAR manufacturerID[32];
	CK_UTF8CHAR model[16];
	CK_CHAR serialNumber[16];
	CK_FLAGS flags;
	CK_ULONG ulMaxSessionCount;
	CK_ULONG ulSessionCount;
	CK_ULONG ulMaxRwSessionCount;
	CK_ULONG ulRwSessionCount;
	CK_ULONG ulMaxPinLen;
	CK_ULONG ulMinPinLen;
	CK_ULONG ulTotalPublicMemory;
	CK_ULONG ulFreePublicMemory;
	CK_ULONG ulTotalPrivateMemory;
	CK_ULONG ulFreePrivateMemory;
	CK_VERSION hardwareVersion;
	CK_VERSION firmwareVersion;
	CK_CHAR utcTime[16];
} CK_TOKEN_INFO;

typedef struct CK_ATTRIBUTE {
	CK_ATTRIBUTE_TYPE type;
	CK_VOID_PTR pValue;
	CK_ULONG ulValueLen;
} CK_ATTRIBUTE;

typedef CK_RV (*CK_CREATEMUTEX)(CK_VOID_PTR *ppMutex);
typedef CK_RV (*CK_DESTROYMUTEX)(CK_VOID_PTR pMutex);
typedef CK_RV (*CK_LOCKMUTEX)(CK_VOID_PTR pMutex);
typedef CK_RV (*CK_UNLOCKMUTEX)(CK_VOID_PTR pMutex);

typedef struct CK_C_INITIALIZE_ARGS {
	CK_CREATEMUTEX CreateMutex;
	CK_DESTROYMUTEX DestroyMutex;
	CK_LOCKMUTEX LockMutex;
	CK_UNLOCKMUTEX UnlockMutex;
	CK_FLAGS flags;
	CK_VOID_PTR pReserved;
} CK_C_INITIALIZE_ARGS;

typedef CK_RV (*CK_NOTIFY)(CK_SESSION_HANDLE hSession, CK_NOTIFICATION event,
			   CK_VOID_PTR pApplication);

struct CK_FUNCTION_LIST;
typedef struct CK_FUNCTION_LIST *CK_FUNCTION_LIST_PTR;

/* A slot of the function list cadoctor never calls: only its size matters. */
typedef CK_RV (*CK_UNUSED_FN)(void);

/* The function list, in the order the specification fixes (68 entries after
 * the version; PKCS #11 3.0 modules return this same v2 list from
 * C_GetFunctionList). */
typedef struct CK_FUNCTION_LIST {
	CK_VERSION version;
	CK_RV (*C_Initialize)(CK_VOID_PTR pInitArgs);
	CK_RV (*C_Finalize)(CK_VOID_PTR pReserved);
	CK_RV (*C_GetInfo)(CK_INFO *pInfo);
	CK_RV (*C_GetFunctionList)(CK_FUNCTION_LIST_PTR *ppFunctionList);
	CK_RV (*C_GetSlotList)(CK_BBOOL tokenPresent, CK_SLOT_ID *pSlotList, CK_ULONG *pulCount);
	CK_RV (*C_GetSlotInfo)(CK_SLOT_ID slotID, CK_SLOT_INFO *pInfo);
	CK_RV (*C_GetTokenInfo)(CK_SLOT_ID slotID, CK_TOKEN_INFO *pInfo);
	CK_UNUSED_FN C_GetMechanismList;
	CK_UNUSED_FN C_GetMechanismInfo;
	CK_UNUSED_FN C_InitToken;
	CK_UNUSED_FN C_InitPIN;
	CK_UNUSED_FN C_SetPIN;
	CK_RV (*C_OpenSession)(CK_SLOT_ID slotID, CK_FLAGS flags, CK_VOID_PTR pApplication,
			       CK_NOTIFY Notify, CK_SESSION_HANDLE *phSession);
	CK_RV (*C_CloseSession)(CK_SESSION_HANDLE hSession);
	CK_UNUSED_FN C_CloseAllSessions;
	CK_UNUSED_FN C_GetSessionInfo;
	CK_UNUSED_FN C_GetOperationState;
	CK_UNUSED_FN C_SetOperationState;
	CK_UNUSED_FN C_Login;
	CK_UNUSED_FN C_Logout;
	CK_UNUSED_FN C_CreateObject;
	CK_UNUSED_FN C_CopyObject;
	CK_UNUSED_FN C_DestroyObject;
	CK_UNUSED_FN C_GetObjectSize;
	CK_RV (*C_GetAttributeValue)(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hObject,
				     CK_ATTRIBUTE *pTemplate, CK_ULONG ulCount);
	CK_UNUSED_FN C_SetAttributeValue;
	CK_RV (*C_FindObjectsInit)(CK_SESSION_HANDLE hSession, CK_ATTRIBUTE *pTemplate,
				   CK_ULONG ulCount);
	CK_RV (*C_FindObjects)(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE *phObject,
			       CK_ULONG ulMaxObjectCount, CK_ULONG *pulObjectCount);
	CK_RV (*C_FindObjectsFinal)(CK_SESSION_HANDLE hSession);
	CK_UNUSED_FN C_EncryptInit;
	CK_UNUSED_FN C_Encrypt;
	CK_UNUSED_FN C_EncryptUpdate;
	CK_UNUSED_FN C_EncryptFinal;
	CK_UNUSED_FN C_DecryptInit;
	CK_UNUSED_FN C_Decrypt;
	CK_UNUSED_FN C_DecryptUpdate;
	CK_UNUSED_FN C_DecryptFinal;
	CK_UNUSED_FN C_DigestInit;
	CK_UNUSED_FN C_Digest;
	CK_UNUSED_FN C_DigestUpdate;
	CK_UNUSED_FN C_DigestKey;
	CK_UNUSED_FN C_DigestFinal;
	CK_UNUSED_FN C_SignInit;
	CK_UNUSED_FN C_Sign;
	CK_UNUSED_FN C_SignUpdate;
	CK_UNUSED_FN C_SignFinal;
	CK_UNUSED_FN C_SignRecoverInit;
	CK_UNUSED_FN C_SignRecover;
	CK_UNUSED_FN C_VerifyInit;
	CK_UNUSED_FN C_Verify;
	CK_UNUSED_FN C_VerifyUpdate;
	CK_UNUSED_FN C_VerifyFinal;
	CK_UNUSED_FN C_VerifyRecoverInit;
	CK_UNUSED_FN C_VerifyRecover;
	CK_UNUSED_FN C_DigestEncryptUpdate;
	CK_UNUSED_FN C_DecryptDigestUpdate;
	CK_UNUSED_FN C_SignEncryptUpdate;
	CK_UNUSED_FN C_DecryptVerifyUpdate;
	CK_UNUSED_FN C_GenerateKey;
	CK_UNUSED_FN C_GenerateKeyPair;
	CK_UNUSED_FN C_WrapKey;
	CK_UNUSED_FN C_UnwrapKey;
	CK_UNUSED_FN C_DeriveKey;
	CK_UNUSED_FN C_SeedRandom;
	CK_UNUSED_FN C_GenerateRandom;
	CK_UNUSED_FN C_GetFunctionStatus;
	CK_UNUSED_FN C_CancelFunction;
	CK_UNUSED_FN C_WaitForSlotEvent;
} CK_FUNCTION_LIST;

typedef CK_RV (*CK_C_GetFunctionList)(CK_FUNCTION_LIST_PTR *ppFunctionList);

/* Return values. */
#define CKR_OK 0x00UL
#define CKR_CANCEL 0x01UL
#define CKR_HOST_MEMORY 0x02UL
#define CKR_SLOT_ID_INVALID 0x03UL
#define CKR_GENERAL_ERROR 0x05UL
#define CKR_FUNCTION_FAILED 0x06UL
#define CKR_ARGUMENTS_BAD 0x07UL
#define CKR_NEED_TO_CREATE_THREADS 0x09UL
#define CKR_CANT_LOCK 0x0AUL
#define CKR_ATTRIBUTE_SENSITIVE 0x11UL
#define CKR_ATTRIBUTE_TYPE_INVALID 0x12UL
#define CKR_DEVICE_ERROR 0x30UL
#define CKR_DEVICE_MEMORY 0x31UL
#define CKR_DEVICE_REMOVED 0x32UL
#define CKR_FUNCTION_NOT_SUPPORTED 0x54UL
#define CKR_OPERATION_ACTIVE 0x90UL
#define CKR_OPERATION_NOT_INITIALIZED 0x91UL
#define CKR_PIN_LOCKED 0xA4UL
#define CKR_SESSION_COUNT 0xB1UL
#define CKR_SESSION_HANDLE_INVALID 0xB3UL
#define CKR_SESSION_PARALLEL_NOT_SUPPORTED 0xB4UL
#define CKR_TEMPLATE_INCOMPLETE 0xD0UL
#define CKR_TOKEN_NOT_PRESENT 0xE0UL
#define CKR_TOKEN_NOT_RECOGNIZED 0xE1UL
#define CKR_USER_NOT_LOGGED_IN 0x101UL
#define CKR_BUFFER_TOO_SMALL 0x150UL
#define CKR_CRYPTOKI_NOT_INITIALIZED 0x190UL
#define CKR_CRYPTOKI_ALREADY_INITIALIZED 0x191UL
#define CKR_VENDOR_DEFINED 0x80000000UL

/* C_Initialize flags. */
#define CKF_LIBRARY_CANT_CREATE_OS_THREADS 0x01UL
#define CKF_OS_LOCKING_OK 0x02UL

/* Slot flags. */
#define CKF_TOKEN_PRESENT 0x01UL
#define CKF_REMOVABLE_DEVICE 0x02UL
#define CKF_HW_SLOT 0x04UL

/* Token flags. */
#define CKF_RNG 0x01UL
#define CKF_WRITE_PROTECTED 0x02UL
#define CKF_LOGIN_REQUIRED 0x04UL
#define CKF_USER_PIN_INITIALIZED 0x08UL
#define CKF_TOKEN_INITIALIZED 0x400UL
#define CKF_USER_PIN_COUNT_LOW 0x10000UL
#define CKF_USER_PIN_FINAL_TRY 0x20000UL
#define CKF_USER_PIN_LOCKED 0x40000UL
#define CKF_USER_PIN_TO_BE_CHANGED 0x80000UL
#define CKF_SO_PIN_COUNT_LOW 0x100000UL
#define CKF_SO_PIN_FINAL_TRY 0x200000UL
#define CKF_SO_PIN_LOCKED 0x400000UL

/* Session flags. */
#define CKF_RW_SESSION 0x02UL
#define CKF_SERIAL_SESSION 0x04UL

/* Object classes and attributes. */
#define CKO_CERTIFICATE 0x01UL
#define CKO_PRIVATE_KEY 0x03UL
#define CKA_CLASS 0x00UL
#define CKA_LABEL 0x03UL
#define CKA_VALUE 0x11UL
#define CKA_CERTIFICATE_TYPE 0x80UL
#define CKA_ID 0x102UL
#define CKC_X_509 0x00UL

CD_CRYPTOKI_PACK_END

#endif
