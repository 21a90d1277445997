namespace Bulwark.Analysis.Registry;

/// <summary>A user name and password (or token) for a registry. Never logged; <see cref="ToString"/> hides the secret.</summary>
public sealed record RegistryCredential(string Username, string Password)
{
    /// <summary><c>USER:PASSWORD</c>, as <c>--creds</c> takes it.</summary>
    public static RegistryCredential Parse(string value)
    {
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 ? new RegistryCredential(value[..colon], value[(colon + 1)..])
            : throw new FormatException("credentials must be USER:PASSWORD");
    }

    public override string ToString() => $"{Username}:***";
}
