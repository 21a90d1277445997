using System.Diagnostics.CodeAnalysis;

namespace Bulwark.Policy.Images;

/// <summary>A parsed policy, or every error found in it (never both).</summary>
public sealed record ImagePolicyParseResult
{
    public ImagePolicyDocument? Document { get; init; }

    public IReadOnlyList<ImagePolicyError> Errors { get; init; } = [];

    [MemberNotNullWhen(true, nameof(Document))]
    public bool Succeeded => Document is not null;
}
