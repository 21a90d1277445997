namespace Bulwark.Registry.Uploads;

/// <summary>Where an upload session stands: the bytes received so far.</summary>
public sealed record UploadStatus(string Repository, string Id, long Offset);
