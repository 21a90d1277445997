namespace Bulwark.Server.Auditing;

/// <summary>Lets a management endpoint add facts to the audit record the middleware writes for its request (never secrets).</summary>
public static class AuditDetails
{
    private static readonly object Key = new();

    public static void Add(HttpContext context, string key, string? value)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (value is null)
        {
            return;
        }

        if (context.Items[Key] is not Dictionary<string, string> details)
        {
            details = new Dictionary<string, string>(StringComparer.Ordinal);
            context.Items[Key] = details;
        }

        details[key] = value;
    }

    internal static Dictionary<string, string>? Get(HttpContext context) => context.Items[Key] as Dictionary<string, string>;
}
