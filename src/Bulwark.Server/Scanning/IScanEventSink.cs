namespace Bulwark.Server.Scanning;

/// <summary>
/// Receives scanning events (webhooks will implement it). Register any number in DI; each is called in turn, and a
/// failing sink is logged without stopping the others.
/// </summary>
public interface IScanEventSink
{
    /// <summary>Findings appeared in a stored image after an advisory update (no layer was read again).</summary>
    Task NewFindingsAsync(NewFindingsEvent newFindings, CancellationToken cancellationToken);
}
