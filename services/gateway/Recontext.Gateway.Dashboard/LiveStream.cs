using Microsoft.AspNetCore.Http;

namespace Recontext.Gateway.Dashboard;

/// <summary>
/// Server-sent events that tell an open page its run moved on: <c>change</c> when what the page shows changed (the
/// page then fetches itself again and swaps its live part), <c>end</c> once the run stopped moving. The stream polls
/// the run's files once a second, so it follows runs that other processes train as well as the gateway's own.
/// </summary>
public static class LiveStream
{
    static readonly TimeSpan Poll = TimeSpan.FromSeconds(1), KeepAlive = TimeSpan.FromSeconds(15), Longest = TimeSpan.FromHours(12);

    /// <param name="signature">what changes when the page would change (null: the run is gone)</param>
    /// <param name="moving">whether a signature belongs to a run that may still change</param>
    public static async Task RunAsync(HttpContext context, Func<string?> signature, Func<string?, bool> moving)
    {
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        var cancellation = context.RequestAborted;
        var last = signature();
        var quiet = TimeSpan.Zero;
        await context.Response.WriteAsync("retry: 2000\n\n", cancellation);
        await context.Response.Body.FlushAsync(cancellation);
        var started = DateTime.UtcNow;
        try
        {
            while (moving(last) && last is not null && DateTime.UtcNow - started < Longest)
            {
                await Task.Delay(Poll, cancellation);
                var now = signature();
                if (now != last)
                {
                    last = now;
                    await context.Response.WriteAsync($"event: change\ndata: {now}\n\n", cancellation);
                    quiet = TimeSpan.Zero;
                }
                else if ((quiet += Poll) >= KeepAlive)
                {
                    await context.Response.WriteAsync(": still here\n\n", cancellation);
                    quiet = TimeSpan.Zero;
                }
                await context.Response.Body.FlushAsync(cancellation);
            }
            await context.Response.WriteAsync("event: end\ndata: \n\n", cancellation);
            await context.Response.Body.FlushAsync(cancellation);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // the page went away
        }
    }
}
