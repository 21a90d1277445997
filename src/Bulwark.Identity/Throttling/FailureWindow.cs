namespace Bulwark.Identity.Throttling;

/// <summary>The failure times of one account or address within the throttle window.</summary>
internal sealed class FailureWindow
{
    private readonly Queue<DateTimeOffset> _failures = new();

    public void Add(DateTimeOffset now, TimeSpan window)
    {
        lock (_failures)
        {
            Expire(now, window);
            _failures.Enqueue(now);
        }
    }

    public TimeSpan? RetryAfter(DateTimeOffset now, TimeSpan window, int limit)
    {
        lock (_failures)
        {
            Expire(now, window);
            if (_failures.Count < limit)
            {
                return null;
            }

            // Blocked until enough failures age out to bring the count below the limit.
            var release = _failures.ElementAt(_failures.Count - limit) + window;
            return release - now;
        }
    }

    public bool IsEmpty(DateTimeOffset now, TimeSpan window)
    {
        lock (_failures)
        {
            Expire(now, window);
            return _failures.Count == 0;
        }
    }

    private void Expire(DateTimeOffset now, TimeSpan window)
    {
        while (_failures.Count > 0 && _failures.Peek() + window <= now)
        {
            _failures.Dequeue();
        }
    }
}
