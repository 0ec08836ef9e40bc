# Recontext test checker: the process that decides whether each test passes. It never executes the program's code.
# It parses a test (assert statements, optionally imports of a few standard modules) and lifts every expression that
# touches the program's names — `add(1, 2)` in `assert add(1, 2) == 3` — into a "probe" that the sandboxed harness
# evaluates and hands back as plain data (tagged JSON). The assert itself, with its expected value, runs here on the
# decoded values, so a returned object with its own __eq__, patched builtins or forged report lines in the program's
# interpreter cannot pass a test: the program only ever chooses plain values, and never sees what they are compared to.
#
# Protocol: one JSON request per stdin line, one JSON response per stdout line.
#   {"op": "plan", "code": C, "tests": [T...]}  -> {"plans": [{"key": K, "probes": [P...]} | {"error": E}]}
#   {"op": "check", "items": [{"key": K, "values": [V|null...]}]}
#                                             -> {"results": [{"passed": b, "kind": k|null, "tampered": t|null}]}
import ast
import builtins
import json
import sys

# Modules a test may use by name without importing them (MBPP's tests rely on the solution's `import math`).
STANDARD_MODULES = {"math", "cmath", "re", "collections", "itertools", "heapq", "functools", "operator", "string",
                    "statistics", "fractions", "decimal", "bisect", "copy"}
BUILTIN_NAMES = set(dir(builtins)) - {"__import__", "eval", "exec", "compile", "open", "input", "breakpoint", "globals",
                                      "locals", "vars", "exit", "quit"}
# Nodes whose value the program controls as a whole: evaluated in the sandbox when they touch the program's names.
# A comprehension or lambda over the program's names runs there as a whole (its loop variables live there too), so
# its comparisons are the program's: tests of that shape are weaker, and MBPP has none.
WHOLE = (ast.Name, ast.Attribute, ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp, ast.NamedExpr)
MAX_PLANS = 50_000


class UnsupportedTest(Exception):
    pass


class ProbeFailed(Exception):
    def __init__(self, kind):
        self.kind = kind


class Tampered(Exception):
    pass


class Plan:
    def __init__(self, code, probes):
        self.code = code
        self.probes = probes


plans = {}


def program_bindings(code):
    """Top-level names the solution binds (parsed, never run): they shadow builtins and standard modules."""
    try:
        tree = ast.parse(code)
    except BaseException:   # it will not compile in the sandbox either: the harness reports that
        return set()
    # Every binding anywhere counts (a function's locals too): too many names only means more of the test is
    # evaluated in the sandbox, exactly as Python would resolve them.
    bound = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            bound.add(node.id)
        elif isinstance(node, ast.ImportFrom):
            bound.update(a.asname or a.name for a in node.names)
        elif isinstance(node, ast.Import):
            # `import math` binds the real module: the test's math.isclose stays the checker's own, however the
            # program patches its copy. Any other import binding a name shadows it.
            bound.update((a.asname or a.name).split(".")[0] for a in node.names
                         if not (a.asname in (None, a.name) and a.name in STANDARD_MODULES))
    return bound


def make_plan(test, shadowed):
    tree = ast.parse(test, "<test>", "exec")
    trusted = set(BUILTIN_NAMES) | STANDARD_MODULES
    for statement in tree.body:
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            modules = [a.name for a in statement.names] if isinstance(statement, ast.Import) else [statement.module or ""]
            for module in modules:
                if module.split(".")[0] not in STANDARD_MODULES:
                    raise UnsupportedTest("a test may import only %s; it imports %s" % (", ".join(sorted(STANDARD_MODULES)), module))
            trusted.update((a.asname or a.name).split(".")[0] for a in statement.names)
        elif not isinstance(statement, ast.Assert):
            raise UnsupportedTest("a test may hold only assert and import statements; line %d is %s"
                                  % (statement.lineno, type(statement).__name__))
    trusted -= shadowed
    probes = []

    def program_names(node):
        bound = {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load)}
        bound |= {a.arg for n in ast.walk(node) if isinstance(n, ast.arguments) for a in n.args + n.kwonlyargs}
        return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)} - trusted - bound

    class Lift(ast.NodeTransformer):
        def visit(self, node):
            if not isinstance(node, ast.expr) or not program_names(node):
                return self.generic_visit(node)
            if isinstance(node, WHOLE) or (isinstance(node, ast.Call) and program_names(node.func)):
                source = ast.unparse(node)
                if source not in probes:
                    probes.append(source)
                call = ast.Call(func=ast.Name("__probe__", ast.Load()), args=[ast.Constant(probes.index(source))], keywords=[])
                return ast.copy_location(call, node)
            return self.generic_visit(node)

    lifted = ast.fix_missing_locations(Lift().visit(tree))
    return Plan(compile(lifted, "<test>", "exec"), probes)


def plan(request):
    if len(plans) > MAX_PLANS:   # between completions only: a check always finds the plans its request made
        plans.clear()
        test_names.clear()
    shadowed = program_bindings(request["code"])
    out = []
    for test in request["tests"]:
        key = json.dumps([test, sorted(shadowed & names_in(test))])
        try:
            if key not in plans:
                plans[key] = make_plan(test, shadowed)
            out.append({"key": key, "probes": plans[key].probes})
        except SyntaxError as e:
            out.append({"error": "not valid Python: %s (line %s)" % (e.msg, e.lineno)})
        except UnsupportedTest as e:
            out.append({"error": str(e)})
    return {"plans": out}


test_names = {}


def names_in(test):
    """The names a test mentions (parsed once per test text: every completion of a task plans the same tests)."""
    names = test_names.get(test)
    if names is None:
        try:
            names = {n.id for n in ast.walk(ast.parse(test)) if isinstance(n, ast.Name)}
        except SyntaxError:
            names = set()
        test_names[test] = names
    return names


def decode(tagged):
    """Rebuilds a plain value from the harness's tagged JSON; anything malformed is tampering."""
    try:
        tag = tagged[0]
        if tag == "n":
            return None
        if tag == "b" and type(tagged[1]) is bool:
            return tagged[1]
        if tag == "i" and type(tagged[1]) is str:
            return int(tagged[1])
        if tag == "f" and type(tagged[1]) is str:
            return float(tagged[1])
        if tag == "c":
            return complex(float(tagged[1]), float(tagged[2]))
        if tag == "s" and type(tagged[1]) is str:
            return tagged[1]
        if tag == "y":
            return bytes.fromhex(tagged[1])
        if tag == "r":
            return range(int(tagged[1]), int(tagged[2]), int(tagged[3]))
        if tag in ("l", "t", "S", "F", "it"):
            items = [decode(v) for v in tagged[1]]
            return {"l": list, "t": tuple, "S": set, "F": frozenset, "it": iter}[tag](items)
        if tag == "d":
            return {decode(k): decode(v) for k, v in tagged[1]}
    except Tampered:
        raise
    except BaseException as e:
        raise Tampered("malformed value (%s)" % type(e).__name__)
    raise Tampered("malformed value")


def check_one(item):
    found = plans.get(item["key"])
    if found is None:
        return {"passed": False, "kind": "unknown-test", "tampered": None}
    values = item["values"]
    tampered = [None]

    def probe(index):
        report = values[index] if index < len(values) else None
        if report is None:
            raise ProbeFailed("not-run")
        if type(report) is not dict:
            tampered[0] = "malformed report"
            raise Tampered()
        if "v" in report:
            try:
                return decode(report["v"])
            except Tampered as e:
                tampered[0] = str(e)
                raise
        if "x" in report:
            tampered[0] = "returned a value that is not plain data: %s" % str(report["x"])[:80]
            raise Tampered()
        raise ProbeFailed(str(report.get("e", "malformed"))[:80])

    namespace = {"__builtins__": builtins, "__probe__": probe}
    for module in STANDARD_MODULES:
        namespace[module] = __import__(module)
    try:
        exec(found.code, namespace)
        return {"passed": True, "kind": None, "tampered": None}
    except ProbeFailed as e:
        return {"passed": False, "kind": e.kind, "tampered": None}
    except Tampered:
        return {"passed": False, "kind": "tampered", "tampered": tampered[0] or "malformed value"}
    except BaseException as e:   # AssertionError, or the test's own arithmetic on the values failed
        return {"passed": False, "kind": type(e).__name__, "tampered": None}


def main():
    for line in sys.stdin:
        try:
            request = json.loads(line)
            if request["op"] == "plan":
                response = plan(request)
            else:
                response = {"results": [check_one(item) for item in request["items"]]}
        except BaseException as e:   # a malformed request is the judge's bug: say so, keep serving
            response = {"error": "%s: %s" % (type(e).__name__, e)}
        sys.stdout.write(json.dumps(response) + "\n")
        sys.stdout.flush()


main()
