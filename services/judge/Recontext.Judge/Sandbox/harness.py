# Recontext sandbox harness: runs inside bubblewrap as an unprivileged user with no network.
# Reads one job (JSON on stdin: nonce, code, tests), closes stdin, then runs each test in a fresh namespace
# after executing the solution code, and reports "<nonce> <index> pass|fail <kind>" lines on a private copy of
# the original stdout. The solution's own prints go to stderr. A test counts as passed only when its pass line
# arrives with the nonce, so exiting early, killing the harness or printing fake lines cannot fake a pass.
import json
import os
import sys


def main():
    job = json.loads(sys.stdin.read())
    os.close(0)
    os.open("/dev/null", os.O_RDONLY)   # fd 0 again, at EOF: the program has no input
    nonce = job.pop("nonce")
    code = job.pop("code")
    tests = job.pop("tests")
    harness_pid = os.getpid()

    channel = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)   # the program's stdout now goes to stderr
    sys.stdout.reconfigure(line_buffering=True)

    def emit(line):
        # Forked children of the program inherit this function: only the harness itself may report.
        if os.getpid() == harness_pid:
            channel.write("\n" + nonce + " " + line + "\n")
            channel.flush()

    try:
        compiled = compile(code, "solution.py", "exec")
    except BaseException as e:   # SyntaxError, ValueError (NUL bytes), RecursionError, MemoryError
        emit("compile " + type(e).__name__)
        finish()

    for index, test in enumerate(tests):
        try:
            namespace = {"__name__": "solution", "__builtins__": __builtins__}
            exec(compiled, namespace)
            exec(compile(test, "test_%d.py" % index, "exec"), namespace)
            emit("%d pass" % index)
        except BaseException as e:   # AssertionError, SystemExit, anything else: the test fails
            emit("%d fail %s" % (index, kind(e)))
    emit("done")
    finish()


def finish():
    # os._exit skips atexit handlers the program may have registered; flush its buffered output first.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:
            pass
    os._exit(0)


def kind(error):
    if isinstance(error, MemoryError):
        return "MemoryLimit"
    if isinstance(error, BlockingIOError) or (isinstance(error, OSError) and error.errno == 11):
        return "ProcessLimit"
    return type(error).__name__


main()
