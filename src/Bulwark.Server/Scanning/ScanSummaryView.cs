namespace Bulwark.Server.Scanning;

/// <summary>Open findings of an image by severity.</summary>
public sealed record ScanSummaryView(int Critical, int High, int Medium, int Low, int Unrated)
{
    public int Total => Critical + High + Medium + Low + Unrated;

    public static ScanSummaryView Sum(IEnumerable<ScanSummaryView> summaries) =>
        summaries.Aggregate(new ScanSummaryView(0, 0, 0, 0, 0),
            (a, b) => new ScanSummaryView(a.Critical + b.Critical, a.High + b.High, a.Medium + b.Medium, a.Low + b.Low, a.Unrated + b.Unrated));
}
