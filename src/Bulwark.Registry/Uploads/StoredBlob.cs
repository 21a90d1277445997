using Bulwark.Oci;

namespace Bulwark.Registry.Uploads;

/// <summary>A blob committed to a repository.</summary>
public sealed record StoredBlob(string Repository, Digest Digest, long Size);
