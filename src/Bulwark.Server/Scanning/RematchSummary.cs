namespace Bulwark.Server.Scanning;

/// <summary>
/// What one re-match after an advisory update did: <see cref="Images"/> matched again, <see cref="NewFindings"/> among
/// them, <see cref="Failed"/> images, and <see cref="Unaffected"/> images skipped because the update changed no advisory
/// of their packages (their findings stay as they are). <see cref="Unchanged"/> of the images matched again came to the
/// outcome already stored, so nothing but their match time was written.
/// </summary>
public sealed record RematchSummary(int Images, int NewFindings, int Failed, TimeSpan Elapsed)
{
    public int Unaffected { get; init; }

    public int Unchanged { get; init; }
}
