-- cadoctor facts schema. This file is the single source: the build embeds it,
-- and docs/facts.md is generated from it (cadoctor-gen schema-doc; a test
-- fails when the two differ). Format the generator reads:
--   "-- @table NAME: description" before each CREATE TABLE,
--   one column per line, its documentation in a trailing "-- " comment.
-- Bump schema_version (meta) when a column changes meaning or is removed;
-- adding a column is compatible (older snapshots load with it NULL).
-- Booleans are INTEGER 0/1, NULL when unknown. Times are seconds since the
-- epoch, UTC. Paths are as the OS reports them, UTF-8.

-- @table meta: Key/value facts about the collection itself (schema_version, tool_version, collected_at, source).
CREATE TABLE meta (
  key TEXT PRIMARY KEY, -- name of the item
  value TEXT            -- its value
);

-- @table host: Exactly one row: the machine and the moment of collection.
CREATE TABLE host (
  os_family TEXT,       -- "windows" or "linux"
  os_name TEXT,         -- product name, e.g. "Windows 10 Pro", "Debian GNU/Linux 12 (bookworm)"
  os_version TEXT,      -- version, e.g. "10.0" or "12"
  os_build TEXT,        -- build number (Windows) or VERSION_ID detail
  kernel TEXT,          -- kernel release (Linux) or NT version
  arch TEXT,            -- machine architecture: x86_64, x86, arm64
  process_arch TEXT,    -- architecture cadoctor itself runs as (a 32-bit process on 64-bit Windows sees the WOW64 registry view by default)
  hostname TEXT,        -- computer name (redacted in support exports)
  distro_id TEXT,       -- Linux os-release ID (debian, uos, kylin), NULL on Windows
  elevated INTEGER,     -- 1 when run as administrator/root
  clock_utc INTEGER,    -- the local clock when facts were collected; rules measure certificate validity from it
  tz_name TEXT,         -- time zone name, e.g. "Asia/Shanghai" or "China Standard Time"
  tz_offset_min INTEGER, -- offset of local time from UTC in minutes (+480 for China)
  locale TEXT,          -- user interface language, e.g. zh_CN.UTF-8 or zh-CN
  proxy TEXT,           -- proxy in effect for the user (environment or WinINet settings), NULL if none
  root TEXT             -- when not NULL, the directory probes read instead of "/" (offline analysis of a mounted system)
);

-- @table probe_runs: One row per probe that ran: what was checked, so a report can say what was ruled out.
CREATE TABLE probe_runs (
  probe TEXT,           -- probe name, e.g. "linux.p11kit"
  status TEXT,          -- "ok", "partial" (some errors recorded), "failed", "skipped"
  elapsed_ms INTEGER,   -- wall time the probe took
  rows INTEGER,         -- fact rows it added
  detail TEXT           -- why it was skipped or failed, if it was
);

-- @table probe_errors: Failures met while collecting; the scan goes on after each.
CREATE TABLE probe_errors (
  probe TEXT,           -- probe name
  target TEXT,          -- what was being read: a file, registry key, module, host
  code TEXT,            -- error name: io, parse, denied, timeout, crash, ... (see docs/exit-codes.md)
  message TEXT          -- readable detail
);

-- @table programs: Installed programs and packages (Windows Uninstall keys, dpkg status).
CREATE TABLE programs (
  source TEXT,          -- "dpkg", "hklm64", "hklm32", "hkcu", "hku" (another user's hive)
  user TEXT,            -- user the entry belongs to (hkcu/hku), NULL for machine-wide
  key TEXT,             -- registry key name ({ProductCode}, Name_is1, ...) or dpkg package name
  name TEXT,            -- DisplayName or package name
  version TEXT,         -- DisplayVersion or package version
  publisher TEXT,       -- Publisher or Maintainer
  install_location TEXT, -- InstallLocation, if any
  uninstall_string TEXT, -- UninstallString
  quiet_uninstall_string TEXT, -- QuietUninstallString
  msi_product_code TEXT, -- product code when the entry is an MSI product
  system_component INTEGER, -- SystemComponent=1: hidden from Programs and Features
  install_date TEXT,    -- InstallDate as recorded (YYYYMMDD)
  status TEXT,          -- dpkg: installed, config-files, half-installed ...; Windows: NULL
  arch TEXT             -- package or binary architecture if known
);

-- @table csp: CryptoAPI cryptographic service providers registered on Windows.
CREATE TABLE csp (
  name TEXT,            -- provider name (registry key under Defaults\Provider)
  type INTEGER,         -- provider type (1 = PROV_RSA_FULL, 24 = PROV_RSA_AES ...)
  image_path TEXT,      -- "Image Path" value: the DLL
  image_resolved TEXT,  -- image path with environment variables and System32 expanded
  image_exists INTEGER, -- 1 if the DLL file exists
  view TEXT,            -- registry view: "64" or "32"
  enumerated INTEGER    -- 1 if CryptEnumProviders also lists it
);

-- @table minidrivers: Smart-card minidrivers registered under Calais\SmartCards.
CREATE TABLE minidrivers (
  card_name TEXT,       -- card name (key name)
  atr TEXT,             -- ATR, hex
  atr_mask TEXT,        -- ATR mask, hex
  dll TEXT,             -- value 80000001: the minidriver DLL
  dll_exists INTEGER,   -- 1 if the DLL was found
  crypto_provider TEXT, -- "Crypto Provider" value
  view TEXT             -- registry view: "64" or "32"
);

-- @table pkcs11_modules: PKCS#11 modules known to the system, one row per place that registers one.
-- On Windows, one row (source "catalog") per PKCS#11 middleware DLL of the catalog found in
-- System32 or SysWOW64. pkcs11.tokens reads each in a child process of cadoctor; a DLL built for
-- another machine than cadoctor's (a 32-bit DLL in SysWOW64 seen by 64-bit cadoctor) cannot be
-- loaded by it and stays "not_loaded" with the reason in load_error (the 32-bit cadoctor reads it).
CREATE TABLE pkcs11_modules (
  name TEXT,            -- module name (p11-kit file name without .module, NSS library name, catalog name)
  path TEXT,            -- library path as registered
  resolved_path TEXT,   -- absolute path after resolving relative names against the default module directory
  file_exists INTEGER,  -- 1 if the library file exists
  source TEXT,          -- "p11kit", "nss", "catalog", "registry"
  source_file TEXT,     -- the file that registers it (p11-kit .module file, NSS pkcs11.txt)
  enabled INTEGER,      -- 0 if the registration disables it (p11-kit enable-in/disable-in), else 1
  vendor TEXT,          -- vendor from the catalog match, if any
  manufacturer TEXT,    -- C_GetInfo manufacturerID, when the module was loaded
  description TEXT,     -- C_GetInfo libraryDescription
  library_version TEXT, -- C_GetInfo libraryVersion
  cryptoki_version TEXT, -- C_GetInfo cryptokiVersion
  load_status TEXT,     -- "not_loaded" (missing, or built for another machine), "ok", "failed", "crashed", "timeout"
  load_error TEXT       -- error detail when loading failed
);

-- @table tokens: Tokens (USB keys, smart cards, soft tokens) seen through PKCS#11 slots.
CREATE TABLE tokens (
  module_path TEXT,     -- module that reports the slot
  slot_id INTEGER,      -- PKCS#11 slot id
  slot_description TEXT, -- slot description
  token_present INTEGER, -- CKF_TOKEN_PRESENT
  label TEXT,           -- token label
  manufacturer TEXT,    -- token manufacturerID
  model TEXT,           -- token model
  serial TEXT,          -- token serial number (hashed in support exports)
  flags INTEGER,        -- raw token flags
  user_pin_locked INTEGER,     -- CKF_USER_PIN_LOCKED
  user_pin_final_try INTEGER,  -- CKF_USER_PIN_FINAL_TRY
  user_pin_count_low INTEGER,  -- CKF_USER_PIN_COUNT_LOW
  token_initialized INTEGER,   -- CKF_TOKEN_INITIALIZED
  login_required INTEGER       -- CKF_LOGIN_REQUIRED
);

-- @table certificates: X.509 certificates in stores, on tokens and in files.
CREATE TABLE certificates (
  source TEXT,          -- "store" (Windows CryptoAPI), "profile_file" (another user's MY store file, read when elevated), "profile_registry" (a MY certificate held in another user's registry, their hive read when elevated), "pkcs11", "file", "nss"
  location TEXT,        -- store name (CurrentUser\MY; USER\MY for profile_file and profile_registry), token label or file path
  user TEXT,            -- owning user for per-user stores
  subject TEXT,         -- subject, RFC 2253 order, UTF-8
  subject_cn TEXT,      -- subject common name
  subject_o TEXT,       -- subject organisation
  issuer TEXT,          -- issuer, UTF-8
  issuer_cn TEXT,       -- issuer common name
  issuer_o TEXT,        -- issuer organisation: tells which CA issued it
  serial TEXT,          -- serial number, hex (hashed in support exports)
  not_before INTEGER,   -- validity start
  not_after INTEGER,    -- validity end
  key_alg TEXT,         -- "RSA", "SM2", "EC", "DSA", ...
  key_bits INTEGER,     -- key size in bits
  sig_alg TEXT,         -- signature algorithm, e.g. "SM3withSM2", "sha256WithRSAEncryption"
  key_usage TEXT,       -- key usage names, comma separated
  sha1 TEXT,            -- SHA-1 thumbprint, hex (as Windows shows it)
  sha256 TEXT,          -- SHA-256 fingerprint, hex
  provider TEXT,        -- CSP or KSP name from the key provider info (Windows)
  container TEXT,       -- key container name (Windows)
  module_path TEXT,     -- PKCS#11 module holding it
  token_serial TEXT,    -- serial of the token holding it
  has_private_key INTEGER, -- 1 if a private key is linked to it (Windows: key provider info, 0 without); pkcs11: 1 when a private key object with the same CKA_ID is visible without login, else NULL (private objects are hidden before login, and no login is ever made)
  parse_error TEXT,     -- why the certificate could not be parsed, if it could not
  is_ca INTEGER,        -- 1 for a CA certificate (basicConstraints CA:TRUE, or self-signed), 0 for a user's own
  object_label TEXT,    -- PKCS#11 CKA_LABEL of the certificate object
  object_id TEXT        -- PKCS#11 CKA_ID of the certificate object, hex: links it to its key pair
);

-- @table usb_devices: USB devices, present and recently present, with their driver state.
CREATE TABLE usb_devices (
  source TEXT,          -- "libusb" or "setupapi"
  vid TEXT,             -- vendor id, 4 lower-case hex digits
  pid TEXT,             -- product id, 4 lower-case hex digits
  bus INTEGER,          -- bus number (libusb)
  address INTEGER,      -- device address (libusb)
  port_path TEXT,       -- port numbers from the root, dotted
  instance_id TEXT,     -- Windows device instance id
  device_class TEXT,    -- USB class of the device or interface (hex), or SetupAPI class name
  manufacturer TEXT,    -- manufacturer string
  product TEXT,         -- product string
  serial TEXT,          -- serial string (hashed in support exports)
  driver TEXT,          -- bound driver or driver service, NULL if none
  present INTEGER,      -- 1 if plugged in now
  problem_code INTEGER, -- Windows CM_PROB_* code (28 = driver not installed), 0 when fine
  status TEXT           -- "ok", "problem", "no_driver", "disconnected"
);

-- @table services: System services and daemons that matter for keys (SCardSvr, CertPropSvc, pcscd, vendor services).
CREATE TABLE services (
  name TEXT,            -- service name
  display_name TEXT,    -- display name
  installed INTEGER,    -- 1 if the service exists on the machine
  state TEXT,           -- "running", "stopped", "start_pending", ... or "unknown"
  start_type TEXT,      -- "auto", "manual", "disabled", "socket" (activated on demand), ...
  binary_path TEXT,     -- the executable
  detail TEXT           -- how the state was determined
);

-- @table processes: Running processes that matter (security software, vendor daemons named in the catalog).
CREATE TABLE processes (
  pid INTEGER,          -- process id
  name TEXT,            -- executable name
  path TEXT,            -- full path, if readable
  user TEXT             -- owning user
);

-- @table browsers: Installed browsers.
CREATE TABLE browsers (
  browser TEXT,         -- "chrome", "edge", "firefox", "chromium", "ie", "360se", "360chrome"
  version TEXT,         -- version
  path TEXT,            -- executable
  source TEXT,          -- where it was found (registry key, package, file)
  is_default INTEGER    -- 1 if it is the default browser
);

-- @table browser_profiles: Browser profiles of every user.
CREATE TABLE browser_profiles (
  browser TEXT,         -- browser id as in browsers
  user TEXT,            -- OS user owning the profile
  profile_dir TEXT,     -- profile directory
  profile_name TEXT,    -- name shown in the browser
  is_default INTEGER,   -- 1 for the last used / default profile
  source TEXT,          -- "local_state", "disk", "profiles.ini"
  readable INTEGER,     -- 0 if its files could not be read (see probe_errors)
  nss_dir TEXT,         -- NSS database the browser loads security devices (PKCS#11 modules) from for this profile: the Firefox profile itself, ~/.pki/nssdb for Chromium-family browsers on Linux; its pkcs11.txt is pkcs11_modules.source_file. NULL where the browser uses the OS store
  browser_version TEXT  -- browser version that last used the profile (Chromium "last_chrome_version" / Last Version, Firefox compatibility.ini)
);

-- @table browser_extensions: Extensions and add-ons in each profile, with their real state.
CREATE TABLE browser_extensions (
  browser TEXT,         -- browser id
  user TEXT,            -- OS user
  profile_dir TEXT,     -- profile directory
  ext_id TEXT,          -- extension id
  name TEXT,            -- name, __MSG_ names resolved
  version TEXT,         -- version
  enabled INTEGER,      -- 1 if it runs
  state TEXT,           -- raw state value as stored (Chromium "state" when present; Firefox "active"/"inactive")
  disable_reasons TEXT, -- why it does not run, comma separated names, NULL when enabled. Chromium (disable_reason.h bits): user, permissions_increase, corrupted, policy, unsupported_manifest_version, unsupported_developer_extension, not_verified, blocklist, ...; Firefox: user, unsigned, unsupported (appDisabled), blocklist_soft, blocklist
  location TEXT,        -- install location: Chromium webstore, internal, unpacked, command_line, policy, external_pref, component, ...; Firefox app-profile, app-system-defaults, ... as stored
  from_webstore INTEGER, -- 1 if installed from the web store
  incognito_allowed INTEGER, -- Chromium: allowed in incognito; Firefox: allowed in private windows
  user_disabled INTEGER, -- Firefox userDisabled
  app_disabled INTEGER,  -- Firefox appDisabled
  soft_disabled INTEGER, -- Firefox softDisabled (blocklist)
  signed_state INTEGER,  -- Firefox signedState
  path TEXT,            -- extension directory or XPI
  source_file TEXT      -- the preferences file the state was read from
);

-- @table browser_policies: Browser policies set by the administrator.
CREATE TABLE browser_policies (
  browser TEXT,         -- browser id
  scope TEXT,           -- "machine" or "user" (mandatory), "recommended" (a default the user may change)
  policy TEXT,          -- policy name, e.g. ExtensionInstallForcelist
  value TEXT,           -- value (JSON for lists and dictionaries)
  source TEXT,          -- registry key or policy file
  user TEXT             -- OS user whose own (HKCU) policy it is and to whose profiles alone it applies, NULL for machine-wide
);

-- @table native_hosts: Native messaging hosts registered for browsers.
CREATE TABLE native_hosts (
  browser TEXT,         -- "chrome", "edge", "chromium", "firefox"
  name TEXT,            -- host name, e.g. com.cfca.cryptokit.xxx
  scope TEXT,           -- "user" or "machine"
  view TEXT,            -- registry view "64"/"32", NULL on Linux
  manifest_path TEXT,   -- manifest JSON path
  manifest_ok INTEGER,  -- 1 if the manifest exists and parses
  host_path TEXT,       -- executable named by the manifest
  host_exists INTEGER,  -- 1 if that executable exists
  allowed_origins TEXT, -- allowed_origins (Chromium) or allowed_extensions (Firefox), JSON array
  error TEXT,           -- what is wrong with the manifest, if anything
  user TEXT             -- OS user whose per-user registration it is (scope "user"), NULL for machine-wide
);

-- @table repair_history: What cadoctor repair already did on this machine, from its journal (the last 20 runs): what the help desk needs to know was tried.
CREATE TABLE repair_history (
  run_id INTEGER,       -- journal run id: what `cadoctor undo RUN_ID` takes
  started INTEGER,      -- when the run started
  finished INTEGER,     -- when it ended, NULL while running or interrupted
  run_status TEXT,      -- "done", "failed", "interrupted", "undone", ...
  seq INTEGER,          -- step number within the run
  rule TEXT,            -- rule whose finding the step repaired
  kind TEXT,            -- action kind
  args TEXT,            -- action arguments, JSON
  status TEXT,          -- step status: "applied", "failed", "undone", "noop", ...
  error TEXT            -- why the step failed, if it did
);

-- @table vendor_device_maps: Vendor middleware's own maps from USB ids to DLLs (NETCA PKI\Devices, BJCA driver.ini).
CREATE TABLE vendor_device_maps (
  vendor TEXT,          -- "NETCA", "BJCA", ...
  source TEXT,          -- registry key or file the entry comes from
  device TEXT,          -- the vendor's name for the device entry
  vid TEXT,             -- vendor id, 4 lower-case hex digits
  pid TEXT,             -- product id, 4 lower-case hex digits
  dll TEXT,             -- middleware DLL the vendor maps the device to
  dll_exists INTEGER,   -- 1 if that DLL exists
  skf_dll TEXT,         -- SKF interface DLL, if named
  view TEXT             -- registry view "64"/"32", NULL for files
);

-- @table com_classes: COM classes named in the catalog (e.g. BJCA XTXAppCOM), per registry view.
CREATE TABLE com_classes (
  clsid TEXT,           -- class id, {upper-case}
  progid TEXT,          -- ProgID
  name TEXT,            -- class name (default value)
  view TEXT,            -- registry view "64" or "32"
  server_type TEXT,     -- "InprocServer32" or "LocalServer32"
  server_path TEXT,     -- server DLL/EXE
  server_exists INTEGER, -- 1 if it exists
  server_bits INTEGER,  -- 32 or 64, from the PE header
  threading_model TEXT  -- ThreadingModel
);

-- @table files: Files the catalog names (middleware DLLs, installers) and what was found.
CREATE TABLE files (
  path TEXT,            -- full path checked
  purpose TEXT,         -- catalog reference: why it was checked
  present INTEGER,      -- 1 if the file exists
  size INTEGER,         -- bytes
  version TEXT,         -- file version resource (Windows), if any
  sha256 TEXT           -- hash of the content, when read
);

-- @table hosts_entries: Entries of the hosts file for the platform domains in the catalog.
CREATE TABLE hosts_entries (
  hostname TEXT,        -- name mapped
  address TEXT,         -- address it maps to
  source TEXT           -- hosts file path
);

-- @table network_checks: Reachability of each platform address: DNS, TCP, TLS, HTTP, each with a short time limit.
CREATE TABLE network_checks (
  target TEXT,          -- platform id from the catalog
  url TEXT,             -- URL checked
  host TEXT,            -- host name
  port INTEGER,         -- TCP port
  dns_ok INTEGER,       -- name resolved
  address TEXT,         -- first address resolved
  tcp_ok INTEGER,       -- TCP connection made
  tls_ok INTEGER,       -- TLS handshake completed
  tls_version TEXT,     -- negotiated protocol, e.g. TLSv1.2
  tls_cipher TEXT,      -- negotiated cipher
  cert_subject TEXT,    -- server certificate subject
  cert_issuer TEXT,     -- server certificate issuer
  cert_not_before INTEGER, -- server certificate validity start
  cert_not_after INTEGER,  -- server certificate validity end
  verify_ok INTEGER,    -- certificate chain verified against the local trust store
  verify_error TEXT,    -- verification error text
  http_status INTEGER,  -- HTTP status code of the first response
  server_date INTEGER,  -- the server's Date header: measures local clock skew
  failed_step TEXT,     -- "url" (address not checkable), "dns", "tcp", "tls", "http", or NULL when all passed
  error TEXT,           -- error detail for the failed step
  elapsed_ms INTEGER    -- total time
);

-- Indexes on the columns rules join on (cheap at these sizes, and they turn
-- correlated lookups over thousands of certificates into index probes).
CREATE INDEX usb_devices_serial ON usb_devices(serial);
CREATE INDEX csp_name ON csp(name);
CREATE INDEX pkcs11_modules_path ON pkcs11_modules(resolved_path);
