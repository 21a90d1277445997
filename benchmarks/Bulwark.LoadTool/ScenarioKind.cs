namespace Bulwark.LoadTool;

/// <summary>The operations the load tool can drive; each is measured separately.</summary>
public enum ScenarioKind
{
    /// <summary>POST an upload session, then one PUT carrying the whole blob and its digest.</summary>
    BlobPush,

    /// <summary>POST an upload session, PATCH the blob in chunks with Content-Range, then PUT the digest.</summary>
    BlobPushChunked,

    /// <summary>GET a blob pushed beforehand and read it to the end.</summary>
    BlobPull,

    /// <summary>PUT a new (unique) image manifest under a tag.</summary>
    ManifestPut,

    /// <summary>GET an image manifest by tag.</summary>
    ManifestGet,
}
