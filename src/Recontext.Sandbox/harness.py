# Recontext sandbox harness: the only process that executes model-written code. It runs inside bubblewrap as an
# unprivileged user with no network, and it never sees a test's expected values: for each "probe" (an expression of
# a test that touches the program's names, e.g. `add(1, 2)`) it executes the solution afresh, evaluates the probe and
# reports the value as plain data. The comparison of each assert runs in checker.py, a process that never executes the
# program's code, so nothing the program does to this interpreter (patched builtins, frames, gc, forged lines) can
# turn a wrong answer into a passed test: at most it can choose which plain values to report.
#
# Two modes:
#   harness.py          one job (JSON on stdin), reports on stdout, exits: one fresh sandbox per completion
#   harness.py --serve  a warm interpreter: pid 1 of its namespace, forks one child per job (JSON line on stdin);
#                       each child gets its own rlimits, and after it the server kills every other process in the
#                       namespace and wipes the writable directories, so nothing of one completion meets the next.
import json
import os
import sys

# Plain data only: anything else comes back as a type name and the checker calls the test tampered. Exact types
# (`type(v) is int`), so a subclass cannot bring its own __eq__.
MAX_ITEMS = 100_000
MAX_DEPTH = 24   # each level is two JSON levels (["l", [...]]): the judge parses at most 64
ITERATOR_TYPES = tuple(type(x) for x in (
    (i for i in ()), map(int, ()), filter(None, ()), zip(), enumerate(()), reversed(()), iter(()), iter([]), iter(""),
    iter({}), iter(set()), iter(range(0)), iter({}.values()), iter({}.items())))


class NotPlain(Exception):
    """The value is not plain data: the checker will call the test tampered."""


class TooLarge(Exception):
    """A plain value too large to report (e.g. an endless generator): the probe fails, nothing is tampered."""


def encode(value, budget, depth=0):
    """Tagged JSON for plain values: ["i", "12"], ["l", [...]], ... ; raises NotPlain naming the offending type."""
    budget[0] -= 1
    if budget[0] < 0 or depth > MAX_DEPTH:
        raise TooLarge()
    t = type(value)
    if value is None:
        return ["n"]
    if t is bool:
        return ["b", value]
    if t is int:
        return ["i", str(value)]
    if t is float:
        return ["f", repr(value)]
    if t is complex:
        return ["c", repr(value.real), repr(value.imag)]
    if t is str:
        return ["s", value]
    if t is bytes:
        return ["y", value.hex()]
    if t is range:
        return ["r", value.start, value.stop, value.step]
    if t in (list, tuple, set, frozenset):
        tag = {list: "l", tuple: "t", set: "S", frozenset: "F"}[t]
        return [tag, [encode(v, budget, depth + 1) for v in list(value)]]
    if t is dict:
        return ["d", [[encode(k, budget, depth + 1), encode(v, budget, depth + 1)] for k, v in list(value.items())]]
    if t in ITERATOR_TYPES:
        # A one-shot iterator (a generator, map ...) is drained here; the checker rebuilds an iterator over the same
        # items, so `list(f(x)) == [...]` holds and `f(x) == [...]` fails exactly as in plain Python.
        items = []
        for v in value:
            items.append(encode(v, budget, depth + 1))
        return ["it", items]
    raise NotPlain(t.__name__)


def kind(error):
    if isinstance(error, MemoryError):
        return "MemoryLimit"
    if isinstance(error, BlockingIOError) or (isinstance(error, OSError) and error.errno == 11):
        return "ProcessLimit"
    return type(error).__name__


def run_job(job, channel):
    """Compiles the code and every probe first (so a program that patches compile() cannot change them), then per
    probe: a fresh namespace, the solution executed, the probe evaluated, its value reported."""
    nonce, code, probes = job["nonce"], job["code"], job["probes"]
    harness_pid = os.getpid()

    def emit(line):
        # Forked children of the program inherit this function: only the harness itself may report.
        if os.getpid() == harness_pid:
            channel.write("\n" + nonce + " " + line + "\n")
            channel.flush()

    try:
        compiled = compile(code, "solution.py", "exec")
    except BaseException as e:   # SyntaxError, ValueError (NUL bytes), RecursionError, MemoryError
        emit("compile " + type(e).__name__)
        return
    compiled_probes = []
    for i, probe in enumerate(probes):
        try:
            compiled_probes.append(compile(probe, "probe_%d" % i, "eval"))
        except BaseException as e:
            compiled_probes.append(e)
    dumps, exec_, eval_, builtins = json.dumps, exec, eval, __builtins__
    for index, probe in enumerate(compiled_probes):
        try:
            if isinstance(probe, BaseException):
                raise probe
            namespace = {"__name__": "solution", "__builtins__": builtins}
            exec_(compiled, namespace)
            value = eval_(probe, namespace)
            try:
                report = {"v": encode(value, [MAX_ITEMS])}
            except NotPlain as e:
                report = {"x": str(e)}
            except TooLarge:
                report = {"e": "ValueTooLarge"}
        except BaseException as e:   # SystemExit, anything else: this probe has no value
            report = {"e": kind(e)}
        try:
            emit("%d %s" % (index, dumps(report)))
        except BaseException as e:   # e.g. a str with lone surrogates
            emit('%d {"x": "unencodable (%s)"}' % (index, type(e).__name__))
    emit("done")


def one_shot():
    job = json.loads(sys.stdin.read())
    os.close(0)
    os.open("/dev/null", os.O_RDONLY)   # fd 0 again, at EOF: the program has no input
    channel = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)   # the program's stdout now goes to stderr
    sys.stdout.reconfigure(line_buffering=True)
    run_job(job, channel)
    finish()


def finish():
    # os._exit skips atexit handlers the program may have registered; flush its buffered output first.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:
            pass
    os._exit(0)


def serve():
    """The warm interpreter: one job per stdin line, one result per stdout line, a forked child per job."""
    import signal
    # As pid 1 of the namespace only signals with a handler arrive; Python installs one for SIGINT. Ignore them all,
    # so the program cannot interrupt the server that outlives it.
    for name in ("SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGALRM"):
        signal.signal(getattr(signal, name), signal.SIG_IGN)
    try:
        # Not dumpable: a same-uid child may not ptrace this process or read and write its /proc/1/mem.
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0)   # PR_SET_DUMPABLE, 0
    except BaseException:
        pass
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))   # -I leaves the script's folder off the path
    import warm
    warm.serve(run_job, finish)


main = one_shot
if len(sys.argv) > 1 and sys.argv[1] == "--serve":
    main = serve
main()
