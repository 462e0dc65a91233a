#!/usr/bin/env python3
"""ptyrun: run a command on a terminal of its own (a pseudo-terminal as
its controlling terminal, so /dev/tty opens), and answer it as a person
would: when what it wrote to the terminal matches the next PATTERN, run
ACTION (a shell command, may be "") and type REPLY and Enter.

  ptyrun.py [--timeout S] [--on PATTERN ACTION REPLY]... -- CMD [ARG]...

Everything the command writes to the terminal is copied to standard
output. The exit status is the command's (128+N for signal N); 124 when
it has not ended within S seconds (default 60, then it is killed), 125
when a pattern was still awaited when it ended."""
import os
import pty
import re
import select
import signal
import subprocess
import sys
import time


def main(argv):
    timeout = 60.0
    steps = []
    i = 0
    while i < len(argv) and argv[i] != "--":
        if argv[i] == "--timeout":
            timeout = float(argv[i + 1])
            i += 2
        elif argv[i] == "--on":
            steps.append((re.compile(argv[i + 1]), argv[i + 2], argv[i + 3]))
            i += 4
        else:
            sys.exit("ptyrun: unknown argument " + argv[i])
    cmd = argv[i + 1:]
    if not cmd:
        sys.exit("ptyrun: no command")
    pid, fd = pty.fork()
    if pid == 0:
        try:
            os.execvp(cmd[0], cmd)
        finally:
            os._exit(127)
    seen = ""
    end = time.monotonic() + timeout
    status = None
    while True:
        left = end - time.monotonic()
        if left <= 0:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            sys.stdout.write("\nptyrun: timed out\n")
            return 124
        r, _, _ = select.select([fd], [], [], min(left, 0.5))
        if r:
            try:
                data = os.read(fd, 4096)
            except OSError:
                data = b""
            if not data:
                break
            text = data.decode("utf-8", "replace")
            sys.stdout.write(text)
            sys.stdout.flush()
            seen += text
            while steps and steps[0][0].search(seen):
                pat, action, reply = steps.pop(0)
                seen = seen[pat.search(seen).end():]
                if action:
                    subprocess.run(action, shell=True, check=False)
                os.write(fd, (reply + "\n").encode())
        else:
            done, st = os.waitpid(pid, os.WNOHANG)
            if done:
                status = st
                break
    if status is None:
        _, status = os.waitpid(pid, 0)
    if steps:
        sys.stdout.write("\nptyrun: still waiting for %r\n" % steps[0][0].pattern)
        return 125
    if os.WIFSIGNALED(status):
        return 128 + os.WTERMSIG(status)
    return os.WEXITSTATUS(status)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
