using Microsoft.AspNetCore.Http;

namespace Recontext.Gateway;

/// <summary>
/// Who may read runs (the dashboard, its JSON twins, the run API's reads): everyone when reads are open (the
/// default while the gateway listens on loopback only), else whoever presents an API key, as
/// <c>Authorization: Bearer KEY</c> or the dashboard's cookie (set by its login form).
/// </summary>
public sealed class ReadAccess(bool open, ApiKeyCheck keys)
{
    public const string CookieName = "recontext-key";

    public bool Open => open;

    public bool Allows(HttpRequest request) =>
        open || keys.Allows(request.Headers.Authorization) || request.Cookies[CookieName] is { Length: > 0 } key && keys.Allows("Bearer " + key);

    /// <summary>Refuses a read without a key (401 naming what to send) when reads are not open.</summary>
    public static async ValueTask<object?> Filter(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var access = context.HttpContext.RequestServices.GetService(typeof(ReadAccess)) as ReadAccess
                     ?? throw new InvalidOperationException("ReadAccess is not registered");
        if (access.Allows(context.HttpContext.Request)) return await next(context);
        return Results.Problem("this gateway serves reads to API key holders only: send 'Authorization: Bearer KEY' (or log in on the dashboard)",
            statusCode: StatusCodes.Status401Unauthorized, title: "API key required");
    }
}
