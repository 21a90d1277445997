using Bulwark.Identity.Throttling;
using Microsoft.Extensions.Time.Testing;

namespace Bulwark.Identity.Tests;

public sealed class LoginThrottleTests
{
    private static readonly LoginThrottleOptions Options = new() { MaxFailuresPerAccount = 3, MaxFailuresPerAddress = 5, Window = TimeSpan.FromMinutes(5) };
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void RetryAfter_BelowAccountLimit_AllowsLogin()
    {
        var throttle = new LoginThrottle(Options, _time);
        throttle.RecordFailure("alice", "10.0.0.1");
        throttle.RecordFailure("alice", "10.0.0.1");
        Assert.Null(throttle.RetryAfter("alice", "10.0.0.1"));
    }

    [Fact]
    public void RetryAfter_AccountOverLimit_BlocksFromAnyAddressUntilOldestFailureAgesOut()
    {
        var throttle = new LoginThrottle(Options, _time);
        throttle.RecordFailure("alice", "10.0.0.1");
        _time.Advance(TimeSpan.FromMinutes(1));
        throttle.RecordFailure("alice", "10.0.0.2");
        throttle.RecordFailure("alice", "10.0.0.3");
        Assert.Equal(TimeSpan.FromMinutes(4), throttle.RetryAfter("alice", "10.0.0.9"));
        Assert.Null(throttle.RetryAfter("bob", "10.0.0.9"));
        _time.Advance(TimeSpan.FromMinutes(4));
        Assert.Null(throttle.RetryAfter("alice", "10.0.0.9"));
    }

    [Fact]
    public void RetryAfter_AddressOverLimit_BlocksEveryAccountFromThatAddress()
    {
        var throttle = new LoginThrottle(Options, _time);
        for (var i = 0; i < 5; i++)
        {
            throttle.RecordFailure($"user{i}", "10.0.0.1");
        }

        Assert.Equal(TimeSpan.FromMinutes(5), throttle.RetryAfter("someone-new", "10.0.0.1"));
        Assert.Null(throttle.RetryAfter("someone-new", "10.0.0.2"));
    }

    [Fact]
    public void RecordSuccess_ClearsAccountButNotAddress()
    {
        var throttle = new LoginThrottle(Options with { MaxFailuresPerAddress = 2 }, _time);
        throttle.RecordFailure("alice", "10.0.0.1");
        throttle.RecordFailure("alice", "10.0.0.1");
        throttle.RecordSuccess("alice");
        Assert.Null(throttle.RetryAfter("alice", "10.0.0.2"));
        Assert.NotNull(throttle.RetryAfter("alice", "10.0.0.1"));
    }

    [Fact]
    public void RecordFailure_ManyKeys_StaysBounded()
    {
        var throttle = new LoginThrottle(Options with { MaxTrackedKeys = 10 }, _time);
        for (var i = 0; i < 100; i++)
        {
            throttle.RecordFailure($"user{i}", $"10.0.0.{i}");
        }

        Assert.Null(throttle.RetryAfter("user0", "10.0.0.0"));
    }
}
