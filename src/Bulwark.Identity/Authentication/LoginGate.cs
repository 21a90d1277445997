using Bulwark.Identity.Throttling;
using Microsoft.Extensions.Logging;

namespace Bulwark.Identity.Authentication;

/// <summary>
/// Every password or secret login (token endpoint, HTTP Basic on /v2 and on the management API) goes through
/// here: refused while the account or client address is throttled, otherwise verified, and the outcome
/// counted. Log lines name the account and address, never the secret.
/// </summary>
public sealed partial class LoginGate(CredentialVerifier verifier, RefreshTokenService refreshTokens, LoginThrottle throttle,
    ILogger<LoginGate> logger)
{
    public async Task<LoginOutcome> LoginAsync(string account, string secret, string? address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        if (throttle.RetryAfter(account, address) is { } wait)
        {
            LogThrottled(logger, account, address);
            return new LoginOutcome(null, wait);
        }

        var principal = await verifier.VerifyAsync(account, secret, cancellationToken);
        if (principal is null)
        {
            throttle.RecordFailure(account, address);
            LogFailed(logger, account, address);
            return new LoginOutcome(null, null);
        }

        throttle.RecordSuccess(account);
        return new LoginOutcome(principal, null);
    }

    /// <summary>Redeems a refresh token; failures count against the client address only (the account is unknown).</summary>
    public async Task<LoginOutcome> RedeemRefreshTokenAsync(string token, string? address, CancellationToken cancellationToken)
    {
        if (throttle.RetryAfter(null, address) is { } wait)
        {
            LogThrottled(logger, "(refresh token)", address);
            return new LoginOutcome(null, wait);
        }

        var principal = await refreshTokens.RedeemAsync(token, cancellationToken);
        if (principal is null)
        {
            throttle.RecordFailure(null, address);
            LogRefreshFailed(logger, address);
            return new LoginOutcome(null, null);
        }

        return new LoginOutcome(principal, null);
    }

    /// <summary>Whether a login by this address would be refused right now (for requests that carry no account).</summary>
    public TimeSpan? RetryAfter(string? address) => throttle.RetryAfter(null, address);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Login failed for account {Account} from {Address}")]
    private static partial void LogFailed(ILogger logger, string account, string? address);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Login throttled for account {Account} from {Address}")]
    private static partial void LogThrottled(ILogger logger, string account, string? address);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Refresh token refused from {Address}")]
    private static partial void LogRefreshFailed(ILogger logger, string? address);
}
