
namespace Bulwark.Server.Identity;

/// <summary>Reads the <see cref="Caller"/> the authentication handler stored on the request.</summary>
public static class CallerFeature
{
    public static Caller Get(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Features.Get<Caller>() ?? Caller.Anonymous;
    }

    internal static void Set(HttpContext context, Caller caller) => context.Features.Set(caller);
}
