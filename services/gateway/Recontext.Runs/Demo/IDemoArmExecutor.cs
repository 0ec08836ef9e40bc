namespace Recontext.Runs.Demo;

/// <summary>
/// Brings one demo arm to a finished run in its folder (the demo reads the results back from there), resuming
/// what an earlier attempt left. In this process (<see cref="InProcessArmExecutor"/>) or in a worker process of its
/// own (<see cref="WorkerProcessExecutor"/>), so that arms run side by side and a crash costs one arm's last step.
/// </summary>
public interface IDemoArmExecutor
{
    Task RunAsync(DemoArm arm, IProgress<RunLoop.Progress>? progress, CancellationToken cancellation);
}
