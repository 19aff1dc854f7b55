#!/usr/bin/env python3
"""Drives real browsers for the browser integration tests, the way a user's
clicks would, and reads cadoctor's JSON result. Standard library only.

  browser_tool.py cdp ACTION EXT_ID -- CHROMIUM ARGS...
      Runs Chromium with --remote-debugging-pipe, opens chrome://extensions
      and calls the page's own API: ACTION is "disable" (the toggle: user
      action), "incognito" (developer mode on, then "Allow in Incognito"),
      or "list"; or opens chrome://policy and asks it for the loaded
      policies ("policy", EXT_ID unused). Prints the result.
  browser_tool.py marionette PROFILE_DIR SCRIPT_FILE [ARG...]
      Runs Firefox (FIREFOX, default firefox-esr) headless on the profile with
      Marionette, and runs SCRIPT_FILE as privileged async script (arguments
      ARG..., the callback last). Prints the value it resolves with.
  browser_tool.py xpi SOURCE_DIR OUT.xpi
      Zips an extension folder into an XPI.
  browser_tool.py evidence REPORT.json RULE [COL=VALUE...]
      Prints how many evidence rows of RULE's finding have every COL=VALUE
      (0 when the rule did not fire).
"""
import json
import os
import socket
import subprocess
import sys
import time
import zipfile


def die(msg):
    print("browser_tool: " + msg, file=sys.stderr)
    sys.exit(1)


class Pipe:
    """Chrome DevTools protocol over --remote-debugging-pipe: NUL-separated
    JSON on the browser's fd 3 (commands) and fd 4 (replies)."""

    def __init__(self, argv):
        self.proc = subprocess.Popen(
            ["bash", "-c", 'exec "$@" 3<&0 4>&1 </dev/null >/dev/null', "_"] + argv + ["--remote-debugging-pipe"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.n = 0
        self.buf = b""

    def send(self, method, params=None, session=None):
        self.n += 1
        msg = {"id": self.n, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        self.proc.stdin.write(json.dumps(msg).encode() + b"\0")
        self.proc.stdin.flush()
        while True:
            while b"\0" not in self.buf:
                chunk = self.proc.stdout.read1(65536)
                if not chunk:
                    die("the browser closed the DevTools pipe")
                self.buf += chunk
            raw, self.buf = self.buf.split(b"\0", 1)
            reply = json.loads(raw)
            if reply.get("id") == self.n:
                if "error" in reply:
                    die(method + ": " + json.dumps(reply["error"]))
                return reply.get("result", {})

    def close(self):
        try:
            self.send("Browser.close")
        except SystemExit:
            pass
        try:
            self.proc.wait(60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def cdp(action, ext_id, argv):
    scripts = {
        "disable": "chrome.management.setEnabled(%s, false).then(() => 'disabled')",
        "incognito": "chrome.developerPrivate.updateProfileConfiguration({inDeveloperMode: true})"
                     ".then(() => chrome.developerPrivate.updateExtensionConfiguration("
                     "{extensionId: %s, incognitoAccess: true})).then(() => 'incognito allowed')",
        "list": "chrome.management.getAll().then(a => JSON.stringify(a.map(x => [x.id, x.name, x.enabled])))",
        # chrome://policy's own call: the policies the browser loaded, by source.
        "policy": "import('chrome://resources/js/cr.js').then(m => new Promise((ok, fail) => {"
                  " m.addWebUiListener('policies-updated', (names, values) => ok(JSON.stringify(values)));"
                  " chrome.send('listenPoliciesUpdates');"
                  " setTimeout(() => fail('no policies-updated event'), 30000); }))",
    }
    if action not in scripts:
        die("unknown action " + action)
    expr = scripts[action].replace("%s", json.dumps(ext_id))
    pipe = Pipe(argv)
    page = "chrome://policy" if action == "policy" else "chrome://extensions"
    target = pipe.send("Target.createTarget", {"url": page})
    session = pipe.send("Target.attachToTarget", {"targetId": target["targetId"], "flatten": True})["sessionId"]
    # The page's API objects exist once the document has loaded.
    for _ in range(100):
        ready = pipe.send("Runtime.evaluate", {"expression": "document.readyState", "returnByValue": True}, session)
        if ready.get("result", {}).get("value") == "complete":
            break
        time.sleep(0.1)
    result = pipe.send("Runtime.evaluate", {"expression": expr, "awaitPromise": True, "returnByValue": True}, session)
    pipe.close()
    if "exceptionDetails" in result:
        die("script failed: " + json.dumps(result["exceptionDetails"]))
    print(result.get("result", {}).get("value"))


def recv_packet(sock, state):
    while b":" not in state[0]:
        chunk = sock.recv(65536)
        if not chunk:
            die("Marionette closed the connection")
        state[0] += chunk
    size, rest = state[0].split(b":", 1)
    size = int(size)
    while len(rest) < size:
        chunk = sock.recv(65536)
        if not chunk:
            die("Marionette closed the connection")
        rest += chunk
    state[0] = rest[size:]
    return json.loads(rest[:size])


def marionette(profile, script_file, args):
    firefox = os.environ.get("FIREFOX", "firefox-esr")
    with open(script_file, encoding="utf-8") as f:
        script = f.read()
    with open(os.path.join(profile, "user.js"), "a", encoding="utf-8") as f:
        # Port 0: Marionette picks a free one and writes MarionetteActivePort.
        # Unsigned add-ons: ESR honours xpinstall.signatures.required.
        f.write('user_pref("marionette.port", 0);\n'
                'user_pref("xpinstall.signatures.required", false);\n'
                'user_pref("browser.shell.checkDefaultBrowser", false);\n'
                'user_pref("datareporting.policy.dataSubmissionEnabled", false);\n')
    port_file = os.path.join(profile, "MarionetteActivePort")
    if os.path.exists(port_file):
        os.unlink(port_file)
    log = open(os.path.join(os.path.dirname(profile.rstrip("/")), "firefox-marionette.log"), "a")
    proc = subprocess.Popen([firefox, "--headless", "--marionette", "-remote-allow-system-access", "--no-remote",
                             "--profile", profile], stdout=log, stderr=log)
    try:
        port = None
        for _ in range(1200):
            try:
                with open(port_file) as f:
                    port = int(f.read().strip())
                break
            except (FileNotFoundError, ValueError):
                if proc.poll() is not None:
                    die("Firefox exited early (%d)" % proc.returncode)
                time.sleep(0.1)
        if port is None:
            die("Marionette did not start")
        sock = socket.create_connection(("127.0.0.1", port), timeout=120)
        state = [b""]
        recv_packet(sock, state)  # hello
        counter = [0]

        def command(name, params):
            counter[0] += 1
            data = json.dumps([0, counter[0], name, params]).encode()
            sock.sendall(str(len(data)).encode() + b":" + data)
            reply = recv_packet(sock, state)
            if reply[2]:
                die(name + ": " + json.dumps(reply[2]))
            return reply[3]

        command("WebDriver:NewSession", {})
        command("Marionette:SetContext", {"value": "chrome"})
        value = command("WebDriver:ExecuteAsyncScript", {"script": script, "args": args, "scriptTimeout": 60000})
        try:
            command("Marionette:Quit", {})
        except SystemExit:
            pass
        print(value.get("value") if isinstance(value, dict) else value)
    finally:
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def xpi(src, out):
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for root, _dirs, files in os.walk(src):
            for name in sorted(files):
                path = os.path.join(root, name)
                z.write(path, os.path.relpath(path, src))


def evidence(report, rule, pairs):
    with open(report, encoding="utf-8") as f:
        doc = json.load(f)
    want = [p.split("=", 1) for p in pairs]
    count = 0
    for finding in doc.get("findings", []):
        if finding["rule"] != rule:
            continue
        cols = finding["evidence"]["columns"]
        for row in finding["evidence"]["rows"]:
            cells = dict(zip(cols, row))
            if all(str(cells.get(k)) == v for k, v in want):
                count += 1
    print(count)


def main():
    if len(sys.argv) < 2:
        die(__doc__)
    cmd = sys.argv[1]
    if cmd == "cdp" and len(sys.argv) > 5 and sys.argv[4] == "--":
        cdp(sys.argv[2], sys.argv[3], sys.argv[5:])
    elif cmd == "marionette" and len(sys.argv) >= 4:
        marionette(sys.argv[2], sys.argv[3], sys.argv[4:])
    elif cmd == "xpi" and len(sys.argv) == 4:
        xpi(sys.argv[2], sys.argv[3])
    elif cmd == "evidence" and len(sys.argv) >= 4:
        evidence(sys.argv[2], sys.argv[3], sys.argv[4:])
    else:
        die(__doc__)


if __name__ == "__main__":
    main()
