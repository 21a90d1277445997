using System.Collections.Concurrent;

namespace Bulwark.Identity.Throttling;

/// <summary>
/// Counts failed logins per account and per client address in a sliding window. While either is over its
/// limit, logins are refused without checking the credentials (so guessing cannot continue) and the caller
/// is told when to retry. A successful login clears its account's failures, never its address's.
/// </summary>
public sealed class LoginThrottle(LoginThrottleOptions options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, FailureWindow> _accounts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, FailureWindow> _addresses = new(StringComparer.Ordinal);

    /// <summary>How long the caller must wait, or null when a login attempt may proceed.</summary>
    public TimeSpan? RetryAfter(string? account, string? address)
    {
        var now = time.GetUtcNow();
        var wait = Blocked(_accounts, account, options.MaxFailuresPerAccount, now);
        var addressWait = Blocked(_addresses, address, options.MaxFailuresPerAddress, now);
        return (wait, addressWait) switch
        {
            (null, null) => null,
            ({ } a, { } b) => a > b ? a : b,
            _ => wait ?? addressWait,
        };
    }

    public void RecordFailure(string? account, string? address)
    {
        var now = time.GetUtcNow();
        Record(_accounts, account, now);
        Record(_addresses, address, now);
    }

    public void RecordSuccess(string? account)
    {
        if (account is not null)
        {
            _accounts.TryRemove(account, out _);
        }
    }

    private TimeSpan? Blocked(ConcurrentDictionary<string, FailureWindow> windows, string? key, int limit, DateTimeOffset now)
    {
        if (key is null || !windows.TryGetValue(key, out var window))
        {
            return null;
        }

        return window.RetryAfter(now, options.Window, limit);
    }

    private void Record(ConcurrentDictionary<string, FailureWindow> windows, string? key, DateTimeOffset now)
    {
        if (key is null)
        {
            return;
        }

        if (windows.Count >= options.MaxTrackedKeys)
        {
            Prune(windows, now);
        }

        windows.GetOrAdd(key, _ => new FailureWindow()).Add(now, options.Window);
    }

    private void Prune(ConcurrentDictionary<string, FailureWindow> windows, DateTimeOffset now)
    {
        foreach (var (key, window) in windows)
        {
            if (window.IsEmpty(now, options.Window))
            {
                windows.TryRemove(key, out _);
            }
        }

        if (windows.Count >= options.MaxTrackedKeys)
        {
            // Still full of live entries: a flood. Forget them all rather than grow without bound.
            windows.Clear();
        }
    }
}
