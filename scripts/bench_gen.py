#!/usr/bin/env python3
"""Input generator for scripts/bench.sh (a benchmark, not a test).

  bench_gen.py snapshot --schema src/core/schema.sql --tokens rules/catalog/tokens.cat OUT.db
      A heavy, deterministic Windows snapshot: the schema comes from the
      project's own schema.sql, so it never drifts from what cadoctor loads.
  bench_gen.py rules --src rules --total 200 OUTDIR
      Copies the project's rules/ (catalogs included) to OUTDIR and adds
      synthetic rules (OUTDIR/bench/*.rules, plus one bench catalog) until
      OUTDIR holds TOTAL rules.
  bench_gen.py findings OUT.json
      Prints "findings errors warnings infos rule_errors rules_evaluated" of a
      JSON report.
  bench_gen.py rulecost --rules DIR --os windows CGDIR
      Cost of each rule from a callgrind run made with --dump-after=eval_rule
      (bench.sh does this when BENCH_PROFILE=1): instructions per rule, top first.

Everything random comes from one fixed seed. Only the host clock is "now"
(or --clock), and certificate validity is laid out relative to it, so the
number of expired/expiring certificates does not depend on the day it runs.
"""

import argparse
import json
import os
import random
import re
import shutil
import sqlite3
import sys
import time

SEED = 20240611
DAY = 86400

# ---------------------------------------------------------------------------
# Vocabulary shared by the snapshot and the rules, so that a share of the
# synthetic rules finds something.

# Middleware / driver products of token vendors and CAs:
# (family, name, publisher, versions)
DRIVERS = [
    ("ca_hulian_liaoning", "CA互联互通 辽宁版", "辽宁数字证书认证管理有限公司",
     ["2.5.0.1", "2.8.3", "2.9.0.2", "3.1.0", "3.3.0.5"]),
    ("longmai", "龙脉 mToken GM3000 管理工具", "北京世纪龙脉科技有限公司",
     ["1.1.19.1015", "1.2.20.301", "2.0.21.611"]),
    ("feitian", "ePass2003 用户工具", "飞天诚信科技股份有限公司",
     ["1.1.14.1106", "1.1.16.330", "1.1.20.1229"]),
    ("feitian", "FEITIAN ePass3003 Middleware", "Feitian Technologies Co., Ltd.",
     ["3.0.2.0", "3.1.5.8"]),
    ("watchdata", "握奇 WatchKey USB Key 驱动", "Watchdata Technologies",
     ["3.4.0.12", "3.6.1.7", "4.0.0.2"]),
    ("haitai", "海泰方圆 USB Key 管理工具", "北京海泰方圆科技股份有限公司",
     ["2.0.1.9", "2.1.3.0", "2.3.0.18"]),
    ("bjca", "BJCA 证书应用环境", "北京数字认证股份有限公司",
     ["2.12.0.0", "2.16.3.1", "3.0.1.2"]),
    ("bjca", "XTXAppCOM 证书应用组件", "北京数字认证股份有限公司",
     ["1.2.0.5", "1.3.7.0"]),
    ("cfca", "CFCA CryptoKit", "China Financial Certification Authority",
     ["3.0.0.1", "3.2.0.5", "3.4.1.0"]),
    ("gdca", "GDCA 数字证书客户端", "数安时代科技股份有限公司",
     ["4.1.0", "4.3.2", "5.0.1"]),
    ("netca", "NETCA 证书客户端", "广东省电子商务认证有限公司",
     ["6.1.0.1", "6.4.2.0"]),
    ("excelsecu", "文鼎创 ES USB Key 驱动", "深圳市文鼎创数据科技有限公司",
     ["1.0.8", "1.2.0"]),
    ("mingwah", "明华 MW EKey 驱动", "明华澳汉科技股份有限公司",
     ["2.0.3", "2.2.1"]),
    ("sunshine", "CA 延期及密码重置驱动", "阳光采购服务平台",
     ["1.0.0.3", "1.1.0.0"]),
]

# Minimum versions the synthetic catalog asks for (some above what is
# installed, so that version_cmp() rules fire).
DRIVER_MIN = {
    "ca_hulian_liaoning": "2.9", "longmai": "1.2.20", "feitian": "1.1.16",
    "watchdata": "3.6", "haitai": "2.1", "bjca": "2.16", "cfca": "3.2",
    "gdca": "4.3", "netca": "6.4", "excelsecu": "1.2", "mingwah": "2.2",
    "sunshine": "1.1",
}

GENERAL_APPS = [
    ("Google Chrome", "Google LLC"), ("Microsoft Edge", "Microsoft Corporation"),
    ("Mozilla Firefox (x64 zh-CN)", "Mozilla"), ("WPS Office", "Kingsoft Corp."),
    ("腾讯QQ", "腾讯科技(深圳)有限公司"), ("微信", "腾讯科技(深圳)有限公司"),
    ("企业微信", "腾讯科技(深圳)有限公司"), ("钉钉", "钉钉(中国)信息技术有限公司"),
    ("360安全卫士", "360安全中心"), ("360安全浏览器", "360安全中心"),
    ("火绒安全软件", "北京火绒网络科技有限公司"), ("搜狗输入法", "北京搜狗科技发展有限公司"),
    ("福昕PDF阅读器", "福建福昕软件开发股份有限公司"), ("7-Zip 23.01 (x64)", "Igor Pavlov"),
    ("Adobe Acrobat Reader DC - Chinese Simplified", "Adobe Systems Incorporated"),
    ("广联达 G+工作台", "广联达科技股份有限公司"), ("广联达计价软件 GCCP6.0", "广联达科技股份有限公司"),
    ("新点投标文件制作软件", "国泰新点软件股份有限公司"), ("新点驱动(辽宁)", "国泰新点软件股份有限公司"),
    ("筑业资料软件", "北京筑业志远软件开发有限公司"), ("向日葵远程控制", "上海贝锐信息科技股份有限公司"),
    ("ToDesk", "海南有趣科技有限公司"), ("TeamViewer", "TeamViewer Germany GmbH"),
    ("Intel(R) Management Engine Components", "Intel Corporation"),
    ("Realtek High Definition Audio Driver", "Realtek Semiconductor Corp."),
    ("NVIDIA 图形驱动程序", "NVIDIA Corporation"), ("HP LaserJet 打印机驱动", "HP Inc."),
    ("Microsoft Office 专业增强版 2019 - zh-cn", "Microsoft Corporation"),
]

MSI_RUNTIMES = [
    "Microsoft Visual C++ 2008 Redistributable - x86 9.0.30729",
    "Microsoft Visual C++ 2010  x64 Redistributable - 10.0.40219",
    "Microsoft Visual C++ 2013 x86 Additional Runtime - 12.0.40664",
    "Microsoft Visual C++ 2019 X64 Minimum Runtime - 14.29.30133",
    "Microsoft Visual C++ 2015-2022 Redistributable (x64) - 14.36.32532",
    "Microsoft .NET Framework 4.8 Targeting Pack",
    "Windows SDK AddOn", "Microsoft Update Health Tools", "Office 16 Click-to-Run Extensibility Component",
]

CITIES = ["沈阳", "大连", "鞍山", "抚顺", "本溪", "丹东", "锦州", "营口", "阜新", "辽阳",
          "铁岭", "朝阳", "盘锦", "葫芦岛", "北京", "天津", "长春", "哈尔滨"]
WORDS = ["华信", "恒通", "金桥", "宏远", "中建", "东方", "兴业", "盛世", "天成", "鑫源",
         "博远", "广厦", "正信", "瑞丰", "昊天", "远大", "北方", "新世纪"]
TRADES = ["建设工程", "建筑安装工程", "电力工程", "信息技术", "市政工程", "工程造价咨询",
          "招标代理", "机电设备", "路桥工程", "装饰工程", "水利水电工程", "环保科技"]
SUFFIXES = ["有限公司", "有限责任公司", "股份有限公司", "集团有限公司"]
PEOPLE = ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨帆", "赵磊", "黄敏", "周杰", "吴昊"]

# Certificate issuers: (issuer_o, issuer_cn, weight, uses SM2 share)
CAS = [
    ("辽宁数字证书认证管理有限公司", "LNCA SM2 CA", 30, 0.7),
    ("北京数字认证股份有限公司", "BJCA SM2 CA", 20, 0.6),
    ("中国金融认证中心", "CFCA ACS SM2 OCA31", 12, 0.5),
    ("数安时代科技股份有限公司", "GDCA TrustAUTH R4 CA", 10, 0.3),
    ("广东省电子商务认证有限公司", "NETCA SM2 ID CA", 8, 0.5),
    ("上海市数字证书认证中心有限公司", "SHECA SM2", 6, 0.5),
    ("DigiCert Inc", "DigiCert Global Root G2", 4, 0.0),
    ("Microsoft Corporation", "Microsoft Root Certificate Authority 2011", 4, 0.0),
]

# Short names a rule author would use in LIKE patterns for each CA.
CA_SHORT = {
    "辽宁数字证书认证管理有限公司": "辽宁数字证书", "北京数字认证股份有限公司": "北京数字认证",
    "中国金融认证中心": "金融认证", "数安时代科技股份有限公司": "数安时代",
    "广东省电子商务认证有限公司": "电子商务认证", "上海市数字证书认证中心有限公司": "上海市数字证书",
    "DigiCert Inc": "DigiCert", "Microsoft Corporation": "Microsoft",
}

USERS = ["Administrator", "zhangwei", "wangfang", "lina", "bid01", "caiwu"]

OTHER_USB = [  # (vid, pid, class, manufacturer, product, driver)
    ("1d6b", "0002", "09", "Linux Foundation", "USB 2.0 root hub", "usbhub"),
    ("8087", "0aaa", "e0", "Intel Corp.", "Bluetooth", "BTHUSB"),
    ("046d", "c077", "HIDClass", "Logitech", "USB Optical Mouse", "HidUsb"),
    ("046d", "c31c", "HIDClass", "Logitech", "Keyboard K120", "HidUsb"),
    ("0bda", "8153", "Net", "Realtek", "USB 10/100/1000 LAN", "rtux64w10"),
    ("0781", "5581", "DiskDrive", "SanDisk", "Ultra USB 3.0", "USBSTOR"),
    ("090c", "1000", "DiskDrive", "Silicon Motion", "Flash Disk", "USBSTOR"),
    ("05e3", "0610", "USB", "Genesys Logic", "USB2.1 Hub", "usbhub3"),
    ("04f2", "b6dd", "Camera", "Chicony", "Integrated Camera", "usbvideo"),
    ("03f0", "2b17", "Printer", "HP", "LaserJet 1020", "usbprint"),
    ("413c", "2113", "HIDClass", "Dell", "KB216 Wired Keyboard", "HidUsb"),
]

EXTENSIONS = [  # (name, kind: vendor extension or general)
    ("CFCA CryptoKit Extension", "cfca"), ("BJCA 证书助手", "bjca"),
    ("CA互联互通扩展(辽宁)", "ca_hulian_liaoning"), ("网联平台签章扩展", "lnwlzb"),
    ("新点签章助手", "epoint"), ("GDCA 证书扩展", "gdca"), ("NETCA Crypto Extension", "netca"),
    ("Adblock Plus", None), ("Google 翻译", None), ("Tampermonkey", None), ("沙拉查词", None),
    ("印象笔记·剪藏", None), ("Proxy SwitchyOmega", None), ("uBlock Origin", None),
]

SERVICES = [  # (name, display name)
    ("SCardSvr", "Smart Card"), ("CertPropSvc", "Certificate Propagation"),
    ("ScDeviceEnum", "Smart Card Device Enumeration Service"),
    ("SCPolicySvc", "Smart Card Removal Policy"), ("CryptSvc", "Cryptographic Services"),
    ("W32Time", "Windows Time"), ("WinDefend", "Microsoft Defender Antivirus Service"),
    ("FTSafeSvc", "飞天诚信 USB Key 监控服务"), ("mTokenService", "龙脉 mToken 服务"),
    ("WDKeyMonitor", "握奇 USB Key 监控"), ("HTKeyService", "海泰 Key 服务"),
    ("BJCAClientSvc", "BJCA 证书应用环境服务"), ("CFCAKitSvc", "CFCA CryptoKit Service"),
    ("LNCAAutoUpdate", "辽宁CA 互联互通自动更新"), ("360rp", "360 实时保护"),
    ("HipsDaemon", "火绒安全 HIPS"),
]

PLATFORM_HOSTS = [  # (target id, url) - the first ones are in cat_platforms
    ("lnwlzb", "https://www.lnwlzb.com/"), ("ebnew", "https://www.ebnew.com/"),
    ("lnca_online", "http://online.lnca.org.cn:8002/"),
    ("ccgp_liaoning", "https://www.ccgp-liaoning.gov.cn/"),
    ("sunshine", "https://www.sunshine-procurement.example/"),
    ("bjca_update", "https://update.bjca.org.cn/"), ("cfca_kit", "https://www.cfca.com.cn/"),
    ("gdca_online", "https://www.gdca.com.cn/"),
]


def hexid(rng, n):
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def guid(rng):
    return "{%s-%s-%s-%s-%s}" % (hexid(rng, 8), hexid(rng, 4), hexid(rng, 4),
                                 hexid(rng, 4), hexid(rng, 12))


def org_name(rng):
    return rng.choice(CITIES) + rng.choice(WORDS) + rng.choice(TRADES) + rng.choice(SUFFIXES)


def catalog_vids(path):
    """(vid, pid) pairs of the token catalog, read from tokens.cat."""
    pairs, vid = [], None
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"^(vid|pid):\s*(\S+)", line)
            if not m:
                continue
            if m.group(1) == "vid":
                vid = m.group(2)
            elif vid:
                pairs.append((vid, m.group(2)))
                vid = None
    return pairs


# ---------------------------------------------------------------------------
# Snapshot


def gen_snapshot(args):
    rng = random.Random(SEED)
    clock = args.clock if args.clock else int(time.time())
    with open(args.schema, encoding="utf-8") as f:
        schema = f.read()
    if os.path.exists(args.out):
        os.remove(args.out)
    db = sqlite3.connect(args.out)
    db.executescript(schema)  # the project's own schema: never drifts

    def ins(table, rows):
        rows = list(rows)
        cols = list(rows[0].keys())
        db.executemany('INSERT INTO "%s"(%s) VALUES(%s)' % (
            table, ",".join('"%s"' % c for c in cols), ",".join("?" * len(cols))),
            [tuple(r.get(c) for c in cols) for r in rows])
        return len(rows)

    counts = {}
    when = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(clock))
    counts["meta"] = ins("meta", [
        {"key": "schema_version", "value": "1"}, {"key": "collected_at", "value": when},
        {"key": "tool_version", "value": "bench"}, {"key": "source", "value": "bench_gen.py"}])
    counts["host"] = ins("host", [{
        "os_family": "windows", "os_name": "Windows 10 Pro", "os_version": "10.0",
        "os_build": "19045", "kernel": "10.0.19045", "arch": "x86_64", "process_arch": "x86_64",
        "hostname": "BID-PC-07", "distro_id": None, "elevated": 1, "clock_utc": clock,
        "tz_name": "China Standard Time", "tz_offset_min": 480, "locale": "zh-CN",
        "proxy": None, "root": None}])

    # -- programs: 5,000 --
    progs = []
    def program(name, version, publisher, hidden=0, msi=False):
        src = rng.choices(["hklm64", "hklm32", "hkcu", "hku"], [45, 35, 12, 8])[0]
        user = rng.choice(USERS) if src in ("hkcu", "hku") else None
        code = guid(rng).upper() if msi else None
        key = code if msi else (name.split(" ")[0] + ("_is1" if rng.random() < 0.3 else ""))
        has_uninst = rng.random() < 0.85
        loc = "C:\\Program Files%s\\%s" % (" (x86)" if src == "hklm32" else "",
                                          publisher.split(" ")[0])
        progs.append({
            "source": src, "user": user, "key": key, "name": name, "version": version,
            "publisher": publisher, "install_location": loc if rng.random() < 0.6 else None,
            "uninstall_string": (("MsiExec.exe /X%s" % code) if msi else
                                 ('"%s\\uninst.exe"' % loc)) if has_uninst else None,
            "quiet_uninstall_string": ('"%s\\uninst.exe" /S' % loc)
            if has_uninst and not msi and rng.random() < 0.3 else None,
            "msi_product_code": code, "system_component": hidden,
            "install_date": "20%02d%02d%02d" % (rng.randint(18, 24), rng.randint(1, 12),
                                                 rng.randint(1, 28)),
            "status": None, "arch": "x86" if src == "hklm32" else "x64"})
    # vendor middleware: several versions side by side, as left by upgrades
    for _ in range(900):
        fam, name, pub, vers = rng.choice(DRIVERS)
        program(name, rng.choice(vers), pub, msi=rng.random() < 0.4)
    for i in range(1200):  # Windows updates, hidden
        program("Security Update for Windows (KB%d)" % (5000000 + i * 37 % 99991),
                "1", "Microsoft Corporation", hidden=1, msi=True)
    for _ in range(1300):
        rt = rng.choice(MSI_RUNTIMES)
        program(rt, "%d.%d.%d" % (rng.randint(9, 14), rng.randint(0, 40), rng.randint(0, 40000)),
                "Microsoft Corporation", hidden=rng.random() < 0.5, msi=True)
    while len(progs) < 5000:
        name, pub = rng.choice(GENERAL_APPS)
        program(name, "%d.%d.%d.%d" % (rng.randint(1, 120), rng.randint(0, 9),
                                        rng.randint(0, 999), rng.randint(0, 9999)), pub)
    counts["programs"] = ins("programs", progs)

    # -- certificates: 2,000, validity spread around the clock --
    certs = []
    token_serials = [hexid(rng, 16) for _ in range(120)]
    weights = [c[2] for c in CAS]
    for i in range(2000):
        ca_o, ca_cn, _, sm2 = rng.choices(CAS, weights)[0]
        org = org_name(rng)
        is_root = ca_o in ("DigiCert Inc", "Microsoft Corporation")
        alg = "SM2" if rng.random() < sm2 else "RSA"
        # expires between 400 days ago and 800 days ahead: about a third expired,
        # a few percent within the next 30 days
        not_after = clock + rng.randint(-400 * DAY, 800 * DAY)
        not_before = not_after - rng.choice([365, 730, 1095]) * DAY
        src = rng.choices(["store", "pkcs11", "file"], [60, 30, 10])[0]
        cn = ca_cn if is_root else (org if rng.random() < 0.7 else rng.choice(PEOPLE) + "@" + org)
        certs.append({
            "source": src,
            "location": {"store": rng.choice(["CurrentUser\\MY", "LocalMachine\\Root",
                                              "CurrentUser\\CA"]),
                         "pkcs11": rng.choice(["LNCA", "BJCA-KEY", "ePass2003", "mToken GM3000"]),
                         "file": "C:\\Users\\%s\\Desktop\\证书备份\\%d.cer" % (rng.choice(USERS), i)}[src],
            "user": rng.choice(USERS) if src == "store" else None,
            "subject": "CN=%s,O=%s,L=%s,C=CN" % (cn, org, rng.choice(CITIES)),
            "subject_cn": cn, "subject_o": None if is_root else org,
            "issuer": "CN=%s,O=%s,C=CN" % (ca_cn, ca_o), "issuer_cn": ca_cn, "issuer_o": ca_o,
            "serial": hexid(rng, 32), "not_before": not_before, "not_after": not_after,
            "key_alg": alg, "key_bits": 256 if alg == "SM2" else rng.choice([1024, 2048, 2048, 4096]),
            "sig_alg": "SM3withSM2" if alg == "SM2" else rng.choice(
                ["sha256WithRSAEncryption", "sha1WithRSAEncryption"]),
            "key_usage": rng.choice(["digitalSignature", "keyEncipherment",
                                     "digitalSignature,nonRepudiation"]),
            "sha1": hexid(rng, 40), "sha256": hexid(rng, 64),
            "provider": rng.choice(["EnterSafe ePass2003 CSP v1.0", "Watchdata CSP v3.4",
                                    "HaiTai Cryptographic Service Provider",
                                    "Longmai mToken GM3000 CSP", "Microsoft Software Key Storage Provider",
                                    "BJCA SM2 CSP v2"]) if src == "store" and not is_root else None,
            "container": guid(rng) if src != "file" else None,
            "module_path": "C:\\Windows\\System32\\ShuttleCsp11_3000GM.dll" if src == "pkcs11" else None,
            "token_serial": rng.choice(token_serials) if src == "pkcs11" else None,
            "has_private_key": 0 if is_root else int(rng.random() < 0.8),
            "parse_error": "ASN.1 length exceeds data" if rng.random() < 0.005 else None})
    counts["certificates"] = ins("certificates", certs)

    # -- usb_devices: 500, about a fifth of them tokens from the catalog --
    tokens = catalog_vids(args.tokens)
    usb = []
    for i in range(500):
        present = int(rng.random() < 0.3)
        if rng.random() < 0.2:
            vid, pid = rng.choice(tokens)
            if pid == "*":
                pid = rng.choice(["0703", "0813", "0a09", "0c0a"])
            problem = rng.choice([0, 0, 0, 28, 10]) if present else 0
            dev = ("SmartCard", "Token", "USB Key", "WUDFRd" if problem == 0 else None)
            # some token serials match certificates on tokens (pkcs11 source)
            serial = rng.choice(token_serials) if rng.random() < 0.5 else hexid(rng, 16)
        else:
            vid, pid, cls, man, prod, drv = rng.choice(OTHER_USB)
            problem = 28 if present and rng.random() < 0.03 else 0
            dev = (cls, man, prod, drv if problem == 0 else None)
            serial = hexid(rng, 12)
        usb.append({
            "source": "setupapi", "vid": vid, "pid": pid, "bus": None, "address": None,
            "port_path": "1.%d" % rng.randint(1, 12),
            "instance_id": "USB\\VID_%s&PID_%s\\%s" % (vid.upper(), pid.upper(), serial.upper()),
            "device_class": dev[0], "manufacturer": dev[1], "product": dev[2], "serial": serial,
            "driver": dev[3], "present": present, "problem_code": problem,
            "status": ("no_driver" if problem == 28 else "problem" if problem else "ok")
            if present else "disconnected"})
    counts["usb_devices"] = ins("usb_devices", usb)

    # -- browser_extensions: 300 --
    exts = []
    for i in range(300):
        name, kind = rng.choice(EXTENSIONS)
        browser = rng.choice(["chrome", "edge", "firefox", "360se", "360chrome"])
        enabled = int(rng.random() < 0.75)
        exts.append({
            "browser": browser, "user": rng.choice(USERS),
            "profile_dir": "C:\\Users\\%s\\AppData\\Local\\%s\\User Data\\Default" % (
                rng.choice(USERS), browser),
            "ext_id": "".join(rng.choice("abcdefghijklmnop") for _ in range(32)),
            "name": name, "version": "%d.%d.%d" % (rng.randint(1, 5), rng.randint(0, 20),
                                                   rng.randint(0, 99)),
            "enabled": enabled, "state": str(enabled),
            "disable_reasons": None if enabled else rng.choice(["user", "policy", "corrupted",
                                                                "unsupported_requirement"]),
            "location": rng.choice(["webstore", "external", "policy", "unpacked"]),
            "from_webstore": int(rng.random() < 0.6),
            "incognito_allowed": int(rng.random() < 0.2),
            "user_disabled": (1 - enabled) if browser == "firefox" else None,
            "app_disabled": 0 if browser == "firefox" else None,
            "soft_disabled": 0 if browser == "firefox" else None,
            "signed_state": 2 if browser == "firefox" else None,
            "path": None, "source_file": "Secure Preferences"})
    counts["browser_extensions"] = ins("browser_extensions", exts)

    # -- a few hundred rows across the smaller tables --
    csp_names = ["Microsoft Base Cryptographic Provider v1.0",
                 "Microsoft Enhanced RSA and AES Cryptographic Provider",
                 "Microsoft Base Smart Card Crypto Provider", "EnterSafe ePass2003 CSP v1.0",
                 "EnterSafe ePass3003 CSP", "Watchdata CSP v3.4",
                 "HaiTai Cryptographic Service Provider", "Longmai mToken GM3000 CSP",
                 "BJCA SM2 CSP v2", "CFCA FOR UKEY CSP v1.1.0", "NETCA SM2 CSP"]
    csp = []
    for i in range(80):
        n = csp_names[i % len(csp_names)] + ("" if i < len(csp_names) else " #%d" % i)
        dll = n.split(" ")[0] + "Csp.dll"
        csp.append({"name": n, "type": rng.choice([1, 24, 1]),
                    "image_path": "%SystemRoot%\\System32\\" + dll,
                    "image_resolved": "C:\\Windows\\System32\\" + dll,
                    "image_exists": int(rng.random() < 0.8), "view": rng.choice(["64", "32"]),
                    "enumerated": int(rng.random() < 0.9)})
    counts["csp"] = ins("csp", csp)
    counts["minidrivers"] = ins("minidrivers", [{
        "card_name": "%s Card %d" % (rng.choice(["ePass2003", "GM3000", "WatchKey", "HaiTai"]), i),
        "atr": hexid(rng, 26), "atr_mask": "ff" * 13, "dll": rng.choice(
            ["ShuttleCsp11_3000GM.dll", "mtoken_gm3000.dll", "WDMiniDriver.dll", "HTMD.dll"]),
        "dll_exists": int(rng.random() < 0.8), "crypto_provider": rng.choice(csp_names),
        "view": rng.choice(["64", "32"])} for i in range(60)])
    p11 = []
    for i in range(60):
        lib = rng.choice(["ShuttleCsp11_3000GM.dll", "mtoken_gm3000.dll", "WDPKCS.dll",
                          "HTPKCS11.dll", "NetcaSKF.dll", "libgm3000.1.0.so", "opensc-pkcs11.so"])
        status = rng.choice(["ok", "ok", "ok", "failed", "not_loaded", "timeout"])
        p11.append({"name": lib.split(".")[0], "path": "C:\\Windows\\System32\\" + lib,
                    "resolved_path": "C:\\Windows\\System32\\" + lib,
                    "file_exists": int(status != "failed" or rng.random() < 0.5),
                    "source": rng.choice(["registry", "catalog", "nss"]), "source_file": None,
                    "enabled": 1, "vendor": None, "manufacturer": None, "description": None,
                    "library_version": "2.%d" % rng.randint(0, 40), "cryptoki_version": "2.20",
                    "load_status": status,
                    "load_error": "C_Initialize: CKR_DEVICE_ERROR" if status == "failed" else
                    ("no answer in 5 s" if status == "timeout" else None)})
    counts["pkcs11_modules"] = ins("pkcs11_modules", p11)
    svc = []
    for i in range(150):
        name, disp = SERVICES[i] if i < len(SERVICES) else ("Svc%03d" % i, "Windows service %d" % i)
        svc.append({"name": name, "display_name": disp, "installed": 1,
                    "state": rng.choice(["running", "running", "stopped"]),
                    "start_type": rng.choice(["auto", "manual", "disabled"]),
                    "binary_path": "C:\\Windows\\System32\\svchost.exe -k %s" % name,
                    "detail": "QueryServiceStatusEx"})
    counts["services"] = ins("services", svc)
    net = []
    for target, url in PLATFORM_HOSTS:
        host = re.sub(r"^https?://([^/:]+).*$", r"\1", url)
        ok = rng.random() < 0.6
        net.append({"target": target, "url": url, "host": host,
                    "port": 443 if url.startswith("https") else 8002, "dns_ok": 1,
                    "address": "203.0.113.%d" % rng.randint(1, 254), "tcp_ok": int(ok),
                    "tls_ok": int(ok) if url.startswith("https") else None,
                    "tls_version": "TLSv1.2" if ok else None, "tls_cipher": None,
                    "cert_subject": "CN=" + host, "cert_issuer": "CN=GeoTrust CN RSA CA G1",
                    "cert_not_before": clock - 200 * DAY,
                    "cert_not_after": clock + rng.randint(-10, 300) * DAY,
                    "verify_ok": int(ok and rng.random() < 0.8), "verify_error": None,
                    "http_status": rng.choice([200, 200, 302, 502]) if ok else None,
                    "server_date": clock + rng.choice([0, 2, 5, 900]) if ok else None,
                    "failed_step": None if ok else "tcp",
                    "error": None if ok else "connection timed out", "elapsed_ms": rng.randint(20, 3000)})
    counts["network_checks"] = ins("network_checks", net)
    counts["probe_errors"] = ins("probe_errors", [{
        "probe": rng.choice(["windows.programs", "windows.certificates", "windows.csp",
                             "browsers.extensions", "usb.setupapi"]),
        "target": "HKEY_USERS\\S-1-5-21-%d\\Software" % rng.randint(1000, 9999),
        "code": rng.choice(["io", "denied", "parse", "timeout"]),
        "message": rng.choice(["拒绝访问。", "The system cannot find the file specified.",
                               "invalid JSON at offset %d" % rng.randint(1, 9999)])}
        for _ in range(100)])
    counts["probe_runs"] = ins("probe_runs", [{
        "probe": p, "status": "ok", "elapsed_ms": rng.randint(1, 900), "rows": 0, "detail": None}
        for p in ["windows.host", "windows.programs", "windows.certificates", "windows.csp",
                  "windows.minidrivers", "windows.pkcs11", "usb.setupapi", "windows.services",
                  "browsers.extensions", "net.platforms"]])
    db.commit()
    db.close()
    print(" ".join("%s=%d" % kv for kv in counts.items()))


# ---------------------------------------------------------------------------
# Rules
#
# Each family below returns the fields of one rule for a parameter; the
# generator walks the families round-robin, each with its own list of
# parameters, until the directory holds --total rules. Queries are written
# the way a rule author would: joins with catalogs, GROUP BY, LIKE,
# version_cmp(), basename(), list_has() and the host clock.

NOW = "(SELECT clock_utc FROM host)"


def sq(v):
    """v as the inside of an SQL string literal ("Xin'an" -> "Xin''an")."""
    return str(v).replace("'", "''")

BENCH_CATALOG = """\
Table: cat_bench_drivers
Description: Synthetic catalog written by scripts/bench_gen.py: driver
 products (LIKE pattern on programs.name) and the lowest version that works.
Columns: family, name_like, vendor, vendor_zh, min_version
Key: family, name_like
Required: family, name_like, vendor, min_version
"""


def bench_catalog():
    out = [BENCH_CATALOG]
    seen = set()
    for fam, name, pub, _ in DRIVERS:
        like = "%" + name.split(" ")[0] + "%"
        if (fam, like) in seen:
            continue
        seen.add((fam, like))
        out.append("family: %s\nname_like: %s\nvendor: %s\nvendor_zh: %s\nmin_version: %s\n"
                   % (fam, like, pub.split(" ")[0], pub, DRIVER_MIN[fam]))
    return "\n".join(out)


def f_cert_expiring(p):
    ca, days = p
    return dict(
        sev="warning", area="certificates", sym="cert_expired", lik=80,
        query=f"""SELECT subject_cn, subject_o, issuer_o, location, not_after,
       (not_after - {NOW}) / 86400 AS days_left
FROM certificates
WHERE issuer_o = '{ca}' AND has_private_key = 1
  AND not_after >= {NOW}
  AND not_after < {NOW} + {days}*86400
ORDER BY not_after""",
        tz=f"{CA_SHORT[ca]} 颁发的证书 {days} 天内到期",
        te=f"Certificates from {CA_SHORT[ca]} expire within {days} days",
        mz="{subject_o} 的证书 \"{subject_cn}\"({location})将在 {not_after:date} 到期,剩余 {days_left} 天。",
        me="Certificate \"{subject_cn}\" ({location}) expires on {not_after:date}, in {days_left} days.",
        fz="请在到期前登录 CA 网站办理证书延期。", fe="Renew the certificate with the CA before it expires.")


def f_cert_expired_by_org(p):
    ca, n = p
    return dict(
        sev="error", area="certificates", sym="cert_expired", lik=70,
        query=f"""SELECT subject_o, count(*) AS n, max(not_after) AS last_expiry,
       group_concat(DISTINCT location) AS locations
FROM certificates
WHERE issuer_o LIKE '%{CA_SHORT[ca]}%' AND not_after < {NOW} AND subject_o IS NOT NULL
GROUP BY subject_o
HAVING count(*) >= {n}
ORDER BY n DESC""",
        tz=f"同一单位有多张 {CA_SHORT[ca]} 证书已过期", te=f"Several expired {CA_SHORT[ca]} certificates of one company",
        mz="{subject_o} 有 {n} 张证书已过期(最近一张 {last_expiry:date} 到期),位置: {locations}。",
        me="{subject_o} holds {n} expired certificates (last expiry {last_expiry:date}).",
        fz="删除过期证书,或办理证书更新。", fe="Remove the expired certificates or renew them.")


def f_driver_too_old(fam):
    return dict(
        sev="warning", area="drivers", sym="cert_name_missing", lik=60,
        query=f"""SELECT p.name, p.version, p.source, d.min_version, d.vendor_zh
FROM programs p
JOIN cat_bench_drivers d ON p.name LIKE d.name_like
WHERE d.family = '{fam}' AND version_cmp(p.version, d.min_version) < 0""",
        tz=f"驱动版本过旧({fam})", te=f"Driver too old ({fam})",
        mz="{vendor_zh} 的 {name} 版本 {version} 低于要求的 {min_version}。",
        me="{name} {version} is older than the required {min_version}.",
        fz="卸载旧版本后安装 CA 网站提供的最新驱动。", fe="Uninstall it and install the current driver.")


def f_platform_driver(plat):
    return dict(
        sev="error", area="drivers", sym="renewal_no_response", lik=75,
        query=f"""SELECT pl.name_zh, pl.name_en, pl.driver_min_version, p.name, p.version
FROM cat_platforms pl
JOIN programs p ON p.name LIKE '%互联互通%'
WHERE pl.id = '{plat}' AND pl.driver_min_version IS NOT NULL
  AND version_cmp(p.version, pl.driver_min_version) < 0""",
        tz=f"{plat} 平台需要更新的互联互通驱动", te=f"{plat} needs a newer interop driver",
        mz="{name_zh} 要求驱动版本不低于 {driver_min_version},本机装的 {name} 是 {version}。",
        me="{name_en} needs {driver_min_version} or later; {name} {version} is installed.",
        fz="下载并安装最新版驱动。", fe="Install the current driver.")


def f_token_problem(p):
    vendor, code = p
    return dict(
        sev="error", area="tokens", sym="cert_name_missing", lik=85,
        query=f"""SELECT u.vid, u.pid, u.instance_id, u.problem_code,
       coalesce(t.vendor_zh, t.vendor) AS vendor_zh, t.middleware
FROM usb_devices u
JOIN cat_tokens t ON t.vid = u.vid AND (t.pid = '*' OR t.pid = u.pid)
WHERE u.present = 1 AND u.problem_code = {code} AND t.vendor LIKE '{sq(vendor)}%'""",
        tz=f"{vendor} USB Key 设备异常(代码 {code})", te=f"{vendor} token has device problem {code}",
        mz="{vendor_zh} 的 USB Key ({vid}:{pid}) 设备状态异常,代码 {problem_code}。需要的驱动: {middleware}",
        me="Token {vid}:{pid} ({instance_id}) reports problem code {problem_code}.",
        fz="重新安装该 USB Key 的驱动后重新插拔。", fe="Reinstall the token driver and re-plug it.")


def f_token_no_middleware(p):
    vendor, kw = p
    return dict(
        sev="error", area="drivers", sym="cert_name_missing", lik=80,
        query=f"""SELECT u.vid, u.pid, coalesce(t.vendor_zh, t.vendor) AS vendor_zh, t.middleware
FROM usb_devices u
JOIN cat_tokens t ON t.vid = u.vid AND (t.pid = '*' OR t.pid = u.pid)
WHERE u.present = 1 AND t.vendor = '{sq(vendor)}'
  AND NOT EXISTS (SELECT 1 FROM programs p
                  WHERE p.publisher LIKE '%{kw}%' OR p.name LIKE '%{kw}%')""",
        tz=f"插着 {vendor} 的 USB Key 但没装驱动", te=f"A {vendor} token without its middleware",
        mz="插着 {vendor_zh} 的 USB Key({vid}:{pid}),但没有找到它的驱动({middleware})。",
        me="A {vid}:{pid} token is present but none of its middleware ({middleware}) is installed.",
        fz="安装 USB Key 发放单位提供的驱动。", fe="Install the middleware the issuer ships.")


def f_duplicate_versions(pub):
    return dict(
        sev="warning", area="drivers", sym="cert_name_missing", lik=50,
        query=f"""SELECT name, count(DISTINCT version) AS versions,
       group_concat(DISTINCT version) AS list, group_concat(DISTINCT source) AS sources
FROM programs
WHERE publisher LIKE '%{pub}%'
GROUP BY name
HAVING count(DISTINCT version) > 1""",
        tz=f"同一驱动装了多个版本({pub})", te=f"Several versions of one driver ({pub})",
        mz="{name} 同时装了 {versions} 个版本: {list}。", me="{name}: {versions} versions installed ({list}, {sources}).",
        fz="卸载旧版本,只保留最新版。", fe="Uninstall the old versions.")


def f_csp_missing(view):
    return dict(
        sev="error", area="drivers", sym="cert_name_missing", lik=65,
        query=f"""SELECT c.name, c.image_resolved, c.view, coalesce(t.vendor_zh, t.vendor) AS vendor_zh
FROM csp c
JOIN cat_tokens t ON list_has(t.csp_names, c.name)
WHERE c.image_exists = 0 AND c.view = '{view}'""",
        tz=f"加密服务提供者(CSP)文件丢失({view} 位)", te=f"CSP DLL missing ({view}-bit view)",
        mz="{vendor_zh} 的 CSP \"{name}\" 指向的 {image_resolved} 不存在。",
        me="CSP \"{name}\" points to {image_resolved}, which does not exist.",
        fz="重新安装驱动。", fe="Reinstall the driver.")


def f_extension_disabled(p):
    browser, kw = p
    return dict(
        sev="warning", area="browsers", sym="renewal_no_response", lik=70,
        query=f"""SELECT browser, user, name, version, coalesce(disable_reasons, '-') AS reasons
FROM browser_extensions
WHERE browser = '{browser}' AND name LIKE '%{kw}%' AND enabled = 0""",
        tz=f"浏览器扩展被禁用({browser}: {kw})", te=f"Browser extension disabled ({browser}: {kw})",
        mz="{user} 的 {browser} 中扩展 \"{name}\" {version} 被禁用(原因 {reasons})。",
        me="{browser} of {user}: \"{name}\" {version} is disabled ({reasons}).",
        fz="在浏览器扩展管理页面启用它。", fe="Enable it on the browser's extensions page.")


def f_service_stopped(name):
    return dict(
        sev="error", area="system", sym="cert_name_missing", lik=75,
        query=f"""SELECT name, display_name, state, start_type
FROM services
WHERE name = '{name}' AND installed = 1 AND state <> 'running'""",
        tz=f"服务 {name} 没有运行", te=f"Service {name} is not running",
        mz="服务 \"{display_name}\" 的状态是 {state}(启动类型 {start_type})。",
        me="Service {display_name} is {state} (start type {start_type}).",
        fz="启动这个服务。", fe="Start the service.", repair="service_start name={name}")


def f_cert_token_absent(alg):
    return dict(
        sev="info", area="tokens", sym="cert_name_missing", lik=30,
        query=f"""SELECT c.subject_cn, c.issuer_o, c.location, c.token_serial
FROM certificates c
WHERE c.source = 'pkcs11' AND c.key_alg = '{alg}'
  AND NOT EXISTS (SELECT 1 FROM usb_devices u
                  WHERE u.present = 1 AND u.serial = c.token_serial)""",
        tz=f"{alg} 证书所在的 USB Key 没有插着", te=f"The token holding an {alg} certificate is absent",
        mz="证书 \"{subject_cn}\" 在 USB Key {location} 上,但这把锁现在没有插着。",
        me="\"{subject_cn}\" lives on token {location}, which is not plugged in.",
        fz="插上对应的 USB Key。", fe="Plug in the token.")


def f_cert_provider_missing(ca):
    return dict(
        sev="warning", area="certificates", sym="decrypt_fail", lik=55,
        query=f"""SELECT c.subject_cn, c.provider, c.container
FROM certificates c
LEFT JOIN csp p ON p.name = c.provider
WHERE c.source = 'store' AND c.provider IS NOT NULL AND p.name IS NULL
  AND c.issuer_o = '{ca}'""",
        tz=f"证书关联的 CSP 没有登记({CA_SHORT[ca]})", te=f"Certificate provider not registered ({CA_SHORT[ca]})",
        mz="证书 \"{subject_cn}\" 的私钥由 \"{provider}\" 提供,但系统中没有登记这个 CSP。",
        me="\"{subject_cn}\" uses provider \"{provider}\", which is not registered.",
        fz="安装该 CSP 对应的驱动。", fe="Install the driver that provides it.")


def f_cert_duplicates(p):
    alg, n = p
    return dict(
        sev="info", area="certificates", sym="cert_name_missing", lik=35,
        query=f"""SELECT subject_cn, issuer_o, count(*) AS copies,
       group_concat(location, '; ') AS locations
FROM certificates
WHERE key_alg = '{alg}' AND not_after > {NOW}
GROUP BY subject_cn, issuer_o
HAVING count(*) > {n}""",
        tz=f"同一证书存在多份副本({alg})", te=f"Duplicate certificates ({alg})",
        mz="\"{subject_cn}\" 有 {copies} 份: {locations}。", me="\"{subject_cn}\": {copies} copies ({locations}).",
        fz="删除多余的副本。", fe="Remove the extra copies.")


def f_uninstall_broken(pub):
    return dict(
        sev="info", area="drivers", sym="cert_name_missing", lik=30,
        query=f"""SELECT name, version, key, source
FROM programs
WHERE publisher LIKE '%{pub}%'
  AND (uninstall_string IS NULL OR uninstall_string = '')
  AND system_component IS NOT 1""",
        tz=f"驱动的卸载信息不完整({pub})", te=f"Driver entry without an uninstaller ({pub})",
        mz="{name} {version} 没有卸载命令,无法从控制面板卸载。", me="{name} {version} has no uninstall command.",
        fz="清理这条残留登记后重新安装。", fe="Remove the stale entry and reinstall.",
        repair="program_uninstall key={key} source={source}")


def f_p11_load(status):
    return dict(
        sev="warning", area="drivers", sym="cert_name_missing", lik=55,
        query=f"""SELECT m.name, m.path, coalesce(m.load_error, '-') AS load_error,
       coalesce(l.vendor_zh, l.vendor, '?') AS vendor_zh
FROM pkcs11_modules m
LEFT JOIN cat_pkcs11_libs l ON basename(m.path) GLOB l.pattern
WHERE m.load_status = '{status}'""",
        tz=f"PKCS#11 模块加载结果: {status}", te=f"PKCS#11 module load status {status}",
        mz="{vendor_zh} 模块 {name}({path})加载结果异常: {load_error}。",
        me="Module {name} ({path}): {load_error}.",
        fz="重新安装驱动。", fe="Reinstall the middleware.")


def f_server_cert(days):
    return dict(
        sev="info", area="network", sym="blank_page", lik=20,
        query=f"""SELECT c.target, c.host, coalesce(p.name_zh, c.target) AS name_zh, c.cert_not_after
FROM network_checks c
LEFT JOIN cat_platforms p ON p.id = c.target
WHERE c.cert_not_after < {NOW} + {days}*86400""",
        tz=f"平台网站证书 {days} 天内到期", te=f"Platform server certificate expires within {days} days",
        mz="{name_zh}({host})的网站证书 {cert_not_after:date} 到期。",
        me="The certificate of {host} expires on {cert_not_after:date}.",
        fz="无需处理,告知平台。", fe="Nothing to do here; tell the platform.")


def f_renewal_window(p):
    plat, ca = p
    return dict(
        sev="info", area="certificates", sym="cert_expired", lik=45,
        query=f"""SELECT c.subject_cn, c.subject_o, pl.name_zh, pl.renewal_days,
       (c.not_after - h.clock_utc) / 86400 AS days_left
FROM certificates c, host h
JOIN cat_platforms pl ON pl.id = '{plat}'
WHERE pl.renewal_days IS NOT NULL AND c.issuer_o = '{ca}' AND c.has_private_key = 1
  AND c.not_after BETWEEN h.clock_utc AND h.clock_utc + pl.renewal_days * 86400""",
        tz=f"可以在 {plat} 办理证书延期", te=f"Renewal is open on {plat}",
        mz="\"{subject_cn}\" 还剩 {days_left} 天到期,{name_zh} 已开放延期(到期前 {renewal_days} 天)。",
        me="\"{subject_cn}\" expires in {days_left} days; {name_zh} renews in the last {renewal_days} days.",
        fz="登录平台办理延期。", fe="Renew on the platform.")


CA_ORGS = [c[0] for c in CAS]
PUBS = ["辽宁数字证书", "龙脉", "飞天", "Feitian", "Watchdata", "海泰", "北京数字认证",
        "China Financial", "数安时代", "电子商务认证", "文鼎创", "明华", "阳光采购", "NoSuchVendor"]

FAMILIES = [
    (f_cert_expiring, [(ca, d) for d in (7, 15, 30, 60, 90, 180) for ca in CA_ORGS]),
    (f_cert_expired_by_org, [(ca, n) for n in (2, 3) for ca in CA_ORGS]),
    (f_driver_too_old, list(DRIVER_MIN) + ["nosuchfamily"]),
    (f_platform_driver, ["lnwlzb", "ccgp_liaoning", "sunshine", "ebnew"]),
    (f_token_problem, [(t, c) for c in (28, 10, 43) for t in
                       ("Feitian", "Watchdata", "HaiTai", "Longmai", "Linguo", "NETCA", "Excelsecu", "Mingwah")]),
    (f_token_no_middleware, [("Feitian", "飞天"), ("Watchdata", "Watchdata"), ("HaiTai", "海泰"),
                             ("Longmai", "龙脉"), ("Linguo (BJCA)", "林果"), ("NETCA", "NETCA"),
                             ("Excelsecu", "文鼎创"), ("Mingwah", "明华"),
                             ("Zhongtian Xin'an (BJCA)", "中天信安")]),
    (f_duplicate_versions, PUBS),
    (f_csp_missing, ["64", "32"]),
    (f_extension_disabled, [(b, k) for b in ("chrome", "edge", "firefox", "360se")
                            for k in ("CFCA", "BJCA", "互联互通", "签章", "GDCA")]),
    (f_service_stopped, [s[0] for s in SERVICES] + ["NoSuchSvc"]),
    (f_cert_token_absent, ["SM2", "RSA", "EC"]),
    (f_cert_provider_missing, CA_ORGS),
    (f_cert_duplicates, [(a, n) for a in ("SM2", "RSA") for n in (1, 2)]),
    (f_uninstall_broken, PUBS),
    (f_p11_load, ["failed", "timeout", "crashed"]),
    (f_server_cert, [15, 30, 90]),
    (f_renewal_window, [(p, ca) for p in ("ebnew", "lnca_online") for ca in CA_ORGS]),
]


def stanza(rid, r):
    def block(name, text):  # multi-line field: continuation lines indented
        return name + ":\n" + "".join(" " + ln + "\n" for ln in text.splitlines())
    s = [f"Rule: {rid}", f"Severity: {r['sev']}", f"Area: {r['area']}", "OS: windows",
         f"Symptoms: {r['sym']}", f"Likelihood: {r['lik']}"]
    out = "\n".join(s) + "\n" + block("Query", r["query"])
    out += (f"Title-zh: {r['tz']}\nTitle-en: {r['te']}\nMessage-zh: {r['mz']}\n"
            f"Message-en: {r['me']}\nFix-zh: {r['fz']}\nFix-en: {r['fe']}\n")
    if r.get("repair"):
        out += block("Repair", r["repair"])
    return out


def gen_rules(args):
    if os.path.exists(args.out):
        shutil.rmtree(args.out)
    shutil.copytree(args.src, args.out)
    existing = 0
    for root, _, files in os.walk(args.out):
        for fn in files:
            if fn.endswith(".rules"):
                with open(os.path.join(root, fn), encoding="utf-8") as f:
                    existing += sum(1 for ln in f if ln.startswith("Rule:"))
    need = max(0, args.total - existing)
    bench = os.path.join(args.out, "bench")
    os.makedirs(bench)
    with open(os.path.join(bench, "bench_drivers.cat"), "w", encoding="utf-8") as f:
        f.write(bench_catalog())
    # round-robin over the families, one parameter each turn
    made, idx, files = 0, [0] * len(FAMILIES), {}
    while made < need:
        progress = False
        for i, (fn, params) in enumerate(FAMILIES):
            if made >= need:
                break
            if idx[i] >= len(params):
                continue
            r = fn(params[idx[i]])
            rid = "bench.%s_%03d" % (fn.__name__[2:], idx[i])
            idx[i] += 1
            files.setdefault(fn.__name__[2:], []).append(stanza(rid, r))
            made += 1
            progress = True
        if not progress:
            sys.exit("bench_gen.py: only %d synthetic rules available, %d needed" % (made, need))
    for name, stanzas in files.items():
        with open(os.path.join(bench, name + ".rules"), "w", encoding="utf-8") as f:
            f.write("# Synthetic benchmark rules (scripts/bench_gen.py). Not shipped.\n\n")
            f.write("\n".join(stanzas))
    print("existing=%d synthetic=%d total=%d" % (existing, made, existing + made))


def findings(args):
    with open(args.json, encoding="utf-8") as f:
        rep = json.load(f)
    s = rep.get("summary", {})
    print(len(rep.get("findings", [])), s.get("errors", 0), s.get("warnings", 0),
          s.get("infos", 0), len(rep.get("rule_errors", [])), s.get("rules_evaluated", 0))


def rulecost(args):
    """Maps callgrind dumps (one after each eval_rule call) to rule ids.

    cadoctor evaluates rules in compile order: files sorted by name, walked
    depth first (cd_list_dir sorts), stanzas in file order, skipping rules
    whose OS is neither "any" nor the snapshot's."""
    order = []
    def walk(d):
        for n in sorted(os.listdir(d)):
            p = os.path.join(d, n)
            if os.path.isdir(p) and not n.startswith("."):
                walk(p)
            elif n.endswith(".rules"):
                with open(p, encoding="utf-8") as f:
                    for ln in f:
                        if ln.startswith("Rule:"):
                            order.append([ln.split(":", 1)[1].strip(), "any"])
                        elif ln.startswith("OS:") and order:
                            order[-1][1] = ln.split(":", 1)[1].strip()
    walk(args.rules)
    evaluated = [r for r, o in order if o in ("any", args.os)]
    dumps = {}
    for fn in os.listdir(args.cgdir):
        m = re.search(r"\.(\d+)$", fn)
        if not m:
            continue
        with open(os.path.join(args.cgdir, fn)) as f:
            for ln in f:
                if ln.startswith(("totals:", "summary:")):
                    dumps[int(m.group(1))] = int(ln.split()[1])
    keys = sorted(dumps)
    if len(keys) < len(evaluated):
        sys.exit("rulecost: %d dumps for %d rules (was eval_rule inlined?)"
                 % (len(keys), len(evaluated)))
    # The first dump also holds start-up, load and compile: leave it out.
    costs = [(dumps[k], rid) for k, rid in zip(keys, evaluated)][1:]
    total = sum(c for c, _ in costs) or 1
    fams = {}
    for c, rid in costs:
        fam = re.sub(r"_\d+$", "", rid)
        fams[fam] = fams.get(fam, 0) + c
    print("instructions  share  rule (rules 2..%d; the first is not separable)" % len(evaluated))
    for c, rid in sorted(costs, reverse=True)[:args.top]:
        print("%12d %5.1f%%  %s" % (c, 100.0 * c / total, rid))
    print("instructions  share  rule family")
    for fam, c in sorted(fams.items(), key=lambda kv: -kv[1])[:args.top]:
        print("%12d %5.1f%%  %s" % (c, 100.0 * c / total, fam))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("snapshot")
    p.add_argument("--schema", required=True)
    p.add_argument("--tokens", required=True, help="rules/catalog/tokens.cat")
    p.add_argument("--clock", type=int, default=0, help="host clock (default: now)")
    p.add_argument("out")
    p.set_defaults(fn=gen_snapshot)
    p = sub.add_parser("rules")
    p.add_argument("--src", required=True)
    p.add_argument("--total", type=int, default=200)
    p.add_argument("out")
    p.set_defaults(fn=gen_rules)
    p = sub.add_parser("findings")
    p.add_argument("json")
    p.set_defaults(fn=findings)
    p = sub.add_parser("rulecost")
    p.add_argument("--rules", required=True)
    p.add_argument("--os", default="windows")
    p.add_argument("--top", type=int, default=12)
    p.add_argument("cgdir")
    p.set_defaults(fn=rulecost)
    a = ap.parse_args()
    a.fn(a)


if __name__ == "__main__":
    main()
