#!/usr/bin/env python3
"""Checks one Wine test machine: text facts and scan JSON against expected.txt.

usage: check_machine.py EXPECTED FACTS.txt SCAN.json EXIT_STATUS
Prints one line per failed expectation and a summary; exit 1 on failure."""
import json
import re
import sys


def stanzas(path):
    """Parses the stanza format (the same one cadoctor reads)."""
    out, cur, last = [], {}, None
    for raw in open(path, encoding="utf-8"):
        line = raw.rstrip("\r\n")
        if not line.strip():
            if cur:
                out.append(cur)
            cur, last = {}, None
            continue
        if line.startswith("#"):
            continue
        if line[0] in " \t" and last:
            cur[last] += "\n" + ("" if line.strip() == "." else line.strip())
            continue
        name, _, value = line.partition(":")
        last = name.strip().lower()
        value = value.strip()
        if last != "table" and " #" in value:
            value = value.split(" #", 1)[0].strip()
        cur[last] = value
    if cur:
        out.append(cur)
    return out


def pairs(text):
    # A comma separates pairs only before the next "name=": values may be
    # JSON with commas of their own.
    result = {}
    for item in re.split(r",\s*(?=[A-Za-z_][A-Za-z0-9_]*=)", text):
        if "=" in item:
            k, _, v = item.partition("=")
            result[k.strip()] = v.strip()
    return result


def matches(row, want):
    return all(row.get(k, "NULL") == v for k, v in want.items())


def main():
    expected, facts_path, scan_path, status = sys.argv[1:5]
    facts = [s for s in stanzas(facts_path) if "table" in s]
    scan = json.load(open(scan_path, encoding="utf-8"))
    findings = {f["rule"]: f for f in scan["findings"]}
    failed = passed = 0

    def fail(msg):
        nonlocal failed
        failed += 1
        print("FAIL: " + msg)

    for exp in stanzas(expected):
        if "finding" in exp:
            rule = exp["finding"]
            f = findings.get(rule)
            if not f:
                fail(f"finding {rule} missing (got {sorted(findings)})")
                continue
            if "rows" in exp and int(exp["rows"]) != f["evidence"]["total_rows"]:
                fail(f"finding {rule}: {f['evidence']['total_rows']} rows, expected {exp['rows']}")
                continue
            if "evidence" in exp:
                want = pairs(exp["evidence"])
                cols = f["evidence"]["columns"]
                rows = [{c: ("NULL" if v is None else str(v)) for c, v in zip(cols, r)}
                        for r in f["evidence"]["rows"]]
                if not any(matches(r, want) for r in rows):
                    fail(f"finding {rule}: no evidence row has {want}: {rows}")
                    continue
            if "message-zh" in exp:
                zh = f["messages"]["zh-CN"]
                if not any(exp["message-zh"] in m for m in zh):
                    fail(f"finding {rule}: no zh-CN message contains {exp['message-zh']!r}: {zh}")
                    continue
            passed += 1
        elif "fact" in exp:
            table = exp["fact"]
            where = pairs(exp.get("where", ""))
            rows = [s for s in facts if s["table"] == table and matches(s, where)]
            if "count" in exp and len(rows) != int(exp["count"]):
                fail(f"fact {table} {where}: {len(rows)} rows, expected {exp['count']}")
                continue
            if "count" not in exp and not rows:
                fail(f"fact {table} {where}: no such row")
                continue
            want = pairs(exp.get("expect", ""))
            bad = [r for r in rows if not matches(r, want)]
            if bad:
                fail(f"fact {table} {where}: expected {want}, got {bad[0]}")
                continue
            passed += 1
        if "absent" in exp:
            for rule in [r.strip() for r in exp["absent"].split(",") if r.strip()]:
                if rule in findings:
                    fail(f"finding {rule} must not appear")
                else:
                    passed += 1
        if "exit" in exp:
            if str(exp["exit"]) != status:
                fail(f"scan exit status {status}, expected {exp['exit']}")
            else:
                passed += 1
    for e in scan.get("probe_errors", []):
        print(f"  probe error: {e['probe']} {e.get('target', '')}: {e['message']}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
