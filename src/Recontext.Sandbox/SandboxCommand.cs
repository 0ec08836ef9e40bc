namespace Recontext.Sandbox;

/// <summary>
/// The command line of one sandboxed Python process: prlimit → setpriv (root only: a private uid) → bwrap → python3
/// -I -S. Python runs as pid 1 of its namespace (--as-pid-1): with bubblewrap's own reaper as pid 1, the outer bwrap
/// exits without reaping it and every run leaves a zombie that the host's init reaps only seconds later, counting
/// against the uid's process limit meanwhile. As pid 1, Python ignores SIGXCPU, so a CPU limit set here is a hard one
/// (SIGKILL, exit status 137); and the kernel drops any signal from inside the namespace that pid 1 has no handler for.
/// </summary>
static class SandboxCommand
{
    public static List<string> Build(string bwrap, string pythonPath, string scriptsFolder, int? uid, IEnumerable<string> rlimits,
                                     long tmpfsBytes, IEnumerable<string> pythonArgs)
    {
        var command = new List<string> { "prlimit" };
        command.AddRange(rlimits);
        command.AddRange(["--nofile=64", "--core=0", "--"]);
        if (uid is int id) command.AddRange(["setpriv", $"--reuid={id}", $"--regid={id}", "--clear-groups", "--"]);
        command.AddRange(
        [
            bwrap, "--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent", "--new-session", "--as-pid-1",
            "--uid", "65534", "--gid", "65534",
            "--ro-bind", "/usr", "/usr", "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64",
            "--symlink", "usr/bin", "/bin", "--proc", "/proc", "--dev", "/dev",
            // --dev gives /dev/shm a tmpfs of half the machine's memory: remount it with the same cap as /tmp.
            "--size", $"{tmpfsBytes}", "--tmpfs", "/dev/shm",
            "--size", $"{tmpfsBytes}", "--tmpfs", "/tmp",
            "--size", $"{tmpfsBytes}", "--perms", "0777", "--tmpfs", "/work",
            "--ro-bind", scriptsFolder, SandboxScripts.Inside, "--chdir", "/work",
            "--clearenv", "--setenv", "PATH", "/usr/bin:/bin", "--setenv", "HOME", "/work", "--setenv", "LANG", "C.UTF-8",
            "--setenv", "PYTHONDONTWRITEBYTECODE", "1",
            pythonPath, "-I", "-S",
        ]);
        command.AddRange(pythonArgs);
        return command;
    }
}
