using static TorchSharp.torch;

namespace Recontext.Model.Training;

/// <summary>
/// One optimizer step with no garbage collection while it runs. TorchSharp's AdamW makes Scalars inside
/// <c>step()</c> (e.g. for <c>param.mul_(1 - lr * weightDecay)</c>) that nothing managed holds during the native call;
/// a GC in that window finalizes one mid-call and libtorch fails with "Unknown scalar type" (seen once in a CI-sized
/// test run under load). Our own tensor code holds its Scalars (see <see cref="Scalars"/>); for the optimizer's, the
/// step runs in a no-GC region. A step allocates far less than the budget; should the budget run out anyway, the
/// region simply ends early (the step is never skipped).
/// </summary>
public static class OptimizerStep
{
    /// <summary>Managed bytes the process may allocate during a step before a GC may run again.</summary>
    const long NoGcBudget = 64L << 20;

    public static void Run(optim.Optimizer optimizer)
    {
        bool noGc = false;
        try
        {
            noGc = GC.TryStartNoGCRegion(NoGcBudget);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentOutOfRangeException)
        {
            // already in a no-GC region (cannot happen on the one torch thread), or a budget this runtime cannot
            // reserve: the step runs all the same
        }
        try
        {
            optimizer.step();
        }
        finally
        {
            if (noGc) EndRegion();
        }
    }

    static void EndRegion()
    {
        try
        {
            GC.EndNoGCRegion();
        }
        catch (InvalidOperationException)
        {
            // A collection ran anyway (the budget spent, or a GC.Collect on another thread) and ended the region
            // already; checking the latency mode first would race with that collection.
        }
    }
}
