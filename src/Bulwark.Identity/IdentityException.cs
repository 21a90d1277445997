namespace Bulwark.Identity;

/// <summary>A management request the identity directory refuses; the HTTP edge maps <see cref="Kind"/> to a status.</summary>
public sealed class IdentityException : Exception
{
    public IdentityException(IdentityErrorKind kind, string message, IReadOnlyList<string>? problems = null)
        : base(message)
    {
        Kind = kind;
        Problems = problems ?? [];
    }

    public IdentityException()
        : this(IdentityErrorKind.Invalid, "invalid request")
    {
    }

    public IdentityException(string message)
        : this(IdentityErrorKind.Invalid, message)
    {
    }

    public IdentityException(string message, Exception innerException)
        : base(message, innerException)
    {
        Kind = IdentityErrorKind.Invalid;
        Problems = [];
    }

    public IdentityErrorKind Kind { get; }

    /// <summary>Every individual problem (e.g. each password rule broken), safe to show to the caller.</summary>
    public IReadOnlyList<string> Problems { get; }
}
