namespace Recontext.Runs.Demo;

/// <summary>Runs arms in this process, one at a time (all tensor work shares the process's torch thread).</summary>
public sealed class InProcessArmExecutor(DemoRunner runner) : IDemoArmExecutor
{
    public Task RunAsync(DemoArm arm, IProgress<RunLoop.Progress>? progress, CancellationToken cancellation) =>
        runner.RunArmHereAsync(arm, progress, cancellation);
}
