namespace Bulwark.Server.Policy;

/// <summary>
/// Read access to image decisions for other parts of the server (admission, reports): what the registry currently
/// decides about an image. An image pushed while no policy was stored, and artifacts (signatures, SBOMs), have none.
/// </summary>
public interface IImageDecisions
{
    /// <summary>The current decision about <paramref name="digest"/> in <paramref name="repository"/>, or null when there is none.</summary>
    Task<ImageDecision?> GetAsync(string repository, string digest, CancellationToken cancellationToken);

    /// <summary>Every decision about the image, newest first (at most <paramref name="limit"/>).</summary>
    Task<IReadOnlyList<ImageDecision>> GetHistoryAsync(string repository, string digest, int limit, CancellationToken cancellationToken);
}
