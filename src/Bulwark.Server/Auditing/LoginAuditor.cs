using System.Collections.Concurrent;
using Bulwark.Audit.Records;
using Bulwark.Identity.Authentication;
using Bulwark.Identity.Tokens;
using Bulwark.Server.Configuration;
using Bulwark.Server.Identity;

namespace Bulwark.Server.Auditing;

/// <summary>
/// Records authentication attempts (<c>auth.login</c>): every failure and throttled attempt, every token-service
/// login, and a successful HTTP Basic authentication once per principal, address and user agent per
/// <see cref="AuditSettings.BasicLoginInterval"/> — Basic sends the password with every request, and one record
/// per pulled layer would bury the log.
/// </summary>
public sealed class LoginAuditor(RequestAuditor auditor, ServerOptions options, TimeProvider time)
{
    private const int MaxRemembered = 10_000;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _recentBasic = new(StringComparer.Ordinal);

    /// <param name="method">How the credentials came: <c>basic</c>, <c>password</c> (OAuth2 form) or <c>refresh_token</c>.</param>
    /// <param name="account">The account name tried; null for a refresh token (its principal is known only on success).</param>
    public Task RecordAsync(HttpContext context, string method, string? account, LoginOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(outcome);
        var details = new Dictionary<string, string>(StringComparer.Ordinal) { ["method"] = method };
        if (outcome.Throttled)
        {
            return auditor.RecordAsync(context, AuditActions.AuthLogin, account, AuditOutcome.Failure, "too many failed logins (throttled)",
                details, AuditActor.Anonymous);
        }

        if (outcome.Principal is not { } principal)
        {
            return auditor.RecordAsync(context, AuditActions.AuthLogin, account, AuditOutcome.Failure, "invalid credentials",
                details, AuditActor.Anonymous);
        }

        if (method == "basic" && !IsTokenService(context) && !FirstInInterval(context, principal.Name))
        {
            return Task.CompletedTask;
        }

        return auditor.RecordQueuedAsync(context, AuditActions.AuthLogin, principal.Name, AuditOutcome.Success, null, details,
            RequestAuditor.ActorOf(principal));
    }

    /// <summary>Records a Bearer token that failed verification for a reason other than expiry (forged, foreign, malformed).</summary>
    public Task RecordTokenRejectedAsync(HttpContext context, TokenRejection rejection) =>
        auditor.RecordAsync(context, AuditActions.AuthLogin, null, AuditOutcome.Failure, $"access token refused: {rejection}",
            new Dictionary<string, string>(StringComparer.Ordinal) { ["method"] = "bearer" }, AuditActor.Anonymous);

    private static bool IsTokenService(HttpContext context) => context.Request.Path.StartsWithSegments(RegistryChallenge.TokenPath);

    private bool FirstInInterval(HttpContext context, string principal)
    {
        var interval = options.Audit.BasicLoginInterval;
        if (interval <= TimeSpan.Zero)
        {
            return true;
        }

        var now = time.GetUtcNow();
        var key = $"{principal}\n{BulwarkAuthenticationHandler.ClientAddress(context)}\n{context.Request.Headers.UserAgent}";
        if (_recentBasic.TryGetValue(key, out var last) && now - last < interval)
        {
            return false;
        }

        if (_recentBasic.Count >= MaxRemembered)
        {
            // Bounded memory: forgetting only means one extra record per principal.
            _recentBasic.Clear();
        }

        _recentBasic[key] = now;
        return true;
    }
}
