using System.Runtime.ExceptionServices;
using Bulwark.Audit.Records;
using Bulwark.Audit.Storage;

namespace Bulwark.Audit.Verification;

/// <summary>Reads records one at a time with a bounded look ahead, used only to explain a broken link.</summary>
internal sealed class RecordLookahead(IAsyncEnumerator<AuditRecord> source) : IAsyncDisposable
{
    private readonly Queue<AuditRecord> _buffer = new();
    private ExceptionDispatchInfo? _error;
    private bool _ended;

    /// <summary>The next record, or null at the end.</summary>
    /// <exception cref="AuditRecordFormatException">The next record cannot be read.</exception>
    public async ValueTask<AuditRecord?> NextAsync()
    {
        if (_buffer.TryDequeue(out var record))
        {
            return record;
        }

        _error?.Throw();
        if (_ended)
        {
            return null;
        }

        if (await source.MoveNextAsync().ConfigureAwait(false))
        {
            return source.Current;
        }

        _ended = true;
        return null;
    }

    /// <summary>Up to <paramref name="count"/> of the records after the current one; stops early at the end or
    /// at an unreadable record (which <see cref="NextAsync"/> then reports in turn).</summary>
    public async ValueTask<IReadOnlyList<AuditRecord>> PeekAsync(int count)
    {
        while (_buffer.Count < count && !_ended && _error is null)
        {
            try
            {
                if (await source.MoveNextAsync().ConfigureAwait(false))
                {
                    _buffer.Enqueue(source.Current);
                }
                else
                {
                    _ended = true;
                }
            }
            catch (AuditRecordFormatException e)
            {
                _error = ExceptionDispatchInfo.Capture(e);
            }
        }

        return _buffer.Take(count).ToList();
    }

    public ValueTask DisposeAsync() => source.DisposeAsync();
}
