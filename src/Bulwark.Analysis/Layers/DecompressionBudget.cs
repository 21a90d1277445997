namespace Bulwark.Analysis.Layers;

/// <summary>Uncompressed bytes and entries read so far for one image, checked against its limits; shared by its layers.</summary>
public sealed class DecompressionBudget(AnalysisLimits limits)
{
    public AnalysisLimits Limits { get; } = limits;

    public long TotalBytes { get; private set; }

    public int TotalEntries { get; private set; }

    internal void AddBytes(long count)
    {
        TotalBytes += count;
        if (TotalBytes > Limits.MaxTotalBytes)
        {
            throw new HostileImageException(HostileImageReason.ImageTooLarge,
                $"image decompresses to more than {Limits.MaxTotalBytes} bytes (limit MaxTotalBytes)");
        }
    }

    internal void AddEntry()
    {
        TotalEntries++;
        if (TotalEntries > Limits.MaxTotalEntries)
        {
            throw new HostileImageException(HostileImageReason.TooManyEntries,
                $"image has more than {Limits.MaxTotalEntries} entries (limit MaxTotalEntries)");
        }
    }
}
