namespace Bulwark.Analysis;

/// <summary>Which safety rule an image broke.</summary>
public enum HostileImageReason
{
    Unspecified,
    PathTraversal,
    AbsolutePath,
    LayerTooLarge,
    ImageTooLarge,
    TooManyEntries,
    FileTooLarge,
    PathTooLong,
    TooManyLayers,
    LinkEscape,
    MalformedArchive,
    DigestMismatch,
}
