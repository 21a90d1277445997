namespace Bulwark.Server.Scanning;

/// <summary>
/// Receives scanning events (webhooks will implement it). Register any number in DI; each is called in turn, and a
/// failing sink is logged without stopping the others.
/// </summary>
public interface IScanEventSink
{
    /// <summary>Findings appeared in a stored image after an advisory update (no layer was read again).</summary>
    Task NewFindingsAsync(NewFindingsEvent newFindings, CancellationToken cancellationToken);

    /// <summary>A scan job of this server ended for good (done, or failed after its last attempt).</summary>
    Task ScanFinishedAsync(ScanFinishedEvent finished, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>A re-match of every stored inventory ended (after an advisory update).</summary>
    Task RematchFinishedAsync(RematchSummary summary, CancellationToken cancellationToken) => Task.CompletedTask;
}
