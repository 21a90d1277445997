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
    private readonly Loader _loads = new("v1");
    private readonly RefreshAheadCache<string> _cache;

    public RefreshAheadCacheTests() => _cache = new RefreshAheadCache<string>(Duration, 100, _time);

    private Task<string> Get(string key = "k", RefreshAheadCache<string>? cache = null, CancellationToken cancellationToken = default) =>
        (cache ?? _cache).GetAsync(key, _loads.Load, cancellationToken).AsTask();

    // An entry loaded now, then the clock moved into the second half of its life.
    private async Task LoadThenAgeAsync()
    {
        await Get();
        _time.Advance(TimeSpan.FromSeconds(6));
    }

    [Fact]
    public async Task Hit_BeforeHalfLife_IsServedWithoutLoading()
    {
        Assert.Equal("v1", await Get());
        _time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.Equal("v1", await Get());

        Assert.Equal(1, _loads.Count);
    }

    [Fact]
    public async Task Hit_InSecondHalf_AnswersFromTheEntryAndReloadsOnceInTheBackground()
    {
        await LoadThenAgeAsync();
        var gate = _loads.Hold("v2");

        // Both hits are answered at once from the valid entry; only the first starts a reload.
        Assert.Equal("v1", await Get());
        Assert.Equal("v1", await Get());
        Assert.Equal(2, _loads.Count);

        gate.SetResult();
        await _cache.IdleAsync();
        Assert.Equal("v2", await Get());

        // The reloaded entry has a lifetime of its own: 9 s later (15 s after the first load) it is still served.
        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal("v2", await Get());
        Assert.Equal(2, _loads.Count);
    }

    [Fact]
    public async Task Entry_IsNeverServedPastItsLifetime_EvenWhileItsRefreshIsRunning()
    {
        await LoadThenAgeAsync();
        var gate = _loads.Hold("v2");
        Assert.Equal("v1", await Get());

        _time.Advance(TimeSpan.FromSeconds(4));
        var waiting = Get();

        Assert.False(waiting.IsCompleted);
        gate.SetResult();
        Assert.Equal("v2", await waiting);
        Assert.Equal(2, _loads.Count);
    }

    [Fact]
    public async Task Refresh_ThatIsNotCacheable_RemovesTheEntry()
    {
        await LoadThenAgeAsync();
        _loads.Next("quarantined", cacheable: false);

        Assert.Equal("v1", await Get());
        await _cache.IdleAsync();

        Assert.Equal(0, _cache.Count);
        Assert.Equal("quarantined", await Get());
        Assert.Equal(3, _loads.Count);
    }

    [Fact]
    public async Task ConcurrentMisses_ShareOneLoad_AndOneCallersCancellationEndsOnlyItsWait()
    {
        var gate = _loads.Hold("v1");
        using var cancel = new CancellationTokenSource();

        var first = Get(cancellationToken: cancel.Token);
        var second = Get();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        Assert.False(second.IsCompleted);
        gate.SetResult();
        Assert.Equal("v1", await second);
        Assert.Equal(1, _loads.Count);
    }

    [Fact]
    public async Task FailedLoad_FailsEveryWaiter_AndIsNotKept()
    {
        var attempts = 0;
        Task<(string, bool)> Failing()
        {
            attempts++;
            throw new InvalidOperationException("database unavailable");
        }

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await _cache.GetAsync("k", Failing, CancellationToken.None));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await _cache.GetAsync("k", Failing, CancellationToken.None));

        Assert.Equal(2, attempts);
        Assert.Equal(0, _cache.Count);
    }

    [Fact]
    public async Task FailedRefresh_KeepsTheValidEntryUntilItExpires()
    {
        await LoadThenAgeAsync();
        _loads.Fail(new InvalidOperationException("database unavailable"));

        Assert.Equal("v1", await Get());
        Assert.Equal(2, _loads.Count);

        // Still valid, and the next hit may try to refresh again.
        _loads.Next("v2", cacheable: true);
        Assert.Equal("v1", await Get());
        await _cache.IdleAsync();
        Assert.Equal("v2", await Get());

        _time.Advance(TimeSpan.FromSeconds(11));
        _loads.Fail(new InvalidOperationException("database unavailable"));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await Get());
    }

    [Fact]
    public async Task Capacity_DropsExpiredEntries_AndDoesNotCacheBeyondIt()
    {
        var cache = new RefreshAheadCache<string>(Duration, 2, _time);
        await Get("a", cache);
        await Get("b", cache);

        // Full of valid entries: "c" is answered but not kept.
        await Get("c", cache);
        await Get("c", cache);
        Assert.Equal(4, _loads.Count);
        Assert.Equal(2, cache.Count);

        // Once they expire, they make room.
        _time.Advance(TimeSpan.FromSeconds(11));
        await Get("c", cache);
        await Get("c", cache);
        Assert.Equal(5, _loads.Count);
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public async Task ZeroDuration_LoadsEveryTime()
    {
        var cache = new RefreshAheadCache<string>(TimeSpan.Zero, 100, _time);

        await Get(cache: cache);
        await Get(cache: cache);

        Assert.Equal(2, _loads.Count);
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
