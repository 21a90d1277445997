using Bulwark.Server.Admission;
using Microsoft.Extensions.Time.Testing;

namespace Bulwark.Server.Tests.Admission;

/// <summary>
/// The admission facts cache on a fake clock (duration 10 s): served while valid, reloaded in the background in the
/// second half of its life, never served past its lifetime, one load per key, failures and uncacheable values not kept.
/// </summary>
public sealed class RefreshAheadCacheTests
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Hit_BeforeHalfLife_IsServedWithoutLoading()
    {
        var cache = new RefreshAheadCache<string>(Duration, 100, _time);
        var loads = new Loader("v1");

        Assert.Equal("v1", await cache.GetAsync("k", loads.Load, CancellationToken.None));
        _time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.Equal("v1", await cache.GetAsync("k", loads.Load, CancellationToken.None));

        Assert.Equal(1, loads.Count);
    }

    [Fact]
    public async Task Hit_InSecondHalf_AnswersFromTheEntryAndReloadsOnceInTheBackground()
    {
        var cache = new RefreshAheadCache<string>(Duration, 100, _time);
        var loads = new Loader("v1");
        await cache.GetAsync("k", loads.Load, CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(6));
        var gate = loads.Hold("v2");

        // Both hits are answered at once from the valid entry; only the first starts a reload.
        Assert.Equal("v1", await cache.GetAsync("k", loads.Load, CancellationToken.None));
        Assert.Equal("v1", await cache.GetAsync("k", loads.Load, CancellationToken.None));
        Assert.Equal(2, loads.Count);

        gate.SetResult();
        await cache.IdleAsync();
        Assert.Equal("v2", await cache.GetAsync("k", loads.Load, CancellationToken.None));

        // The reloaded entry has a lifetime of its own: 9 s later (15 s after the first load) it is still served.
        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal("v2", await cache.GetAsync("k", loads.Load, CancellationToken.None));
        Assert.Equal(2, loads.Count);
    }

    [Fact]
    public async Task Entry_IsNeverServedPastItsLifetime_EvenWhileItsRefreshIsRunning()
    {
        var cache = new RefreshAheadCache<string>(Duration, 100, _time);
        var loads = new Loader("v1");
        await cache.GetAsync("k", loads.Load, CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(6));
        var gate = loads.Hold("v2");
        Assert.Equal("v1", await cache.GetAsync("k", loads.Load, CancellationToken.None));

        _time.Advance(TimeSpan.FromSeconds(4));
        var waiting = cache.GetAsync("k", loads.Load, CancellationToken.None).AsTask();

        Assert.False(waiting.IsCompleted);
        gate.SetResult();
        Assert.Equal("v2", await waiting);
        Assert.Equal(2, loads.Count);
    }

    [Fact]
    public async Task Refresh_ThatIsNotCacheable_RemovesTheEntry()
    {
        var cache = new RefreshAheadCache<string>(Duration, 100, _time);
        var loads = new Loader("pass");
        await cache.GetAsync("k", loads.Load, CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(6));
        loads.Next("quarantined", cacheable: false);

        Assert.Equal("pass", await cache.GetAsync("k", loads.Load, CancellationToken.None));
        await cache.IdleAsync();

        Assert.Equal(0, cache.Count);
        Assert.Equal("quarantined", await cache.GetAsync("k", loads.Load, CancellationToken.None));
        Assert.Equal(3, loads.Count);
    }

    [Fact]
    public async Task ConcurrentMisses_ShareOneLoad_AndOneCallersCancellationEndsOnlyItsWait()
    {
        var cache = new RefreshAheadCache<string>(Duration, 100, _time);
        var loads = new Loader("v1");
        var gate = loads.Hold("v1");
        using var cancel = new CancellationTokenSource();

        var first = cache.GetAsync("k", loads.Load, cancel.Token).AsTask();
        var second = cache.GetAsync("k", loads.Load, CancellationToken.None).AsTask();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        Assert.False(second.IsCompleted);
        gate.SetResult();
        Assert.Equal("v1", await second);
        Assert.Equal(1, loads.Count);
    }

    [Fact]
    public async Task FailedLoad_FailsEveryWaiter_AndIsNotKept()
    {
        var cache = new RefreshAheadCache<string>(Duration, 100, _time);
        var attempts = 0;
        Task<(string, bool)> Failing()
        {
            attempts++;
            throw new InvalidOperationException("database unavailable");
        }

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await cache.GetAsync("k", Failing, CancellationToken.None));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await cache.GetAsync("k", Failing, CancellationToken.None));

        Assert.Equal(2, attempts);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public async Task FailedRefresh_KeepsTheValidEntryUntilItExpires()
    {
        var cache = new RefreshAheadCache<string>(Duration, 100, _time);
        var loads = new Loader("v1");
        await cache.GetAsync("k", loads.Load, CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(6));
        loads.Fail(new InvalidOperationException("database unavailable"));

        Assert.Equal("v1", await cache.GetAsync("k", loads.Load, CancellationToken.None));
        Assert.Equal(2, loads.Count);

        // Still valid, and the next hit may try to refresh again.
        loads.Next("v2", cacheable: true);
        Assert.Equal("v1", await cache.GetAsync("k", loads.Load, CancellationToken.None));
        await cache.IdleAsync();
        Assert.Equal("v2", await cache.GetAsync("k", loads.Load, CancellationToken.None));

        _time.Advance(TimeSpan.FromSeconds(11));
        loads.Fail(new InvalidOperationException("database unavailable"));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await cache.GetAsync("k", loads.Load, CancellationToken.None));
    }

    [Fact]
    public async Task Capacity_DropsExpiredEntries_AndDoesNotCacheBeyondIt()
    {
        var cache = new RefreshAheadCache<string>(Duration, 2, _time);
        var loads = new Loader("v");
        await cache.GetAsync("a", loads.Load, CancellationToken.None);
        await cache.GetAsync("b", loads.Load, CancellationToken.None);

        // Full of valid entries: "c" is answered but not kept.
        await cache.GetAsync("c", loads.Load, CancellationToken.None);
        await cache.GetAsync("c", loads.Load, CancellationToken.None);
        Assert.Equal(4, loads.Count);
        Assert.Equal(2, cache.Count);

        // Once they expire, they make room.
        _time.Advance(TimeSpan.FromSeconds(11));
        await cache.GetAsync("c", loads.Load, CancellationToken.None);
        await cache.GetAsync("c", loads.Load, CancellationToken.None);
        Assert.Equal(5, loads.Count);
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public async Task ZeroDuration_LoadsEveryTime()
    {
        var cache = new RefreshAheadCache<string>(TimeSpan.Zero, 100, _time);
        var loads = new Loader("v");

        await cache.GetAsync("k", loads.Load, CancellationToken.None);
        await cache.GetAsync("k", loads.Load, CancellationToken.None);

        Assert.Equal(2, loads.Count);
        Assert.Equal(0, cache.Count);
    }

    // Counts loads; each returns the current value, optionally after a gate opens, or fails.
    private sealed class Loader(string value)
    {
        private (string Value, bool Cacheable) _next = (value, true);
        private Task _gate = Task.CompletedTask;
        private Exception? _failure;

        public int Count { get; private set; }

        public void Next(string next, bool cacheable) => (_next, _gate, _failure) = ((next, cacheable), Task.CompletedTask, null);

        public void Fail(Exception failure) => _failure = failure;

        public TaskCompletionSource Hold(string next)
        {
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            (_next, _gate, _failure) = ((next, true), gate.Task, null);
            return gate;
        }

        public async Task<(string, bool)> Load()
        {
            Count++;
            var (next, gate, failure) = (_next, _gate, _failure);
            await gate;
            return failure is null ? next : throw failure;
        }
    }
}
