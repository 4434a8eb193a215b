"""Runs the hostile scenarios against examples/client and judges each one.

    python runner.py --client PATH --pki DIR [--jobs N] [--verbose] [NAME ...]
    python runner.py --list | --check-doc MD | --write-doc MD

For each scenario: the scripted server (server.py) listens on an ephemeral loopback port,
the client connects to it, and the verdict checks
  1. the first alert the client sent, and the key it was protected under;
  2. that no application data came from the client (after its request, for scenarios that
     attack a finished handshake);
  3. that the client exited with failure (or success, for `ok` scenarios);
  4. that it did not panic (and, where set, that its peak memory stayed under a bound).
One line per scenario, then `N passed, N failed`; the exit status is 1 on any failure.
"""

import argparse
import concurrent.futures
import os
import subprocess
import sys
import tempfile
import threading
import time

import server
from scenarios import SCENARIOS

CLIENT_TIMEOUT = 5  # seconds the client waits for the server's next bytes


def run_one(sc, client, pki):
    """Runs scenario `sc`: its server on a thread, the client as a process; the verdict."""
    ready = threading.Event()
    box = {}

    def on_ready(port):
        box["port"] = port
        ready.set()

    def on_done(sessions, error):
        box["sessions"] = sessions
        box["error"] = error

    def script(s, *number):
        s.read_client_hello()
        sc.script(s, *number)
        if not sc.hold and not s.eof.wait(1.0):
            try:
                s.sock.shutdown(1)
            except OSError:
                pass

    t = threading.Thread(target=server.serve,
                         args=(pki, script, on_ready, on_done, sc.connections), daemon=True)
    t.start()
    ready.wait(10)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        cmd = [client, "--connect", "127.0.0.1:%d" % box["port"], "--ca", pki.ca,
               "--server-name", "hostile.test", "--timeout", str(CLIENT_TIMEOUT)] + sc.args
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        killer = threading.Timer(40, proc.kill)
        killer.start()
        peak = {"kb": 0, "running": True}
        watcher = threading.Thread(target=watch_peak_memory, args=(proc.pid, peak), daemon=True)
        watcher.start()
        _, status, _ = os.wait4(proc.pid, 0)
        peak["running"] = False
        killer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    t.join(30)
    return judge(sc, proc.returncode, stdout, stderr, peak["kb"] / 1024, box)


def watch_peak_memory(pid, peak):
    """The client's peak resident memory (VmHWM), read while it runs.

    Not ru_maxrss: a child forked from this process starts with this process's high-water
    mark, so it would measure the runner, not the client.
    """
    while peak["running"]:
        try:
            with open("/proc/%d/status" % pid) as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        peak["kb"] = max(peak["kb"], int(line.split()[1]))
        except (OSError, ValueError):
            pass
        time.sleep(0.02)


def judge(sc, code, stdout, stderr, rss_mb, box):
    problems = []
    if box.get("error"):
        problems.append(box["error"])
    sessions = box.get("sessions") or []
    if len(sessions) < sc.connections:
        problems.append("the client made %d of %d connections" % (len(sessions), sc.connections))
        return problems, "?", stderr
    s = sessions[-1]
    recs = s.client_records()
    alerts = [(detail, key) for what, detail, key, _ in recs if what == "alert"]
    seen = alerts[0] if alerts else None
    if "panicked" in stderr or code == 101:
        problems.append("the client panicked")
    if sc.max_rss_mb is not None and rss_mb > sc.max_rss_mb:
        problems.append("peak memory %.0f MB > %d MB" % (rss_mb, sc.max_rss_mb))
    opaque = [r for r in recs if r[0] in ("opaque", "partial") or r[0].startswith("inner-type")]
    if opaque:
        problems.append("records the server could not read: %s" % opaque[:3])
    key_updates = [r for r in recs if r[0] == "handshake" and "18" in r[1].split(",")]
    if sc.client_key_update and not key_updates:
        problems.append("the client sent no KeyUpdate of its own (RFC 9846 §4.7.3)")
    if sc.ok:
        if code != 0:
            problems.append("the client failed (exit %s): %s" % (code, stderr.strip()[-300:]))
        if "hostile ok" not in stdout:
            problems.append("the client did not print the response")
        if sc.output and sc.output not in stderr:
            problems.append("the client did not print %r" % sc.output)
        bad = [a for a in alerts if a[0] != "close_notify"]
        if bad:
            problems.append("the client sent alert %s under %s" % bad[0])
    else:
        if sc.post_handshake and "request" not in s.marks:
            problems.append("the client sent no request, so the attack never ran")
        mark = s.marks.get("request", 0)
        # 0-RTT data goes out before any server message, so it cannot be a reaction to one.
        data = [r for r in recs if r[0] == "appdata" and r[3] > mark and r[2] != "early"]
        if data:
            problems.append("the client sent application data: %s" % (data[:2],))
        if code == 0:
            problems.append("the client exited 0 (it accepted the connection)")
        if sc.alert is None:
            if alerts:
                problems.append("expected no alert, the client sent %s under %s" % seen)
        elif seen is None:
            problems.append("expected %s, the client sent no alert" % sc.alert)
        elif seen[0] != sc.alert or not seen[1].startswith(sc.key):
            problems.append("expected %s under %s, the client sent %s under %s"
                            % (sc.alert, sc.key, seen[0], seen[1]))
    if problems and s.stopped:
        problems.append("(the server's script stopped early: %s)" % s.stopped)
    got = "%s/%s" % seen if seen else "none"
    if sc.max_rss_mb is not None:
        got += " %.0fMB" % rss_mb
    return problems, got, stderr


BEGIN, END = "<!-- scenarios: begin -->", "<!-- scenarios: end -->"


def check_doc(path, write=False):
    """The doc's tables must be what --list prints now, so no scenario goes undocumented."""
    import contextlib
    import io

    with open(path) as f:
        text = f.read()
    if BEGIN not in text or END not in text:
        sys.exit("%s: no %s ... %s markers" % (path, BEGIN, END))
    head, rest = text.split(BEGIN, 1)
    documented, tail = rest.split(END, 1)
    now = io.StringIO()
    with contextlib.redirect_stdout(now):
        print_table(SCENARIOS)
    if write:
        with open(path, "w") as f:
            f.write(head + BEGIN + "\n" + now.getvalue().strip() + "\n\n" + END + tail)
    elif documented.strip() != now.getvalue().strip():
        sys.exit("%s is out of date: rewrite its tables with `target/hostile-venv/bin/python "
                 "tests/hostile/runner.py --write-doc docs/hostile.md`" % path)


def print_table(scenarios):
    section = None
    for sc in scenarios:
        if sc.section != section:
            section = sc.section
            print("\n### %s\n" % section)
            print("| Scenario | Our client must | RFC 9846 |")
            print("|---|---|---|")
        if sc.ok:
            want = "succeed"
            if sc.max_rss_mb:
                want += ", peak memory ≤ %d MB" % sc.max_rss_mb
            if sc.client_key_update:
                want += ", answering with a KeyUpdate"
        elif sc.alert is None:
            want = "fail, sending no alert"
        else:
            want = "send `%s` (%s)" % (sc.alert, {"plain": "unprotected", "hs": "handshake key",
                                                   "early": "0-RTT key",
                                                   "app": "application key"}[sc.key])
        known = " — fails today: %s" % sc.known if sc.known else ""
        print("| `%s` | %s%s | %s |" % (sc.name, want, known, sc.rfc))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--client")
    ap.add_argument("--pki")
    ap.add_argument("--list", action="store_true", help="print the scenarios as Markdown tables")
    ap.add_argument("--check-doc", metavar="MD",
                    help="fail unless MD holds the --list tables between its scenario markers")
    ap.add_argument("--write-doc", metavar="MD", help="put the --list tables into MD")
    ap.add_argument("--jobs", type=int, default=6)
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("names", nargs="*")
    a = ap.parse_args()
    names = {sc.name for sc in SCENARIOS}
    if len(names) != len(SCENARIOS):
        sys.exit("duplicate scenario names")
    unknown = [n for n in a.names if n not in names]
    if unknown:
        sys.exit("unknown scenarios: %s" % ", ".join(unknown))
    chosen = [sc for sc in SCENARIOS if not a.names or sc.name in a.names]
    if a.list:
        print_table(chosen)
        return
    if a.check_doc or a.write_doc:
        check_doc(a.check_doc or a.write_doc, write=bool(a.write_doc))
        return
    if not a.client or not a.pki:
        sys.exit("--client and --pki are required")
    pki = server.Pki(a.pki)
    passed = failed = 0
    start = time.time()
    with concurrent.futures.ThreadPoolExecutor(a.jobs) as pool:
        futures = [(sc, pool.submit(run_one, sc, a.client, pki)) for sc in chosen]
        for sc, fut in futures:
            try:
                problems, got, stderr = fut.result()
            except Exception as e:  # a harness error fails the scenario, loudly
                problems, got, stderr = ["harness error: %r" % e], "?", ""
            want = "success" if sc.ok else ("no alert" if sc.alert is None
                                            else "%s/%s" % (sc.alert, sc.key))
            verdict = "ok  " if not problems else "FAIL"
            note = " [known: %s]" % sc.known if sc.known and problems else ""
            print("%s %-48s want %-30s got %-28s RFC 9846 %s%s"
                  % (verdict, sc.name, want, got, sc.rfc, note), flush=True)
            for p in problems:
                print("       - " + p.replace("\n", "\n         "), flush=True)
            if a.verbose and stderr:
                print("       client: " + stderr.strip().replace("\n", "\n               "))
            if problems:
                failed += 1
            else:
                passed += 1
    print("# %d scenarios in %.1f s" % (len(chosen), time.time() - start))
    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
