namespace Bulwark.Policy.Images;

/// <summary>How a policy document is read.</summary>
public sealed record ImagePolicyParseOptions
{
    public static ImagePolicyParseOptions Default { get; } = new();

    public ImagePolicyLimits Limits { get; init; } = ImagePolicyLimits.Default;

    /// <summary>
    /// The directory of the policy file, which <c>keyFile</c> paths are relative to (the CLI sets it). Without it,
    /// <c>keyFile</c> is an error: a server-held policy carries its keys inline.
    /// </summary>
    public string? BaseDirectory { get; init; }

    /// <summary>
    /// Keys supplied by the caller (the CLI's <c>--key NAME=FILE</c>) for key entries that give only a <c>name</c>, so a
    /// policy kept in a repository can leave the key material to the pipeline.
    /// </summary>
    public IReadOnlyDictionary<string, Bulwark.Signing.Keys.VerificationKey> NamedKeys { get; init; } =
        new Dictionary<string, Bulwark.Signing.Keys.VerificationKey>(StringComparer.Ordinal);
}
