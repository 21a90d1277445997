namespace Bulwark.Server.Scanning;

/// <summary>Until webhooks deliver them: new findings become a log line and the <c>bulwark.scan.findings.new</c> counter.</summary>
public sealed partial class LoggingScanEventSink(ScanMetrics metrics, ILogger<LoggingScanEventSink> logger) : IScanEventSink
{
    public Task NewFindingsAsync(NewFindingsEvent newFindings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(newFindings);
        metrics.NewFindings.Add(newFindings.Findings.Count);
        var ids = string.Join(", ", newFindings.Findings.Select(f => f.VulnerabilityId).Distinct(StringComparer.Ordinal).Take(10));
        LogNewFindings(logger, newFindings.Findings.Count, newFindings.ManifestDigest, string.Join(", ", newFindings.Repositories), ids);
        return Task.CompletedTask;
    }

    [LoggerMessage(EventId = 3020, Level = LogLevel.Warning,
        Message = "{Count} new findings in {Digest} (repositories: {Repositories}): {Ids}")]
    private static partial void LogNewFindings(ILogger logger, int count, string digest, string repositories, string ids);
}
