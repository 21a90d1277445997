namespace Bulwark.Server.Configuration;

/// <summary>What the server writes to the audit log beyond the records it always writes.</summary>
public sealed class AuditSettings
{
    /// <summary>Also record every manifest pull (<c>registry.pull</c>). Off by default: pulls are frequent.</summary>
    public bool Pulls { get; set; }

    /// <summary>
    /// HTTP Basic sends the password with every request. A successful Basic authentication of one principal from
    /// one address and user agent is recorded once per this interval (failures always); zero records every one.
    /// Token-service logins are always recorded.
    /// </summary>
    public TimeSpan BasicLoginInterval { get; set; } = TimeSpan.FromMinutes(5);
}
