using System.Threading.Channels;

namespace Bulwark.Server.Policy;

/// <summary>
/// Re-evaluates images in the background, off the request that caused it: one image (a signature was pushed for
/// it) or every decided image (a policy changed, the advisories changed). Requests for all images coalesce.
/// </summary>
public sealed partial class PolicyReevaluation(ImageDecisionEvaluator evaluator, ImageDecisionStore decisions, ILogger<PolicyReevaluation> logger)
    : BackgroundService
{
    private const int PageSize = 200;

    private readonly Channel<(string Repository, string Digest)> _images = Channel.CreateBounded<(string, string)>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    private readonly Channel<bool> _all = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    private long _passes;

    /// <summary>How many passes over every image have completed (tests wait on it).</summary>
    public long CompletedPasses => Interlocked.Read(ref _passes);

    public void Request(string repository, string digest) => _images.Writer.TryWrite((repository, digest));

    public void RequestAll() => _all.Writer.TryWrite(true);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var images = ImagesAsync(stoppingToken);
        var all = AllAsync(stoppingToken);
        await Task.WhenAll(images, all).ConfigureAwait(false);
    }

    private async Task ImagesAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var (repository, digest) in _images.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                await EvaluateAsync(repository, digest, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async Task AllAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var _ in _all.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                await ReevaluateAllAsync(stoppingToken).ConfigureAwait(false);
                Interlocked.Increment(ref _passes);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>Evaluates every image that has a decision again, a page at a time.</summary>
    public async Task<int> ReevaluateAllAsync(CancellationToken cancellationToken)
    {
        var count = 0;
        long after = 0;
        while (true)
        {
            IReadOnlyList<(long Id, string Repository, string Digest)> page;
            try
            {
                page = await decisions.ListDecidedAsync(after, PageSize, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
            {
                LogListFailed(logger, e);
                return count;
            }

            if (page.Count == 0)
            {
                return count;
            }

            foreach (var (_, repository, digest) in page)
            {
                await EvaluateAsync(repository, digest, cancellationToken).ConfigureAwait(false);
                count++;
            }

            after = page[^1].Id;
        }
    }

    private async Task EvaluateAsync(string repository, string digest, CancellationToken cancellationToken)
    {
        try
        {
            await evaluator.EvaluateAsync(repository, digest, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            LogFailed(logger, e, repository, digest);
        }
    }

    [LoggerMessage(EventId = 3410, Level = LogLevel.Error, Message = "Re-evaluation of {Repository}@{Digest} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string repository, string digest);

    [LoggerMessage(EventId = 3411, Level = LogLevel.Error, Message = "Listing decided images for re-evaluation failed")]
    private static partial void LogListFailed(ILogger logger, Exception exception);
}
