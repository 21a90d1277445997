using System.Collections.Concurrent;

namespace Bulwark.Server.Admission;

/// <summary>
/// <para>The admission webhook's facts cache: a value the loader marks cacheable is served for <c>duration</c> after it
/// was loaded, and never longer, so a change (a tag moved, an image quarantined) is seen at most <c>duration</c> later.</para>
/// <list type="bullet">
/// <item><b>Refresh ahead.</b> The first hit in the second half of an entry's life starts one reload in the background
/// and is still answered from the entry, which is valid; the reload replaces it (new lifetime) or, when its result is
/// not cacheable, removes it, so the next request looks afresh. An image in use is therefore never missed: no review
/// waits for the database once an image's facts are known, and none sees facts older than <c>duration</c>.</item>
/// <item><b>One load per key.</b> Requests that miss while a load for the same key is running wait for that load instead
/// of starting their own; a caller's cancellation ends only its own wait, never the shared load.</item>
/// <item><b>Bounded.</b> At most <c>capacity</c> entries; when full, expired entries are dropped, and a new value that
/// still does not fit is not cached (it is returned, and loaded again next time).</item>
/// </list>
/// <para>A zero <c>duration</c> turns the cache off: every call loads.</para>
/// </summary>
public sealed class RefreshAheadCache<T>(TimeSpan duration, int capacity, TimeProvider time) where T : class
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task<(T Value, bool Cacheable)>> _loads = new(StringComparer.Ordinal);

    /// <summary>Entries held now (expired ones included until they are dropped).</summary>
    public int Count => _entries.Count;

    /// <summary>Completes when no load started by this cache is still running; for tests and orderly shutdown.</summary>
    public Task IdleAsync() => Task.WhenAll(_loads.Values);

    /// <summary>The value for <paramref name="key"/>: cached while valid, else from <paramref name="load"/> (shared with concurrent callers).</summary>
    /// <param name="load">Loads the value and says whether it may be cached. Runs without the caller's token: it may serve several callers.</param>
    public async ValueTask<T> GetAsync(string key, Func<Task<(T Value, bool Cacheable)>> load, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(load);
        if (duration <= TimeSpan.Zero)
        {
            return (await load().ConfigureAwait(false)).Value;
        }

        var now = time.GetTimestamp();
        if (_entries.TryGetValue(key, out var entry) && now < entry.ExpiresAt)
        {
            if (now >= entry.RefreshAt && Interlocked.Exchange(ref entry.Refreshing, 1) == 0)
            {
                // Nobody waits for a refresh: its failure is observed here and the entry serves until it expires.
                _ = Load(key, load).ContinueWith(static t => _ = t.Exception, CancellationToken.None,
                    TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }

            return entry.Value;
        }

        return (await Load(key, load).WaitAsync(cancellationToken).ConfigureAwait(false)).Value;
    }

    // The running load for the key, or a new one. Its outcome replaces or removes the entry before it is removed from
    // the running loads, so a caller that finds no running load also finds the entry it left.
    private Task<(T Value, bool Cacheable)> Load(string key, Func<Task<(T Value, bool Cacheable)>> load)
    {
        while (true)
        {
            if (_loads.TryGetValue(key, out var running))
            {
                return running;
            }

            var started = new TaskCompletionSource<(T Value, bool Cacheable)>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_loads.TryAdd(key, started.Task))
            {
                _ = RunAsync(key, load, started);
                return started.Task;
            }
        }
    }

    private async Task RunAsync(string key, Func<Task<(T Value, bool Cacheable)>> load, TaskCompletionSource<(T Value, bool Cacheable)> completion)
    {
        try
        {
            var loadedAt = time.GetTimestamp();
            var result = await load().ConfigureAwait(false);
            if (result.Cacheable)
            {
                Store(key, result.Value, loadedAt);
            }
            else
            {
                _entries.TryRemove(key, out _);
            }

            _loads.TryRemove(key, out _);
            completion.SetResult(result);
        }
        catch (Exception e)
        {
            // The entry (if any) stays until it expires: a failed background refresh does not deny an image whose
            // valid facts are known; a failed load is every waiting caller's failure, and the next call tries again.
            if (_entries.TryGetValue(key, out var entry))
            {
                Volatile.Write(ref entry.Refreshing, 0);
            }

            _loads.TryRemove(key, out _);
            completion.SetException(e);
        }
    }

    private void Store(string key, T value, long loadedAt)
    {
        var lifetime = (long)(duration.TotalSeconds * time.TimestampFrequency);
        var entry = new Entry(value, loadedAt + lifetime / 2, loadedAt + lifetime);
        if (_entries.Count >= capacity && !_entries.ContainsKey(key))
        {
            var now = time.GetTimestamp();
            foreach (var (expiredKey, expired) in _entries)
            {
                if (now >= expired.ExpiresAt)
                {
                    _entries.TryRemove(expiredKey, out _);
                }
            }

            if (_entries.Count >= capacity)
            {
                return;
            }
        }

        _entries[key] = entry;
    }

    private sealed class Entry(T value, long refreshAt, long expiresAt)
    {
        public T Value { get; } = value;

        public long RefreshAt { get; } = refreshAt;

        public long ExpiresAt { get; } = expiresAt;

        // 1 once a refresh was started for this entry; a successful refresh replaces the entry.
        public int Refreshing;
    }
}
