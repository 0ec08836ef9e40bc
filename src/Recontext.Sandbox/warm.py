# The warm interpreter's server loop (see harness.py): pid 1 of a bubblewrap namespace that forks one child per
# completion (ahead of time: the next child waits for its job on a pipe). The child gets the completion's own rlimits and a clean /work; when it ends (or its wall-clock time is
# up) every other process in the namespace is killed and reaped and the writable directories are wiped, so nothing
# of one completion (files, processes) is left for the next. Whatever this loop cannot clean is reported as "dirty"
# and the judge replaces the whole sandbox.
import json
import os
import resource
import select
import signal
import sys
import time

WRITABLE = ("/work", "/tmp", "/dev/shm")


def serve(run_job, finish):
    requests = sys.stdin.buffer
    responses = sys.stdout
    spare = spawn(run_job, finish)
    while True:
        line = requests.readline()
        if not line:
            return
        result = run(spare, line)
        del line
        try:
            result["dirty"] = not (kill_all_others() and wipe())
        except BaseException:
            result["dirty"] = True
        responses.write(json.dumps(result) + "\n")
        responses.flush()
        # The next child is forked while the judge reads this answer: forking is most of a short job's cost.
        spare = spawn(run_job, finish)


class Spare:
    """A forked child waiting for its job on a pipe, with its report and output pipes."""

    def __init__(self, pid, job_write, report_read, output_read):
        self.pid, self.job_write, self.report_read, self.output_read = pid, job_write, report_read, output_read


def spawn(run_job, finish):
    job_read, job_write = os.pipe()
    report_read, report_write = os.pipe()
    output_read, output_write = os.pipe()
    pid = os.fork()
    if pid == 0:
        child(job_read, report_write, output_write, (job_write, report_read, output_read), run_job, finish)
    for fd in (job_read, report_write, output_write):
        os.close(fd)
    return Spare(pid, job_write, report_read, output_read)


def run(spare, line):
    start = time.monotonic()
    limits = json.loads(line)["limits"]
    cap = limits["maxOutputBytes"]
    pid = spare.pid
    try:
        with os.fdopen(spare.job_write, "wb") as job:
            job.write(line)
    except BrokenPipeError:
        pass   # the child is gone; its verdict says so
    data = {spare.report_read: bytearray(), spare.output_read: bytearray()}
    reading = set(data)
    exit_fd = os.pidfd_open(pid)
    deadline = start + limits["wallSeconds"]
    timed_out = limited = exited = False
    while not (exited or limited):
        left = deadline - time.monotonic()
        if left <= 0:
            timed_out = True
            break
        ready, _, _ = select.select(list(reading) + [exit_fd], [], [], left)
        for fd in ready:
            if fd == exit_fd:
                exited = True
            else:
                limited |= read_some(fd, data[fd], cap, reading)
    if exited:
        # Everything the child wrote is in the pipes now; its own children may still hold them open, so read what
        # is there without waiting for an end of file.
        for fd in list(reading):
            os.set_blocking(fd, False)
            try:
                while fd in reading and not limited:
                    limited |= read_some(fd, data[fd], cap, reading)
            except BlockingIOError:
                pass
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    status = os.waitpid(pid, 0)[1]
    for fd in (spare.report_read, spare.output_read, exit_fd):
        os.close(fd)
    code = os.waitstatus_to_exitcode(status)
    return {
        "exitCode": 128 - code if code < 0 else code,   # killed by signal N: 128 + N, as a shell reports it
        "stdout": data[spare.report_read].decode("utf-8", "replace"),
        "stderr": data[spare.output_read].decode("utf-8", "replace"),
        "timedOut": timed_out,
        "outputLimited": limited,
        "ms": (time.monotonic() - start) * 1000,
    }


def read_some(fd, buffer, cap, reading):
    """Reads one chunk into buffer (at most cap bytes kept); True when the cap was passed."""
    chunk = os.read(fd, 65536)
    if not chunk:
        reading.discard(fd)
        return False
    room = max(0, cap - len(buffer))
    buffer += chunk[:room]
    return len(chunk) > room


def child(job_read, report_write, output_write, parent_fds, run_job, finish):
    try:
        for fd in parent_fds:
            os.close(fd)
        os.setsid()
        with os.fdopen(job_read, "rb") as source:   # waits here until the server hands over a job
            job = json.loads(source.read())
        limits = job.pop("limits")
        os.dup2(os.open("/dev/null", os.O_RDONLY), 0)   # the program has no input
        os.dup2(output_write, 1)                         # its prints go to the output pipe,
        os.dup2(output_write, 2)
        os.dup2(report_write, 3)                         # the harness's reports to their own
        os.closerange(4, 65536)                          # the server's request and response pipes are gone
        sys.stdin = open(os.devnull)
        sys.stdout = os.fdopen(1, "w", buffering=1)
        sys.stderr = os.fdopen(2, "w", buffering=1)
        for which, value in ((resource.RLIMIT_CPU, (limits["cpuSeconds"], limits["cpuSeconds"] + 1)),
                             (resource.RLIMIT_AS, (limits["memoryBytes"],) * 2),
                             (resource.RLIMIT_NPROC, (limits["processes"],) * 2),
                             (resource.RLIMIT_FSIZE, (limits["maxFileBytes"],) * 2),
                             (resource.RLIMIT_NOFILE, (64, 64)),
                             (resource.RLIMIT_CORE, (0, 0))):
            resource.setrlimit(which, value)
        os.chdir("/work")
        run_job(job, os.fdopen(3, "w", buffering=1))
    finally:
        finish()


def kill_all_others():
    """SIGKILL to every process of the namespace but this one, until none is left (they may still be forking);
    reaps them all, since orphans become this process's children."""
    me = os.getpid()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        others = [int(p) for p in os.listdir("/proc") if p.isdigit() and int(p) != me]
        for pid in others:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        reap()
        if not others:
            return True
        time.sleep(0.001)
    return False


def reap():
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def wipe():
    """Empties the writable directories, folders the program made unreadable (mode 000) included. False when
    something is left (a tree too deep to walk, say): the judge then replaces the sandbox."""
    clean = True
    for root in WRITABLE:
        if not os.path.isdir(root):
            continue
        for name in os.listdir(root):
            try:
                remove(os.path.join(root, name))
            except BaseException:
                clean = False
    return clean


def remove(path):
    if os.path.isdir(path) and not os.path.islink(path):
        os.chmod(path, 0o700)
        for name in os.listdir(path):
            remove(os.path.join(path, name))
        os.rmdir(path)
    else:
        os.unlink(path)
