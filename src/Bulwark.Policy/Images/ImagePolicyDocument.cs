namespace Bulwark.Policy.Images;

/// <summary>
/// An image policy (<c>apiVersion: bulwark.dev/v1</c>, <c>kind: ImagePolicy</c>): named rules, each scoped to
/// repository patterns, in enforce or audit mode, with any of six checks. <see cref="CanonicalJson"/> is a stable
/// rendering (keys as fingerprints and PEM, defaults filled in, document order of rules kept) and
/// <see cref="ContentHash"/> its SHA-256, which identifies a version of the policy whatever its YAML spelling.
/// </summary>
public sealed record ImagePolicyDocument
{
    public const string ApiVersion = "bulwark.dev/v1";
    public const string Kind = "ImagePolicy";

    public required string Name { get; init; }

    /// <summary>The rules in document order (names unique).</summary>
    public required IReadOnlyList<ImagePolicyRule> Rules { get; init; }

    public required string CanonicalJson { get; init; }

    /// <summary><c>sha256:&lt;hex&gt;</c> of the UTF-8 <see cref="CanonicalJson"/>.</summary>
    public required string ContentHash { get; init; }

    /// <summary>Reads a policy; on any problem, returns every error found (with line, column and path) and no document.</summary>
    public static ImagePolicyParseResult Parse(string yaml) => Parse(yaml, ImagePolicyParseOptions.Default);

    public static ImagePolicyParseResult Parse(string yaml, ImagePolicyParseOptions options)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(options);
        if (yaml.Length > options.Limits.MaxCharacters)
        {
            return Failed(new ImagePolicyError("", 0, 0, $"the policy is larger than {options.Limits.MaxCharacters} characters"));
        }

        PolicyYamlNode? root;
        try
        {
            root = PolicyYamlReader.Read(yaml, options.Limits);
        }
        catch (ImagePolicyFormatException e)
        {
            return Failed(e.Error);
        }

        return ImagePolicyBinder.Bind(root, options);
    }

    /// <summary>The rules whose repository patterns match <paramref name="repository"/>, in document order.</summary>
    public IReadOnlyList<ImagePolicyRule> RulesFor(string repository) => [.. Rules.Where(r => r.AppliesTo(repository))];

    private static ImagePolicyParseResult Failed(ImagePolicyError error) => new() { Errors = [error] };
}
